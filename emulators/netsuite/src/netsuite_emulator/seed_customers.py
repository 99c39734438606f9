"""Seeded customers: small and mid-sized businesses buying IT services."""

import random

from netsuite_emulator.store import Store

FIRST = ["Acme", "Blue Ridge", "Cedar", "Summit", "Harbor", "Northgate", "Pioneer", "Riverside", "Granite",
         "Oakwood", "Silverline", "Maple", "Lakeshore", "Redwood", "Beacon", "Evergreen", "Ironclad", "Sunrise",
         "Westfield", "Crescent", "Bright", "Copperleaf", "Falcon", "Highland", "Keystone", "Meridian"]
SECOND = ["Dental", "Logistics", "Law Group", "Architects", "Accounting", "Medical Partners", "Realty",
          "Engineering", "Foods", "Manufacturing", "Insurance", "Consulting", "Veterinary", "Construction",
          "Design Studio", "Wealth Advisors", "Pharmacy", "Academy", "Hotels", "Motors"]
SUFFIX = {1: ["LLC", "Inc.", "Co.", "Group"], 2: ["Ltd", "LLP", "plc"], 3: ["GmbH", "AG", "KG"]}
SUBSIDIARY_CURRENCY = {1: 1, 2: 3, 3: 2}


def generate(store: Store, rng: random.Random, count: int, start_day: str, now: str) -> list[tuple[int, int, int]]:
    """Returns (id, subsidiary, currency) per customer."""
    rows, customers, seen = [], [], set()
    for customer_id in range(1, count + 1):
        subsidiary = 1 if rng.random() < 0.8 else (2 if rng.random() < 0.6 else 3)
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {rng.choice(SUFFIX[subsidiary])}"
        if name in seen:
            name = f"{name} ({customer_id})"
        seen.add(name)
        domain = name.split(" (")[0].lower().replace(" ", "").replace(".", "").replace("&", "")
        currency = SUBSIDIARY_CURRENCY[subsidiary]
        created = f"{start_day} {rng.randint(14, 22):02d}:{rng.randint(0, 59):02d}:{rng.randint(0, 59):02d}"
        inactive = "T" if rng.random() < 0.03 else "F"
        rows.append((customer_id, name, name, f"billing@{domain[:30]}.example", f"+1 555 {rng.randint(1000000, 9999999)}",
                     currency, subsidiary, inactive, created, max(created, now[:10] + " 00:00:00") if inactive == "T" else created))
        customers.append((customer_id, subsidiary, currency))
    store.conn.executemany(
        "INSERT INTO customer (id, entityid, companyname, email, phone, currency, subsidiary, isinactive, "
        "datecreated, lastmodifieddate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    store.set_counter("customer", count)
    return customers
