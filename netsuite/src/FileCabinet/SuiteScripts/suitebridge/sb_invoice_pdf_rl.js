/**
 * suitebridge invoice PDF RESTlet (customscript_sb_invoice_pdf / customdeploy_sb_invoice_pdf).
 *
 * GET ?id=<invoice internal id>  -> {"fileName": "INV1042.pdf", "contentType": "application/pdf", "base64": "..."}
 * GET ?ping=1                    -> {"ok": true, "script": "customscript_sb_invoice_pdf"} (installed, role can view invoices)
 *
 * Errors are thrown with N/error. A RESTlet cannot choose its HTTP status: NetSuite answers an
 * uncaught error with 400 and {"error": {"code": <name>, "message": <text>}}, where on 2.x the
 * message is the SuiteScriptError serialised as JSON (its "message" field holds our text).
 * Callers must key on error.code only; the codes are in contract/restlet-cases.json.
 *
 * @NApiVersion 2.1
 * @NScriptType Restlet
 * @NModuleScope SameAccount
 */
define(['N/error', 'N/log', 'N/render', 'N/runtime', 'N/search'], (error, log, render, runtime, search) => {
    const SCRIPT_ID = 'customscript_sb_invoice_pdf';
    const INVOICE_PERMISSION = 'TRAN_CUSTINVC'; // Transactions > Invoice
    const INTERNAL_ID = /^[1-9][0-9]{0,14}$/; // internal ids are positive integers; 15 digits stay exact in a JS number

    const fail = (code, message) => error.create({ name: code, message, notifyOff: true });

    // RESTlets run as the caller's role (there is no "execute as role" for RESTlets), so the
    // integration role's own Invoice permission decides what this script may read.
    function requireInvoiceAccess() {
        const level = runtime.getCurrentUser().getPermission({ name: INVOICE_PERMISSION });
        if (level === runtime.Permission.NONE) {
            throw fail('SB_NO_INVOICE_ACCESS', 'The role used by suitebridge lacks the Transactions > Invoice (View) permission.');
        }
    }

    // GET parameters always arrive as strings; a missing one is undefined.
    function invoiceId(raw) {
        if (raw === undefined || raw === null || raw === '') {
            throw fail('SB_INVALID_ID', 'The id parameter is required: the invoice internal id.');
        }
        if (!INTERNAL_ID.test(String(raw))) {
            throw fail('SB_INVALID_ID', 'The id parameter must be an invoice internal id (a positive whole number).');
        }
        return Number(raw);
    }

    // Internal ids are unique across all transaction types, and render.transaction happily prints
    // any of them (a payment id gives a payment receipt), so the type is checked first. Mainline
    // only: a transaction search otherwise returns one row per line.
    function findTransaction(id) {
        const rows = search.create({
            type: search.Type.TRANSACTION,
            filters: [['internalid', 'anyof', id], 'AND', ['mainline', 'is', 'T']],
            columns: ['tranid'],
        }).run().getRange({ start: 0, end: 1 });
        if (!rows || rows.length === 0) {
            return null;
        }
        return { recordType: rows[0].recordType, tranid: rows[0].getValue({ name: 'tranid' }) };
    }

    // NetSuite's own permission errors become ours, so callers see one code for "no access".
    function permissionAware(step) {
        try {
            return step();
        } catch (thrown) {
            if (thrown && thrown.name === 'INSUFFICIENT_PERMISSION') {
                throw fail('SB_NO_INVOICE_ACCESS', 'The role used by suitebridge may not view this invoice.');
            }
            throw thrown;
        }
    }

    const get = (params) => {
        const request = params || {};
        if (request.ping === '1') {
            requireInvoiceAccess();
            return { ok: true, script: SCRIPT_ID };
        }
        const id = invoiceId(request.id);
        requireInvoiceAccess();
        const found = permissionAware(() => findTransaction(id));
        if (!found) {
            throw fail('SB_INVOICE_NOT_FOUND', `No invoice has internal id ${id}.`);
        }
        if (found.recordType !== search.Type.INVOICE) {
            throw fail('SB_NOT_AN_INVOICE', `Transaction ${id} is not an invoice.`);
        }
        // Uses the invoice form's (Advanced) PDF template; 10 governance units, 10 MB cap.
        const pdf = permissionAware(() => render.transaction({ entityId: id, printMode: render.PrintMode.PDF }));
        log.debug({ title: 'invoice pdf', details: `rendered invoice ${id}` });
        // getContents() of a binary file (PDF) is already base64: no N/encode step.
        return { fileName: `${found.tranid || id}.pdf`, contentType: 'application/pdf', base64: pdf.getContents() };
    };

    return { get };
});
