"""Benchmark: seeding a big account and serving 1,000-row SuiteQL pages. Prints JSON.

    .venv/bin/python emulators/netsuite/bench_emulator.py --invoices 1000000
"""

import argparse
import json
import statistics
import time

import httpx
from oauthlib.oauth1 import SIGNATURE_HMAC_SHA256, Client

from netsuite_emulator.testing import running_emulator

PAGE_QUERY = """SELECT t.id, t.tranid, t.entity, BUILTIN.DF(t.entity) AS customer_name, t.trandate, t.duedate,
 t.currency, BUILTIN.DF(t.currency) AS currency_code, t.foreigntotal, t.foreignamountunpaid, t.foreignamountpaid,
 t.status, t.memo, t.externalid, t.voided, TO_CHAR(t.lastmodifieddate, 'YYYY-MM-DD HH24:MI:SS') AS lastmodified,
 TO_CHAR(t.trandate, 'YYYY-MM-DD') AS trandate_iso, TO_CHAR(t.duedate, 'YYYY-MM-DD') AS duedate_iso
FROM transaction t
WHERE t.type = 'CustInvc' AND (t.lastmodifieddate > TO_TIMESTAMP('{cursor}', 'YYYY-MM-DD HH24:MI:SS')
 OR (t.lastmodifieddate = TO_TIMESTAMP('{cursor}', 'YYYY-MM-DD HH24:MI:SS') AND t.id > {last_id}))
ORDER BY t.lastmodifieddate, t.id
FETCH FIRST 1000 ROWS ONLY"""


def signed_post(url: str, credentials: dict, body: dict) -> httpx.Response:
    tba = credentials["tba"]
    client = Client(tba["consumer_key"], client_secret=tba["consumer_secret"], resource_owner_key=tba["token_id"],
                    resource_owner_secret=tba["token_secret"], signature_method=SIGNATURE_HMAC_SHA256,
                    realm=credentials["account_id"])
    signed_url, headers, _ = client.sign(url, "POST")
    return httpx.post(signed_url, json=body, headers={**headers, "Prefer": "transient"}, timeout=600)


def time_pages(emulator, credentials: dict, pages: int) -> list[float]:
    url = f"{emulator.rest_base(credentials['account_id'])}/query/v1/suiteql?limit=1000&offset=0"
    cursor, last_id, timings = "2000-01-01 00:00:00", 0, []
    for _ in range(pages):
        started = time.perf_counter()
        response = signed_post(url, credentials, {"q": PAGE_QUERY.format(cursor=cursor, last_id=last_id)})
        timings.append(time.perf_counter() - started)
        rows = response.json()["items"]
        assert response.status_code == 200 and len(rows) == 1000, response.text[:300]
        cursor, last_id = rows[-1]["lastmodified"], rows[-1]["id"]
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invoices", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=0, help="default: invoices / 40")
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--pages", type=int, default=21)
    args = parser.parse_args()
    with running_emulator() as emulator:
        started = time.perf_counter()
        credentials = emulator.create_account(seed={
            "customers": args.customers or max(10, args.invoices // 40), "invoices": args.invoices,
            "months": args.months, "random_seed": 1})
        seeding = time.perf_counter() - started
        account = emulator.get_account(credentials["account_id"])
        timings = time_pages(emulator, credentials, args.pages)
    print(json.dumps({
        "invoices": args.invoices, "seeded": credentials["seeded"], "seed_seconds": round(seeding, 1),
        "db_size_mb": round(account["storage"]["size_bytes"] / 1e6, 1), "on_disk": account["storage"]["on_disk"],
        "suiteql_page_1000_rows_median_ms": round(statistics.median(timings[1:]) * 1000, 1),
        "suiteql_first_page_ms": round(timings[0] * 1000, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
