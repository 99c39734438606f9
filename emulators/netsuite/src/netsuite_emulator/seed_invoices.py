"""Generates invoices (with lines), their payments, credit memos, deletions and voids."""

import random
from datetime import date

from netsuite_emulator import seed_lines
from netsuite_emulator.seed_reference import ITEMS
from netsuite_emulator.store import Store
from netsuite_emulator.tx_write import INSERT_LINE_WITH_KIND, INSERT_TX, PLAIN_KIND

LINE_COUNTS = [1] * 30 + [2] * 25 + [3] * 18 + [4] * 10 + [5] * 7 + [6] * 5 + [7] * 3 + [8] * 2
BY_KIND = {kind: [item for item in ITEMS if item[6] == kind] for kind in ("managed", "licence", "hardware", "labour")}
EXTRA_KINDS = ["licence"] * 5 + ["labour"] * 3 + ["hardware"] * 2
QUANTITY = {"managed": (1, 1), "licence": (5, 120), "hardware": (1, 5), "labour": (1, 16)}
CHUNK = 20_000
LINK = ("INSERT INTO nexttransactionlinelink (previousdoc, previousline, previoustype, nextdoc, nextline, nexttype, "
        "linktype, foreignamount, linkdate, lastmodifieddate) VALUES (?, 0, 'CustInvc', ?, 0, ?, 'Payment', ?, ?, ?)")
DELETED = ("INSERT INTO deletedrecord (recordid, recordtypeid, name, type, context, deletedby, deleteddate) "
           "VALUES (?, 'invoice', ?, 'Invoice', 'User Interface', -5, ?)")


class InvoiceWriter:
    def __init__(self, store: Store, rng: random.Random, customers: list, starts: list[date], end: date, now: str):
        self.store, self.rng, self.customers, self.starts, self.now = store, rng, customers, starts, now
        self.today = end.toordinal()
        self.next_id = 100
        self.invoice_number = 1000
        self.payment_number = 1000
        self.credit_number = 1000
        self.transactions, self.lines, self.links, self.deleted = [], [], [], []
        self.undeposited: dict[tuple, list] = {}  # (week, subsidiary, currency) -> [(payment id, cents, entity, day)]
        self.counts = {"invoices": 0, "payments": 0, "credit_memos": 0, "deleted": 0, "voided": 0, "deposits": 0}
        self._days: dict[int, str] = {}

    def day(self, ordinal: int) -> str:
        text = self._days.get(ordinal)
        if text is None:
            text = self._days[ordinal] = date.fromordinal(ordinal).isoformat()
        return text

    def stamp(self, ordinal: int) -> str:
        seconds = self.rng.randrange(14 * 3600, 23 * 3600)
        text = f"{self.day(ordinal)} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        return min(text, self.now)

    def take_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def write(self, wanted: int) -> None:
        months = len(self.starts)
        for index in range(wanted):
            customer = self.customers[index % len(self.customers)]
            start = self.starts[index * months // wanted].toordinal()
            ordinal = min(start + (customer[0] * 7 + index // len(self.customers)) % 28, self.today)
            self.invoice(customer, ordinal)
            if self.rng.random() < 0.003:
                self.delete_one(customer, ordinal)
            if len(self.transactions) >= CHUNK:
                self.flush()

    def delete_one(self, customer, ordinal: int) -> None:
        invoice_id = self.take_id()
        self.invoice_number += 1
        deleted_on = self.stamp(min(ordinal + self.rng.randint(0, 20), self.today))
        self.deleted.append((invoice_id, f"INV{self.invoice_number}", deleted_on))
        self.counts["deleted"] += 1

    def item_lines(self, invoice_id: int, customer, created: str) -> tuple[list, int]:
        rows, total = [], 0
        kinds = ["managed"] + [self.rng.choice(EXTRA_KINDS) for _ in range(self.rng.choice(LINE_COUNTS) - 1)]
        for number, kind in enumerate(kinds, start=1):
            item = BY_KIND[kind][customer[0] % 3] if kind == "managed" else self.rng.choice(BY_KIND[kind])
            quantity = self.rng.randint(*QUANTITY[kind])
            amount = quantity * item[4]
            total += amount
            rows.append((invoice_id, number, number, "F", "F", "item", item[0], -quantity, item[4] / 100,
                         -amount / 100, -amount / 100, item[2], customer[0], customer[1], item[5], None, created,
                         "F", "F", item[3], "F", "F"))
        others = seed_lines.Lines(invoice_id, customer, created, len(rows))
        total = seed_lines.extras(self.rng, others, total)
        return rows + others.rows, total

    def invoice(self, customer, ordinal: int) -> None:
        invoice_id = self.take_id()
        self.invoice_number += 1
        created = self.stamp(ordinal)
        lines, total = self.item_lines(invoice_id, customer, created)
        paid, modified, status, voided = 0, created, "A", "F"
        age = self.today - ordinal
        chance = self.rng.random()
        if chance < 0.003:
            total, status, voided = 0, "V", "T"
            modified = self.stamp(min(ordinal + 2, self.today))
            lines = [(*line[:8], 0.0, 0.0, 0.0, *line[11:]) for line in lines]
            self.counts["voided"] += 1
        else:
            paid, modified = self.settle(invoice_id, customer, ordinal, total, age, modified)
            status = "B" if paid >= total else "A"
        tranid = f"INV{self.invoice_number}"
        self.transactions.append((
            invoice_id, tranid, tranid, "CustInvc", "invoice", "INV", customer[0], self.day(ordinal),
            self.day(ordinal + 30), created, modified, status, customer[2], 1.0, total / 100, paid / 100,
            (total - paid) / 100, None, None, None, None, None, voided, "T", customer[1], 4, None, None))
        self.lines.append((invoice_id, 0, 0, "T", "F", "main", None, None, None, total / 100, total / 100, None,
                           customer[0], customer[1], 4, None, modified))
        self.lines.extend(lines)
        self.counts["invoices"] += 1

    def settle(self, invoice_id, customer, ordinal, total, age, modified) -> tuple[int, str]:
        full, partial = (0.9, 0.05) if age > 60 else ((0.6, 0.1) if age > 30 else (0.2, 0.1))
        chance = self.rng.random()
        paid = 0
        if self.rng.random() < 0.02:
            credit = total * self.rng.choice((10, 25, 50, 100)) // 100
            modified = max(modified, self.credit_memo(invoice_id, customer, ordinal, credit))
            paid += credit
        if chance < full + partial and paid < total:
            amount = total - paid if chance < full else (total - paid) * self.rng.choice((25, 40, 50, 60, 75)) // 100
            if amount > 0:
                modified = max(modified, self.payment(invoice_id, customer, ordinal, amount))
                paid += amount
        return paid, modified

    def payment(self, invoice_id, customer, ordinal, amount) -> str:
        payment_id = self.take_id()
        self.payment_number += 1
        pay_day = min(ordinal + self.rng.randint(3, 45), self.today)
        created = self.stamp(pay_day)
        undeposited = self.rng.random() < 0.9
        deposit_due = undeposited and pay_day <= self.today - 3
        status = "C" if deposit_due or not undeposited else "B"
        account = 3 if undeposited else 1
        self.transactions.append((
            payment_id, str(self.payment_number), str(self.payment_number), "CustPymt", "customerpayment", "PYMT",
            customer[0], self.day(pay_day), None, created, created, status, customer[2], 1.0, amount / 100, None,
            None, amount / 100, 0.0, None, None, None, "F", "T", customer[1], account,
            "T" if undeposited else "F", None))
        self.lines.append((payment_id, 0, 0, "T", "F", "main", None, None, None, amount / 100, amount / 100, None,
                           customer[0], customer[1], account, None, created))
        self.links.append((invoice_id, payment_id, "CustPymt", amount / 100, self.day(pay_day), created))
        if deposit_due:
            key = (pay_day // 7, customer[1], customer[2])
            self.undeposited.setdefault(key, []).append((payment_id, amount, customer[0], created))
        self.counts["payments"] += 1
        return created

    def credit_memo(self, invoice_id, customer, ordinal, credit) -> str:
        credit_id = self.take_id()
        self.credit_number += 1
        created = self.stamp(min(ordinal + self.rng.randint(1, 20), self.today))
        tranid = f"CM{self.credit_number}"
        self.transactions.append((
            credit_id, tranid, tranid, "CustCred", "creditmemo", "CREDMEM", customer[0], created[:10], None,
            created, created, "B", customer[2], 1.0, -credit / 100, None, None, credit / 100, 0.0,
            "Service level credit", None, None, "F", "T", customer[1], 4, None, invoice_id))
        self.lines.append((credit_id, 0, 0, "T", "F", "main", None, None, None, -credit / 100, -credit / 100, None,
                           customer[0], customer[1], 4, None, created))
        self.lines.append((credit_id, 1, 1, "F", "F", "item", 11, 1, credit / 100, credit / 100, credit / 100,
                           "Service level credit", customer[0], customer[1], 8, None, created))
        self.links.append((invoice_id, credit_id, "CustCred", credit / 100, created[:10], created))
        self.counts["credit_memos"] += 1
        return created

    def flush(self) -> None:
        conn = self.store.conn
        conn.executemany(INSERT_TX, self.transactions)
        conn.executemany(INSERT_LINE_WITH_KIND, [line if len(line) > 17 else (*line, *PLAIN_KIND) for line in self.lines])
        conn.executemany(LINK, self.links)
        conn.executemany(DELETED, self.deleted)
        self.transactions, self.lines, self.links, self.deleted = [], [], [], []

    def finish(self) -> None:
        self.flush()
        store = self.store
        store.set_counter("transaction", self.next_id)
        store.set_counter("tranid:INV", self.invoice_number)
        store.set_counter("tranid:", self.payment_number)
        store.set_counter("tranid:CM", self.credit_number)

    def summary(self) -> dict:
        return dict(self.counts)
