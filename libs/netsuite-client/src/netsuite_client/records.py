"""REST record operations: get, list, create, update, upsert, delete and ``create_once``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from .errors import AlreadyExistsError, NotFoundError, PermanentNetSuiteError, TransientNetSuiteError

if TYPE_CHECKING:
    from .client import NetSuiteClient


def record_id_from_location(location: str | None) -> str:
    """The internal id at the end of a ``Location`` header (``.../customer/1777`` -> ``"1777"``)."""
    path = urlsplit(location or "").path.rstrip("/")
    record_id = path.rsplit("/", 1)[-1] if "/" in path else ""
    if not record_id:
        raise PermanentNetSuiteError("write succeeded but returned no usable Location header")
    return record_id


def external_id_ref(external_id: str) -> str:
    """The ``eid:<externalId>`` path segment, percent-encoded."""
    return "eid:" + quote(external_id, safe="")


@dataclass(frozen=True)
class RecordPage:
    """One page of ``GET /record/v1/<type>``: the ids plus NetSuite's paging envelope."""

    ids: list[str]
    has_more: bool
    offset: int
    count: int
    total_results: int


class Records:
    """Record operations of one client (``client.records``). Ids are strings."""

    def __init__(self, client: NetSuiteClient) -> None:
        self._client = client

    def _url(self, record_type: str, record_id: str | None = None) -> str:
        suffix = f"/{record_id}" if record_id is not None else ""
        return self._client.rest_url(f"/record/v1/{record_type}{suffix}")

    async def get(
        self,
        record_type: str,
        record_id: str,
        *,
        expand_sub_resources: bool = False,
        fields: Iterable[str] | None = None,
    ) -> dict[str, Any]:
        """One record as JSON; ``record_id`` may be ``external_id_ref(...)``."""
        params: dict[str, str] = {}
        if expand_sub_resources:
            params["expandSubResources"] = "true"
        if fields:
            params["fields"] = ",".join(fields)
        response = await self._client.request("GET", self._url(record_type, record_id), params=params)
        return response.json()

    async def list(
        self, record_type: str, *, limit: int = 1000, offset: int = 0, q: str | None = None
    ) -> RecordPage:
        """One page of record ids (``q`` is NetSuite's record filter expression)."""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if q:
            params["q"] = q
        body = (await self._client.request("GET", self._url(record_type), params=params)).json()
        items = body.get("items", [])
        return RecordPage(
            ids=[str(item["id"]) for item in items],
            has_more=bool(body.get("hasMore")),
            offset=int(body.get("offset", offset)),
            count=int(body.get("count", len(items))),
            total_results=int(body.get("totalResults", len(items))),
        )

    async def iter_ids(
        self, record_type: str, *, q: str | None = None, page_size: int = 1000
    ) -> AsyncIterator[str]:
        """Every id of a record collection, following the offset paging."""
        offset = 0
        while True:
            page = await self.list(record_type, limit=page_size, offset=offset, q=q)
            for record_id in page.ids:
                yield record_id
            if not page.has_more or not page.ids:
                return
            offset += page_size

    async def create(self, record_type: str, body: dict[str, Any]) -> str:
        """POST a new record; returns its internal id. Not retried after ambiguous failures."""
        response = await self._client.request("POST", self._url(record_type), json=body)
        return record_id_from_location(response.headers.get("Location"))

    async def update(
        self, record_type: str, record_id: str, body: dict[str, Any], *, replace: Iterable[str] = ()
    ) -> str:
        """PATCH a record (``replace`` lists sublists to replace wholesale); returns its id."""
        params = {"replace": ",".join(replace)} if replace else None
        url = self._url(record_type, record_id)
        response = await self._client.request("PATCH", url, params=params, json=body)
        return record_id_from_location(response.headers.get("Location") or url)

    async def upsert(self, record_type: str, external_id: str, body: dict[str, Any]) -> str:
        """PUT ``eid:<external_id>``: create or update by external id; returns the internal id."""
        url = self._url(record_type, external_id_ref(external_id))
        response = await self._client.request("PUT", url, json=body)
        location = response.headers.get("Location")
        return record_id_from_location(location) if location else await self._id_of(record_type, external_id)

    async def delete(self, record_type: str, record_id: str) -> None:
        """DELETE a record (``NotFoundError`` if it does not exist)."""
        await self._client.request("DELETE", self._url(record_type, record_id))

    async def find_id(self, record_type: str, external_id: str) -> str | None:
        """The internal id of the record with this external id, or ``None``."""
        try:
            record = await self.get(record_type, external_id_ref(external_id))
        except NotFoundError:
            return None
        return str(record["id"])

    async def create_once(self, record_type: str, external_id: str, body: dict[str, Any]) -> str:
        """Create the record with ``externalId = external_id`` exactly once; returns its id.

        After an ambiguous failure (timeout, dropped connection, 5xx) the record is looked up by
        external id before the create is retried; "This entity already exists." counts as
        success. Because NetSuite keeps external ids unique per type, no path can duplicate.
        """
        payload = {**body, "externalId": external_id}
        retry = self._client.retry
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self.create(record_type, payload)
            except AlreadyExistsError:
                return await self._id_of(record_type, external_id)
            except TransientNetSuiteError:
                existing = await self.find_id(record_type, external_id)
                if existing is not None:
                    return existing
                if attempt >= retry.max_attempts:
                    raise
            await asyncio.sleep(retry.delay(attempt))

    async def _id_of(self, record_type: str, external_id: str) -> str:
        found = await self.find_id(record_type, external_id)
        if found is None:
            raise PermanentNetSuiteError(
                f"{record_type} with this externalId reported but not found", code="NONEXISTENT_ID"
            )
        return found
