"""The SQL schema. Tables and columns use SuiteQL's names so SuiteQL runs on them directly.

A few columns exist only for the record API (`transaction.account`, `transaction.undepfunds`,
`transaction.subsidiary`, `transactionline.sublist`); SuiteQL refuses them as NetSuite does
(see exposure.py)."""

TABLES = """
CREATE TABLE currency (
  id INTEGER PRIMARY KEY, name TEXT, symbol TEXT, isbasecurrency TEXT, exchangerate REAL,
  isinactive TEXT DEFAULT 'F', lastmodifieddate TEXT);
CREATE TABLE subsidiary (
  id INTEGER PRIMARY KEY, name TEXT, fullname TEXT, legalname TEXT, currency INTEGER, country TEXT,
  parent INTEGER, isinactive TEXT DEFAULT 'F', iselimination TEXT DEFAULT 'F', lastmodifieddate TEXT);
CREATE TABLE account (
  id INTEGER PRIMARY KEY, acctnumber TEXT, accountsearchdisplayname TEXT, fullname TEXT,
  displaynamewithhierarchy TEXT, accttype TEXT, sspecacct TEXT, description TEXT,
  isinactive TEXT DEFAULT 'F', currency INTEGER, subsidiary INTEGER, externalid TEXT, lastmodifieddate TEXT);
CREATE TABLE item (
  id INTEGER PRIMARY KEY, itemid TEXT, displayname TEXT, fullname TEXT, itemtype TEXT,
  description TEXT, baseprice REAL, incomeaccount INTEGER, isinactive TEXT DEFAULT 'F', lastmodifieddate TEXT);
CREATE TABLE customer (
  id INTEGER PRIMARY KEY, entityid TEXT, companyname TEXT, isperson TEXT DEFAULT 'F', firstname TEXT,
  lastname TEXT, email TEXT, phone TEXT, currency INTEGER, subsidiary INTEGER, terms INTEGER,
  isinactive TEXT DEFAULT 'F', datecreated TEXT, lastmodifieddate TEXT, externalid TEXT);
CREATE TABLE "transaction" (
  id INTEGER PRIMARY KEY, tranid TEXT, transactionnumber TEXT, type TEXT, recordtype TEXT,
  abbrevtype TEXT, entity INTEGER, trandate TEXT, duedate TEXT, createddate TEXT, lastmodifieddate TEXT,
  status TEXT, currency INTEGER, exchangerate REAL DEFAULT 1, foreigntotal REAL,
  foreignamountpaid REAL, foreignamountunpaid REAL, foreignpaymentamountused REAL,
  foreignpaymentamountunused REAL, memo TEXT, otherrefnum TEXT, externalid TEXT,
  voided TEXT DEFAULT 'F', posting TEXT DEFAULT 'T', subsidiary INTEGER, account INTEGER,
  undepfunds TEXT, createdfrom INTEGER);
CREATE TABLE transactionline (
  uniquekey INTEGER PRIMARY KEY, "transaction" INTEGER, id INTEGER, linesequencenumber INTEGER,
  mainline TEXT, taxline TEXT DEFAULT 'F', sublist TEXT, item INTEGER, quantity REAL, rate REAL,
  foreignamount REAL, netamount REAL, memo TEXT, entity INTEGER, subsidiary INTEGER, account INTEGER,
  createdfrom INTEGER, linelastmodifieddate TEXT, iscogs TEXT DEFAULT 'F', transactiondiscount TEXT DEFAULT 'F',
  itemtype TEXT, kitcomponent TEXT DEFAULT 'F', assemblycomponent TEXT DEFAULT 'F');
CREATE TABLE nexttransactionlinelink (
  previousdoc INTEGER, previousline INTEGER, previoustype TEXT, nextdoc INTEGER, nextline INTEGER,
  nexttype TEXT, linktype TEXT, foreignamount REAL, linkdate TEXT, lastmodifieddate TEXT);
CREATE TABLE deletedrecord (
  recordid INTEGER, recordtypeid TEXT, scriptid TEXT, name TEXT, type TEXT, context TEXT,
  deletedby INTEGER, deleteddate TEXT, iscustomlist TEXT DEFAULT 'F', iscustomrecord TEXT DEFAULT 'F',
  iscustomtransaction TEXT DEFAULT 'F');
CREATE TABLE ns_counter (name TEXT PRIMARY KEY, value INTEGER);
"""

INDEXES = """
CREATE INDEX ix_tx_type_lmd ON "transaction"(type, lastmodifieddate, id);
CREATE INDEX ix_tx_lmd ON "transaction"(lastmodifieddate, id);
CREATE INDEX ix_tx_ext ON "transaction"(recordtype, externalid);
CREATE INDEX ix_tx_entity ON "transaction"(entity);
CREATE INDEX ix_tx_trandate ON "transaction"(type, trandate);
CREATE INDEX ix_tl_tx ON transactionline("transaction", linesequencenumber);
CREATE INDEX ix_tl_from ON transactionline(createdfrom);
CREATE INDEX ix_link_prev ON nexttransactionlinelink(previousdoc);
CREATE INDEX ix_link_next ON nexttransactionlinelink(nextdoc);
CREATE INDEX ix_customer_ext ON customer(externalid);
CREATE INDEX ix_customer_lmd ON customer(lastmodifieddate, id);
CREATE INDEX ix_deleted_date ON deletedrecord(deleteddate);
"""
