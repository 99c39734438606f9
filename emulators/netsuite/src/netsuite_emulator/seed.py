"""Seeds an account with an IT service provider's books: monthly recurring invoices with 1-8 lines,
payments (mostly through Undeposited Funds, grouped into weekly bank deposits), partial payments,
credit memos, a few deleted and voided invoices. Deterministic for a given random_seed and end date.

Money is integer cents here (exact, fast); rows are bulk-inserted with executemany in chunks."""

import random
from datetime import date, timedelta

from netsuite_emulator import clock, seed_customers, seed_deposits, seed_reference
from netsuite_emulator.seed_invoices import InvoiceWriter
from netsuite_emulator.store import Store


def _month_starts(end: date, months: int) -> list[date]:
    starts = []
    year, month = end.year, end.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(starts))


def populate(store: Store, seed: dict | None, timezone: str, account_clock: clock.AccountClock) -> dict:
    now = account_clock.db_now()
    seed_reference.load(store, now)
    seed = dict(seed or {})
    customers_wanted = int(seed.get("customers", 0))
    invoices_wanted = int(seed.get("invoices", 0))
    rng = random.Random(int(seed.get("random_seed", 1)))
    end = date.fromisoformat(seed["end_date"]) if seed.get("end_date") else account_clock.local_today(timezone)
    months = max(1, int(seed.get("months", 12)))
    starts = _month_starts(end, months)
    first_day = (starts[0] - timedelta(days=30)).isoformat()
    with store.write():
        customers = seed_customers.generate(store, rng, customers_wanted, first_day, now) if customers_wanted else []
        summary = {"customers": len(customers), "invoices": 0}
        if customers and invoices_wanted:
            writer = InvoiceWriter(store, rng, customers, starts, end, now)
            writer.write(invoices_wanted)
            seed_deposits.write(writer)
            writer.finish()
            summary.update(writer.summary())
    store.create_indexes()
    store.conn.execute("ANALYZE")
    return summary
