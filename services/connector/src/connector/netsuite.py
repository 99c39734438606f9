"""The connector's reads from one tenant's NetSuite account (an adapter over ``netsuite_client``)."""
from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from netsuite_client import AuthenticationError, NetSuiteClient, PermanentNetSuiteError, SuiteQLPage

from connector.errors import MappingError, QueryRefused
from connector.streams import Detail

Row = dict[str, str]
ACCOUNTS_QUERY = (
    "SELECT a.id, a.acctnumber, a.fullname, a.accttype, a.sspecacct, cur.symbol AS currency_code, a.subsidiary "
    "FROM account a LEFT JOIN currency cur ON cur.id = a.currency WHERE a.isinactive = 'F' AND {after} ORDER BY a.id")
ACCOUNTS_QUERY_NO_SUBSIDIARY = ACCOUNTS_QUERY.replace(", a.subsidiary", "")
BASE_CURRENCY_QUERY = "SELECT symbol FROM currency WHERE isbasecurrency = 'T'"
ONEWORLD_QUERY = "SELECT id FROM subsidiary WHERE ROWNUM <= 1"
NO_SUBSIDIARIES = "Record 'subsidiary' was not found"
CLOCK_QUERY = "SELECT TO_CHAR(SYSDATE, 'YYYY-MM-DD HH24:MI:SS') AS now FROM account WHERE ROWNUM <= 1"
PROBE_QUERY = "SELECT id FROM account WHERE ROWNUM <= 1"  # every account has a chart of accounts
SAMPLE_QUERY = ("SELECT c.id, TO_CHAR(c.lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS modified FROM customer c "
                "WHERE ROWNUM <= 1")


@dataclass
class Details:
    """Detail rows by document id, and the documents whose details could not be read."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: defaultdict(list))
    failed: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Pdf:
    file_name: str
    content: bytes


class NetSuiteReader:
    def __init__(self, client: NetSuiteClient, page_size: int, pdf_script: str, pdf_deploy: str):
        self.client = client
        self._page_size = page_size
        self._pdf = (pdf_script, pdf_deploy)

    async def _query_page(self, query: str, limit: int) -> SuiteQLPage:
        try:
            return await self.client.suiteql.query_page(query, limit=limit, offset=0)
        except AuthenticationError:
            raise
        except PermanentNetSuiteError as error:
            raise QueryRefused(query, describe(error)) from error

    async def page(self, query: str) -> SuiteQLPage:
        """The first ``page_size`` rows of a keyset query (never an offset: the row cap cannot bite)."""
        return await self._query_page(query, self._page_size)

    async def count(self, query: str) -> int:
        page = await self._query_page(query, 1)
        return int(page.items[0].get("n", 0)) if page.items else 0

    async def local_now(self) -> str:
        page = await self.client.suiteql.query_page(CLOCK_QUERY, limit=1, offset=0)
        if not page.items or "now" not in page.items[0]:
            raise MappingError("NetSuite did not answer the clock query")
        return page.items[0]["now"]

    async def high_water(self, query: str) -> str | None:
        page = await self._query_page(query, 1)
        return page.items[0].get("hw") if page.items else None

    async def clock_sample(self) -> tuple[str, dt.datetime]:
        """A moment as SuiteQL shows it (account-local) and as UTC, to learn the account's offset.

        The record API shows datetimes in UTC (minute precision), SuiteQL in the account's time
        zone: one customer read both ways gives the offset. An account without customers falls
        back to the SuiteQL clock against this machine's clock.
        """
        page = await self.client.suiteql.query_page(SAMPLE_QUERY, limit=1, offset=0)
        if page.items and page.items[0].get("modified"):
            row = page.items[0]
            record = await self.client.records.get("customer", row["id"], fields=["lastModifiedDate"])
            utc = dt.datetime.fromisoformat(record["lastModifiedDate"].replace("Z", "+00:00"))
            return row["modified"], utc
        return await self.local_now(), dt.datetime.now(dt.UTC)

    async def probe(self) -> None:
        await self.client.suiteql.query_page(PROBE_QUERY, limit=1, offset=0)

    async def oneworld(self) -> bool:
        """Whether the account has subsidiaries: non-OneWorld accounts answer the probe with
        "Record 'subsidiary' was not found" (docs/decisions/connector-oneworld.md)."""
        try:
            await self.client.suiteql.query_page(ONEWORLD_QUERY, limit=1, offset=0)
        except PermanentNetSuiteError as error:
            if NO_SUBSIDIARIES in describe(error):
                return False
            raise
        return True

    async def base_currency(self) -> str | None:
        """The company's base currency (ISO code), or None where the currency record cannot be read."""
        try:
            page = await self.client.suiteql.query_page(BASE_CURRENCY_QUERY, limit=1, offset=0)
        except PermanentNetSuiteError:
            return None  # single-currency accounts do not expose the currency record
        return page.items[0].get("symbol") if page.items else None

    async def accounts(self, oneworld: bool = True) -> list[Row]:
        query = ACCOUNTS_QUERY if oneworld else ACCOUNTS_QUERY_NO_SUBSIDIARY
        return await self.client.suiteql.query_all(query, key="id", key_column="a.id",
                                                   page_size=1000, window_rows=1000)

    async def details(self, detail: Detail, ids: list[str]) -> Details:
        found = Details()
        if ids and detail.record:
            await self._records(detail.record, ids, found)
        elif ids:
            await self._details(detail, ids, found)
        return found

    async def _records(self, record_type: str, ids: list[str], found: Details) -> None:
        """One REST GET per document; a record that fails is reported alone."""
        for record_id in ids:
            try:
                record = await self.client.records.get(record_type, record_id, expand_sub_resources=True)
            except AuthenticationError:
                raise
            except PermanentNetSuiteError as error:
                found.failed[record_id] = describe(error)
                continue
            found.rows[record_id].extend(record_rows(record_id, record))

    async def _details(self, detail: Detail, ids: list[str], found: Details) -> str | None:
        """Read the details of ``ids``; on a permanent failure bisect to isolate the bad records.

        Returns the error that failed *all* of ``ids`` (so a query-wide failure, such as a table
        the role cannot read, costs a few calls rather than one per record), else None.
        """
        try:
            rows = await self._detail_rows(detail, ids)
        except AuthenticationError:
            raise
        except (PermanentNetSuiteError, ValueError, KeyError) as error:
            reason = describe(error)
            if getattr(error, "code", None) == "ROW_CAP" and len(ids) > 1:
                half = len(ids) // 2
                await self._details(detail, ids[:half], found)
                await self._details(detail, ids[half:], found)
                return None
            if len(ids) == 1:
                found.failed[ids[0]] = reason
                return reason
            half = len(ids) // 2
            left = await self._details(detail, ids[:half], found)
            if left == reason and half > 1:  # a whole chunk failed alike: the query itself fails
                found.failed.update({record_id: reason for record_id in ids[half:]})
                return reason
            right = await self._details(detail, ids[half:], found)
            return reason if left == reason and right == reason else None
        for row in rows:
            found.rows[row[detail.group_by]].append(row)
        return None

    async def _detail_rows(self, detail: Detail, ids: list[str]) -> list[Row]:
        query = detail.query.replace("{ids}", ", ".join(str(int(record_id)) for record_id in ids))
        if detail.key:
            return await self.client.suiteql.query_all(query, key=detail.key, key_column=detail.key_column,
                                                       page_size=1000, window_rows=1000)
        return await self.client.suiteql.query_all(query, page_size=1000)

    async def invoice_pdf(self, invoice_id: str) -> Pdf:
        script, deploy = self._pdf
        body = await self.client.restlet_get(script, deploy, id=invoice_id)
        if isinstance(body, str) or body is None:
            raise MappingError(f"the PDF RESTlet answered with {not_json(body)}, not JSON")
        if not isinstance(body, dict) or not isinstance(body.get("base64"), str):
            raise MappingError("the PDF RESTlet answered without a base64 document")
        try:
            content = base64.b64decode(body["base64"], validate=True)
        except (binascii.Error, ValueError) as error:
            raise MappingError("the PDF RESTlet answered with invalid base64") from error
        if not content.startswith(b"%PDF"):
            raise MappingError("the PDF RESTlet answered with something that is not a PDF")
        return Pdf(str(body.get("fileName") or f"{invoice_id}.pdf"), content)


async def oneworld(cache: dict[str, bool], account_id: str, reader: NetSuiteReader) -> bool:
    """Probed once per account and process (docs/decisions/connector-oneworld.md)."""
    if account_id not in cache:
        cache[account_id] = await reader.oneworld()
    return cache[account_id]


def record_rows(record_id: str, record: dict) -> list[Row]:
    """A deposit record as rows: its header account, then the payments it deposits."""
    account = (record.get("account") or {}).get("id")
    rows: list[Row] = [{"document_id": record_id, "kind": "header", "account": account}]
    for item in (record.get("payment") or {}).get("items", []):
        if item.get("deposit") and item.get("id") is not None:
            rows.append({"document_id": record_id, "kind": "payment", "payment_id": str(item["id"])})
    return rows


def not_json(text: str | None) -> str:
    if not text:
        return "nothing"
    return "an HTML page" if text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")) else "text"


def describe(error: Exception) -> str:
    detail = getattr(error, "detail", None) or str(error)
    return detail[:500]
