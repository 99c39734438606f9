// The invoice PDF RESTlet against the shared contract (contract/restlet-cases.json), with
// Oracle's N/* stubs standing in for NetSuite.
import restlet from 'SuiteScripts/suitebridge/sb_invoice_pdf_rl';

import error from 'N/error';
import log from 'N/log';
import render from 'N/render';
import runtime from 'N/runtime';
import search from 'N/search';

import contract from '../contract/restlet-cases.json';

jest.mock('N/error');
jest.mock('N/log');
jest.mock('N/render');
jest.mock('N/runtime');
jest.mock('N/search');

// A tiny account: one invoice, one customer payment.
const WORLD = { invoice: '1042', payment: '2077', missing: '987654321', tranid: 'INV1042' };
const TRANSACTIONS = { [WORLD.invoice]: { recordType: 'invoice', tranid: WORLD.tranid },
    [WORLD.payment]: { recordType: 'customerpayment', tranid: '77' } };
const PDF_BASE64 = Buffer.from('%PDF-1.7 invoice INV1042').toString('base64');

const fill = (text) => text.replace(/\{(\w+)\}/g, (_, key) => WORLD[key]);
const fillAll = (params) => Object.fromEntries(Object.entries(params).map(([key, value]) => [key, fill(value)]));

let searchedIds;

function givenAccount({ invoiceAccess = true } = {}) {
    searchedIds = [];
    // N/error: a SuiteScriptError carries the code in `name`, like the real module.
    error.create.mockImplementation(({ name, message }) => Object.assign(new Error(message), { name, type: 'error.SuiteScriptError' }));
    runtime.getCurrentUser.mockReturnValue({
        getPermission: jest.fn(({ name }) => (name === 'TRAN_CUSTINVC' && invoiceAccess ? runtime.Permission.VIEW : runtime.Permission.NONE)),
    });
    search.create.mockImplementation(({ filters }) => {
        const id = String(filters[0][2]);
        searchedIds.push(id);
        const found = TRANSACTIONS[id];
        const rows = found ? [{ recordType: found.recordType, getValue: ({ name }) => (name === 'tranid' ? found.tranid : '') }] : [];
        return { run: () => ({ getRange: () => rows }) };
    });
    render.transaction.mockReturnValue({ getContents: () => PDF_BASE64 });
}

function call(params) {
    try {
        return { status: 200, body: restlet.get(params) };
    } catch (thrown) {
        // What NetSuite does with an uncaught error: HTTP 400, {"error": {"code", "message"}}.
        return { status: 400, body: { error: { code: thrown.name, message: thrown.message } } };
    }
}

beforeEach(() => {
    jest.clearAllMocks();
});

describe('contract cases', () => {
    it('lists every error code it uses', () => {
        const used = contract.cases.filter((c) => c.expect.error).map((c) => c.expect.error.code);
        expect(new Set(used)).toEqual(new Set(contract.errorCodes));
    });

    it.each(contract.cases.map((c) => [c.name, c]))('%s', (_, testCase) => {
        givenAccount(testCase.given);
        const answer = call(fillAll(testCase.params));
        expect(answer.status).toBe(testCase.expect.status);
        if (testCase.expect.error) {
            expect(answer.body.error.code).toBe(testCase.expect.error.code);
            expect(answer.body.error.message).toContain(fill(testCase.expect.error.messageContains));
            expect(render.transaction).not.toHaveBeenCalled();
        } else if (testCase.expect.pdf) {
            expect(answer.body).toEqual({ fileName: fill(testCase.expect.pdf.fileName),
                contentType: testCase.expect.pdf.contentType, base64: PDF_BASE64 });
            expect(Buffer.from(answer.body.base64, 'base64').toString('latin1').startsWith('%PDF')).toBe(true);
        } else {
            expect(answer.body).toEqual(testCase.expect.body);
        }
    });
});

describe('how the script uses NetSuite', () => {
    it('renders the invoice by internal id as a PDF', () => {
        givenAccount();
        restlet.get({ id: WORLD.invoice });
        expect(render.transaction).toHaveBeenCalledTimes(1);
        expect(render.transaction).toHaveBeenCalledWith({ entityId: 1042, printMode: render.PrintMode.PDF });
        expect(render.PrintMode.PDF).toBe('PDF');
    });

    it('looks the id up among transaction main lines before rendering', () => {
        givenAccount();
        restlet.get({ id: WORLD.invoice });
        const { type, filters } = search.create.mock.calls[0][0];
        expect(type).toBe('transaction');
        expect(filters).toEqual([['internalid', 'anyof', 1042], 'AND', ['mainline', 'is', 'T']]);
    });

    it('never searches or renders for a ping', () => {
        givenAccount();
        expect(restlet.get({ ping: '1' })).toEqual({ ok: true, script: contract.script });
        expect(search.create).not.toHaveBeenCalled();
        expect(render.transaction).not.toHaveBeenCalled();
    });

    it('checks the id before touching NetSuite', () => {
        givenAccount();
        expect(call({ id: '1e3' }).body.error.code).toBe('SB_INVALID_ID');
        expect(searchedIds).toEqual([]);
    });

    it("turns NetSuite's INSUFFICIENT_PERMISSION while rendering into SB_NO_INVOICE_ACCESS", () => {
        givenAccount();
        render.transaction.mockImplementation(() => {
            throw Object.assign(new Error('Permission Violation'), { name: 'INSUFFICIENT_PERMISSION' });
        });
        const answer = call({ id: WORLD.invoice });
        expect(answer).toMatchObject({ status: 400, body: { error: { code: 'SB_NO_INVOICE_ACCESS' } } });
    });

    it('lets other NetSuite errors through unchanged', () => {
        givenAccount();
        render.transaction.mockImplementation(() => {
            throw Object.assign(new Error('Usage limit'), { name: 'SSS_USAGE_LIMIT_EXCEEDED' });
        });
        expect(call({ id: WORLD.invoice }).body.error.code).toBe('SSS_USAGE_LIMIT_EXCEEDED');
    });

    it('names the file after the document number and falls back to the id', () => {
        givenAccount();
        TRANSACTIONS['3001'] = { recordType: 'invoice', tranid: '' };
        try {
            expect(restlet.get({ id: '3001' }).fileName).toBe('3001.pdf');
        } finally {
            delete TRANSACTIONS['3001'];
        }
    });

    it('writes no request parameters to the log', () => {
        givenAccount();
        restlet.get({ id: WORLD.invoice, token: 'secret-value' });
        const logged = JSON.stringify([log.debug.mock.calls, log.audit.mock.calls, log.error.mock.calls]);
        expect(logged).not.toContain('secret-value');
    });
});
