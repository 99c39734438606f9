"""The invoice lines besides plain items, as NetSuite posts them: inventory items with their COGS
lines (at cost), kits with component lines, discount, shipping and tax lines.

Signs as SuiteQL shows an invoice: income (items, kits, shipping) and tax are credits, negative;
a discount is a debit, positive; the COGS pair is a debit to COGS and a credit to the inventory
asset, at cost. Amounts here are integer cents."""

import random

from netsuite_emulator.seed_reference import COSTS, ITEMS, KIT_COMPONENTS

BY_ID = {item[0]: item for item in ITEMS}
INVENTORY, KIT, DISCOUNT, SHIPPING = (14, 15), 16, 17, 18
COGS_ACCOUNT, ASSET_ACCOUNT, TAX_ACCOUNT = 13, 12, 14
TAX_RATE_BP = 825  # 8.25 %


class Lines:
    """Appends line tuples (transactionline columns, then the kind columns) for one invoice."""

    def __init__(self, invoice_id: int, customer, created: str, first: int):
        self.invoice_id, self.customer, self.created = invoice_id, customer, created
        self.number = first
        self.rows: list[tuple] = []

    def add(self, sublist, item, quantity, rate, cents, memo, account, *, taxline="F", iscogs="F",
            discount="F", itemtype=None, component="F") -> int:
        self.number += 1
        self.rows.append((self.invoice_id, self.number, self.number, "F", taxline, sublist, item, quantity, rate,
                          cents / 100, cents / 100, memo, self.customer[0], self.customer[1], account, None,
                          self.created, iscogs, discount, itemtype, component, "F"))
        return self.number

    def sold(self, item_id: int, quantity: int) -> int:
        """An item line (income, negative); returns its amount in cents."""
        item = BY_ID[item_id]
        cents = quantity * item[4]
        self.add("item", item_id, -quantity, item[4] / 100, -cents, item[2], item[5], itemtype=item[3])
        return cents

    def cogs(self, item_id: int, quantity: int, itemtype: str = "InvtPart") -> None:
        cost = quantity * COSTS[item_id]
        memo = BY_ID[item_id][2]
        self.add("cogs", item_id, -quantity, COSTS[item_id] / 100, cost, memo, COGS_ACCOUNT, iscogs="T",
                 itemtype=itemtype)
        self.add("cogs", item_id, -quantity, COSTS[item_id] / 100, -cost, memo, ASSET_ACCOUNT, iscogs="T",
                 itemtype=itemtype)


def extras(rng: random.Random, lines: Lines, subtotal: int) -> int:
    """Adds the non-plain lines to ``lines``; returns the invoice total in cents."""
    shipped = False
    if rng.random() < 0.25:
        item_id, quantity = rng.choice(INVENTORY), rng.randint(1, 4)
        subtotal += lines.sold(item_id, quantity)
        lines.cogs(item_id, quantity)
        shipped = True
    if rng.random() < 0.05:
        subtotal += lines.sold(KIT, 1)
        for component, quantity in KIT_COMPONENTS[KIT]:
            lines.add("kitcomponent", component, -quantity, 0.0, 0, BY_ID[component][2], BY_ID[component][5],
                      itemtype="InvtPart", component="T")
            lines.cogs(component, quantity)
        shipped = True
    if rng.random() < 0.1:
        cents = subtotal * rng.choice((5, 10)) // 100
        lines.add("item", DISCOUNT, None, None, cents, BY_ID[DISCOUNT][2], BY_ID[DISCOUNT][5], discount="T",
                  itemtype="Discount")
        subtotal -= cents
    if shipped:
        subtotal += lines.sold(SHIPPING, 1)
    if rng.random() < 0.3:
        tax = subtotal * TAX_RATE_BP // 10_000
        lines.add("tax", None, None, TAX_RATE_BP / 100, -tax, "Sales tax", TAX_ACCOUNT, taxline="T")
        subtotal += tax
    return subtotal
