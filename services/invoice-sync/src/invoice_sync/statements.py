"""SQL of the write side, as named statements (``unnest`` arrays: one round trip per batch, not per row)."""

CLAIM = """
INSERT INTO inbox (consumer, event_id) SELECT $1, unnest($2::text[])
ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id
"""
LOCK = """
SELECT pg_advisory_xact_lock(h)
FROM (SELECT DISTINCT hashtextextended(k, 0) AS h FROM unnest($1::text[]) AS k ORDER BY h) AS ordered
"""
OUTBOX = """
INSERT INTO outbox (topic, key, value, headers)
SELECT t, k, v, h::jsonb FROM unnest($1::text[], $2::bytea[], $3::bytea[], $4::text[]) AS u(t, k, v, h)
"""
SAVE_VERSIONS = """
INSERT INTO invoice_versions (tenant_id, netsuite_id, last_modified, event)
SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::bytea[])
ON CONFLICT (tenant_id, netsuite_id, last_modified) DO UPDATE SET event = EXCLUDED.event
"""
VERSIONS = """
SELECT v.tenant_id, v.netsuite_id, v.last_modified, v.event
FROM unnest($1::text[], $2::text[]) AS k(t, n)
JOIN invoice_versions v ON v.tenant_id = k.t AND v.netsuite_id = k.n
ORDER BY v.tenant_id, v.netsuite_id, v.last_modified
"""
SAVE_ARCHIVES = """
INSERT INTO invoice_archives AS a (tenant_id, netsuite_id, reason, detected_at)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
ON CONFLICT (tenant_id, netsuite_id) DO UPDATE
SET reason = EXCLUDED.reason, detected_at = EXCLUDED.detected_at WHERE EXCLUDED.detected_at < a.detected_at
"""
SAVE_BLOBS = """
INSERT INTO pdf_blobs (sha256, content) SELECT * FROM unnest($1::text[], $2::bytea[]) ON CONFLICT DO NOTHING
"""
SAVE_PDFS = """
INSERT INTO invoice_pdfs AS p (tenant_id, netsuite_id, sha256, file_name, invoice_last_modified)
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[])
ON CONFLICT (tenant_id, netsuite_id) DO UPDATE
SET sha256 = EXCLUDED.sha256, file_name = EXCLUDED.file_name, invoice_last_modified = EXCLUDED.invoice_last_modified
WHERE EXCLUDED.invoice_last_modified >= p.invoice_last_modified
"""
PAYMENT_COLUMNS = ("payment_id, invoice_id, amount, applied_amount, status, netsuite_payment_id, received_at, "
                   "written_at, failed_at, last_recorded_at")
PAYMENTS_BY_ID = f"""
SELECT p.tenant_id, {PAYMENT_COLUMNS} FROM unnest($1::text[], $2::text[]) AS k(t, i)
JOIN platform_payments p ON p.tenant_id = k.t AND p.payment_id = k.i
"""
PAYMENTS_BY_INVOICE = f"""
SELECT p.tenant_id, {PAYMENT_COLUMNS} FROM unnest($1::text[], $2::text[]) AS k(t, i)
JOIN platform_payments p ON p.tenant_id = k.t AND p.invoice_id = k.i
"""
PAYMENTS_BY_NETSUITE_ID = """
SELECT DISTINCT p.tenant_id, p.invoice_id FROM unnest($1::text[], $2::text[]) AS k(t, n)
JOIN platform_payments p ON p.tenant_id = k.t AND p.netsuite_payment_id = k.n
"""
SAVE_PAYMENTS = f"""
INSERT INTO platform_payments (tenant_id, {PAYMENT_COLUMNS})
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::text[], $7::text[],
                     $8::timestamptz[], $9::timestamptz[], $10::timestamptz[], $11::timestamptz[])
ON CONFLICT (tenant_id, payment_id) DO UPDATE SET
  invoice_id = EXCLUDED.invoice_id, amount = EXCLUDED.amount, applied_amount = EXCLUDED.applied_amount,
  status = EXCLUDED.status, netsuite_payment_id = EXCLUDED.netsuite_payment_id,
  received_at = EXCLUDED.received_at, written_at = EXCLUDED.written_at, failed_at = EXCLUDED.failed_at,
  last_recorded_at = EXCLUDED.last_recorded_at
"""
DEPOSITS = """
SELECT d.tenant_id, d.netsuite_id, d.last_modified, d.payment_ids FROM unnest($1::text[], $2::text[]) AS k(t, n)
JOIN deposits d ON d.tenant_id = k.t AND d.netsuite_id = k.n
"""
SAVE_DEPOSITS = """
INSERT INTO deposits (tenant_id, netsuite_id, last_modified, payment_ids)
SELECT t, n, m, ARRAY(SELECT e FROM jsonb_array_elements_text(p::jsonb) WITH ORDINALITY AS x(e, i) ORDER BY i)
FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[]) AS u(t, n, m, p)
ON CONFLICT (tenant_id, netsuite_id) DO UPDATE
SET last_modified = EXCLUDED.last_modified, payment_ids = EXCLUDED.payment_ids
"""
DEPOSITED = """
SELECT k.t AS tenant_id, k.p AS payment_id, min(d.last_modified) AS deposited_at
FROM unnest($1::text[], $2::text[]) AS k(t, p)
JOIN deposits d ON d.tenant_id = k.t AND d.payment_ids @> ARRAY[k.p]
GROUP BY k.t, k.p
"""
INVOICE_KEYS_BY_ID = """
SELECT i.tenant_id, i.netsuite_id, i.id FROM unnest($1::text[], $2::text[]) AS k(t, i)
JOIN invoices i ON i.tenant_id = k.t AND i.id = k.i
"""
INVOICE_INPUTS = """
SELECT k.t AS tenant_id, k.n AS netsuite_id, i.fingerprint, i.version, i.reverts, i.updated_at,
       a.reason, a.detected_at, p.sha256, p.invoice_last_modified, v.last_modified, v.event,
       EXISTS (SELECT 1 FROM platform_payments pp WHERE pp.tenant_id = k.t AND pp.invoice_id = k.i) AS paid_on_platform
FROM unnest($1::text[], $2::text[], $3::text[]) AS k(t, n, i)
LEFT JOIN invoices i ON i.tenant_id = k.t AND i.netsuite_id = k.n
LEFT JOIN invoice_archives a ON a.tenant_id = k.t AND a.netsuite_id = k.n
LEFT JOIN invoice_pdfs p ON p.tenant_id = k.t AND p.netsuite_id = k.n
LEFT JOIN LATERAL (SELECT last_modified, event FROM invoice_versions
                   WHERE tenant_id = k.t AND netsuite_id = k.n ORDER BY last_modified DESC LIMIT 1) AS v ON true
"""
INVOICE_FIELDS = ("tenant_id, netsuite_id, id, number, customer_id, customer_netsuite_id, currency, subsidiary, memo, "
                  "issued_on, due_on, total, amount_remaining, status, paid_via_platform, archived, lines, "
                  "pdf_sha256, payments, reverts, fingerprint, version, updated_at")
SAVE_INVOICES = f"""
INSERT INTO invoices ({INVOICE_FIELDS})
SELECT t, n, i, num, c, cn, cur, sub, memo, iss, due, tot, rem, st, pvp, arch, l::jsonb, pdf, p::jsonb, r::jsonb,
       f, v, u
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
            $9::text[], $10::date[], $11::date[], $12::numeric[], $13::numeric[], $14::text[], $15::bool[],
            $16::bool[], $17::text[], $18::text[], $19::text[], $20::text[], $21::text[], $22::int[],
            $23::timestamptz[])
     AS u(t, n, i, num, c, cn, cur, sub, memo, iss, due, tot, rem, st, pvp, arch, l, pdf, p, r, f, v, u)
ON CONFLICT (tenant_id, netsuite_id) DO UPDATE SET
  number = EXCLUDED.number, customer_id = EXCLUDED.customer_id, customer_netsuite_id = EXCLUDED.customer_netsuite_id,
  currency = EXCLUDED.currency, subsidiary = EXCLUDED.subsidiary, memo = EXCLUDED.memo,
  issued_on = EXCLUDED.issued_on, due_on = EXCLUDED.due_on, total = EXCLUDED.total,
  amount_remaining = EXCLUDED.amount_remaining, status = EXCLUDED.status,
  paid_via_platform = EXCLUDED.paid_via_platform, archived = EXCLUDED.archived, lines = EXCLUDED.lines,
  pdf_sha256 = EXCLUDED.pdf_sha256, payments = EXCLUDED.payments, reverts = EXCLUDED.reverts,
  fingerprint = EXCLUDED.fingerprint, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
"""
CUSTOMER_FIELDS = ("tenant_id, netsuite_id, id, name, email, currency, subsidiary, inactive, last_modified, "
                   "version, updated_at")
CUSTOMERS = f"""
SELECT {', '.join('c.' + f.strip() for f in CUSTOMER_FIELDS.split(','))}
FROM unnest($1::text[], $2::text[]) AS k(t, n) JOIN customers c ON c.tenant_id = k.t AND c.netsuite_id = k.n
"""
SAVE_CUSTOMERS = f"""
INSERT INTO customers ({CUSTOMER_FIELDS})
SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                     $8::bool[], $9::timestamptz[], $10::int[], $11::timestamptz[])
ON CONFLICT (tenant_id, netsuite_id) DO UPDATE SET
  name = EXCLUDED.name, email = EXCLUDED.email, currency = EXCLUDED.currency, subsidiary = EXCLUDED.subsidiary,
  inactive = EXCLUDED.inactive, last_modified = EXCLUDED.last_modified, version = EXCLUDED.version,
  updated_at = EXCLUDED.updated_at
"""
