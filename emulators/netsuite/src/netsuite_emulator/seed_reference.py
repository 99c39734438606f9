"""Reference data every account starts with: currencies, subsidiaries, accounts, items."""

from netsuite_emulator.store import Store

CURRENCIES = [(1, "USD", "USD", "T", 1.0), (2, "EUR", "EUR", "F", 1.08), (3, "GBP", "GBP", "F", 1.27),
              (4, "CAD", "CAD", "F", 0.73)]
SUBSIDIARIES = [
    (1, "Northwind IT Services Inc.", "Northwind IT Services Inc.", "Northwind IT Services Inc.", 1, "US", None),
    (2, "Northwind IT Services Ltd", "Northwind IT Services Inc. : Northwind IT Services Ltd",
     "Northwind IT Services Ltd", 3, "GB", 1),
    (3, "Northwind IT Services GmbH", "Northwind IT Services Inc. : Northwind IT Services GmbH",
     "Northwind IT Services GmbH", 2, "DE", 1),
]
# id, number, name, type, special account type, subsidiary
ACCOUNTS = [
    (1, "1000", "Operating Checking", "Bank", None, 1),
    (2, "1020", "Merchant Settlement", "Bank", None, 1),
    (3, "1100", "Undeposited Funds", "OthCurrAsset", "UndepFunds", 1),
    (4, "1200", "Accounts Receivable", "AcctRec", "AcctRec", 1),
    (5, "2400", "Customer Deposits", "OthCurrLiab", "CustDep", 1),
    (6, "4000", "Managed Services Revenue", "Income", None, 1),
    (7, "4100", "Hardware Sales", "Income", None, 1),
    (8, "4200", "Professional Services Revenue", "Income", None, 1),
    (9, "4900", "Platform Income", "Income", None, 1),
    (10, "6150", "Payment Processing Fees", "Expense", None, 1),
    (11, "3900", "Retained Earnings", "Equity", "RetEarnings", 1),
    (12, "1300", "Inventory Asset", "OthCurrAsset", None, 1),
    (13, "5000", "Cost of Goods Sold", "COGS", None, 1),
    (14, "2200", "Sales Tax Payable", "OthCurrLiab", None, 1),
    (15, "4050", "Shipping Income", "Income", None, 1),
    (16, "4950", "Sales Discounts", "Income", None, 1),
    (17, "1030", "CAD Operating Account", "Bank", None, 1),
]
# Accounts not in the base currency (USD): a foreign-currency bank account, as Multiple Currencies allows.
ACCOUNT_CURRENCY = {17: 4}
# id, item id, display name, type, base price (cents), income account, kind
ITEMS = [
    (1, "MS-ESSENTIAL", "Managed Services - Essentials (monthly)", "Service", 150000, 6, "managed"),
    (2, "MS-PRO", "Managed Services - Professional (monthly)", "Service", 350000, 6, "managed"),
    (3, "MS-ENTERPRISE", "Managed Services - Enterprise (monthly)", "Service", 720000, 6, "managed"),
    (4, "LIC-M365-BP", "Microsoft 365 Business Premium licence", "NonInvtPart", 2200, 6, "licence"),
    (5, "LIC-M365-BS", "Microsoft 365 Business Standard licence", "NonInvtPart", 1250, 6, "licence"),
    (6, "LIC-EDR", "Endpoint detection & response licence", "NonInvtPart", 600, 6, "licence"),
    (7, "LIC-BACKUP-TB", "Cloud backup (per TB)", "NonInvtPart", 4500, 6, "licence"),
    (8, "HW-LAPTOP", "Business laptop 14in", "NonInvtPart", 129900, 7, "hardware"),
    (9, "HW-FIREWALL", "Firewall appliance", "NonInvtPart", 89900, 7, "hardware"),
    (10, "HW-DOCK", "USB-C docking station", "NonInvtPart", 18900, 7, "hardware"),
    (11, "LAB-ENGINEER", "Engineer labour (hour)", "Service", 14500, 8, "labour"),
    (12, "LAB-PROJECT", "Project labour (hour)", "Service", 17500, 8, "labour"),
    (13, "LAB-AFTERHOURS", "After-hours support (hour)", "Service", 22000, 8, "labour"),
    (14, "INV-SWITCH-24", "Managed switch 24-port", "InvtPart", 64900, 7, "inventory"),
    (15, "INV-AP-WIFI6", "Wi-Fi 6 access point", "InvtPart", 24900, 7, "inventory"),
    (16, "KIT-OFFICE", "Small office network kit", "Kit", 119900, 7, "kit"),
    (17, "DISC-LOYALTY", "Loyalty discount", "Discount", 0, 16, "discount"),
    (18, "SHIP-GROUND", "Ground shipping", "ShipItem", 2500, 15, "shipping"),
]
# Unit cost (cents) of inventory items: COGS is posted at cost on the invoice.
COSTS = {14: 41000, 15: 15500}
KIT_COMPONENTS = {16: ((14, 1), (15, 2))}


def load(store: Store, now: str) -> None:
    conn = store.conn
    conn.executemany("INSERT INTO currency (id, name, symbol, isbasecurrency, exchangerate, lastmodifieddate) "
                     "VALUES (?, ?, ?, ?, ?, ?)", [(*row, now) for row in CURRENCIES])
    conn.executemany("INSERT INTO subsidiary (id, name, fullname, legalname, currency, country, parent, "
                     "lastmodifieddate) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [(*row, now) for row in SUBSIDIARIES])
    conn.executemany(
        "INSERT INTO account (id, acctnumber, accountsearchdisplayname, fullname, displaynamewithhierarchy, "
        "accttype, sspecacct, currency, subsidiary, lastmodifieddate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [(number_id, number, f"{number} {name}", name, name, kind, special, ACCOUNT_CURRENCY.get(number_id, 1),
          subsidiary, now)
         for number_id, number, name, kind, special, subsidiary in ACCOUNTS])
    conn.executemany("INSERT INTO item (id, itemid, displayname, fullname, itemtype, description, baseprice, "
                     "incomeaccount, lastmodifieddate) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     [(item_id, code, name, code, kind, name, price / 100, income, now)
                      for item_id, code, name, kind, price, income, _ in ITEMS])
    store.set_counter("account", len(ACCOUNTS))
