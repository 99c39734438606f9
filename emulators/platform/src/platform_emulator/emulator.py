"""The emulated payments platform: reads suitebridge's invoices, publishes payments, failures and payouts."""
from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from aiokafka import AIOKafkaProducer
from contracts import topics
from contracts.envelope import Event, utc_now
from contracts.invoices import PlatformInvoiceUpdated
from contracts.payments import PaymentFailed, PaymentReceived
from contracts.payouts import DepositPosted, Fee
from sb_runtime.kafka import ensure_topics, new_producer
from sb_runtime.logging import get_logger

from platform_emulator import lookup
from platform_emulator.book import InvoiceBook, InvoiceView
from platform_emulator.choices import Choices
from platform_emulator.config import EmulatorConfig
from platform_emulator.feed import TopicFeed, replay
from platform_emulator.ledger import Ledger
from platform_emulator.load import LoadResult, run_load
from platform_emulator.planner import Planner
from platform_emulator.runner import run_loop
from platform_emulator.summary import summarize

log = get_logger(__name__)
TOPICS = (topics.INVOICES, topics.PLATFORM_PAYMENTS, topics.PLATFORM_PAYOUTS)


class PlatformEmulator:
    """``async with PlatformEmulator(bootstrap, tenants=("t",), seed=7) as platform: await platform.run(stop)``.

    Keyword options override fields of ``config`` (see ``EmulatorConfig``). Every helper returns the
    event it published; ``published`` holds them all, ``summary()`` counts and totals them.
    """

    def __init__(self, bootstrap_servers: str, config: EmulatorConfig | None = None, *,
                 clock: Callable[[], datetime] = utc_now, **options):
        self.config = replace(config or EmulatorConfig(), **options).with_seed()
        self.bootstrap_servers = bootstrap_servers
        self.book, self.ledger = InvoiceBook(), Ledger()
        self.planner = Planner(self.config, self.book, self.ledger, Choices(self.config))
        self.published: list[Event] = []
        self.clock = clock
        self._producer: AIOKafkaProducer | None = None
        self._feed: TopicFeed | None = None

    async def __aenter__(self) -> PlatformEmulator:
        await self.start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.stop()

    @property
    def started(self) -> bool:
        return self._producer is not None

    async def start(self, follow_invoices: bool = True) -> None:
        await ensure_topics(self.bootstrap_servers, dict.fromkeys(TOPICS, self.config.topic_partitions))
        self._producer = new_producer(self.bootstrap_servers)
        await self._producer.start()
        if self.config.resume:
            for topic in (topics.PLATFORM_PAYMENTS, topics.PLATFORM_PAYOUTS):
                await replay(self.bootstrap_servers, topic, self._remember)
        if follow_invoices:
            self._feed = TopicFeed(self.bootstrap_servers, topics.INVOICES, self._observe_event)
            await self._feed.start()
        log.info("platform.started", seed=self.config.seed, tenants=list(self.config.tenants),
                 resumed_payments=len(self.ledger.payments))

    async def stop(self) -> None:
        if self._feed is not None:
            await self._feed.stop()
            self._feed = None
        if self._producer is not None:
            await self._producer.stop()
            self._producer = None

    # -- invoices -------------------------------------------------------------------------------

    def observe(self, event: PlatformInvoiceUpdated) -> None:
        """Learn an invoice directly (the invoice feed calls this for every one it reads)."""
        if self.config.wants(event.tenant_id):
            self.book.observe(event)

    def _observe_event(self, event: Event) -> None:
        if isinstance(event, PlatformInvoiceUpdated):
            self.observe(event)

    def _remember(self, event: Event) -> None:
        if self.config.wants(event.tenant_id):
            self.ledger.record(event)

    async def caught_up(self, timeout_s: float = 60.0) -> None:
        """Wait until the invoices on the stream at start are in the book."""
        if self._feed is not None:
            await asyncio.wait_for(self._feed.caught_up.wait(), timeout_s)

    async def wait_for_invoices(self, tenant_id: str | None = None, count: int = 1,
                                timeout_s: float = 30.0) -> list[InvoiceView]:
        """Wait until the book holds at least ``count`` payable invoices (of ``tenant_id``)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while len(found := self.book.payable(tenant_id)) < count:
            self._check_feed()
            if loop.time() > deadline:
                raise TimeoutError(f"{len(found)} of {count} payable invoices after {timeout_s}s")
            await asyncio.sleep(0.05)
        return found

    def balance(self, view: InvoiceView) -> Decimal:
        return self.planner.balance(view)

    def _check_feed(self) -> None:
        if self._feed is not None and self._feed.error is not None:
            raise RuntimeError(f"the invoice feed stopped: {self._feed.error!r}") from self._feed.error

    # -- publishing -----------------------------------------------------------------------------

    async def publish(self, event: Event, wait: bool = True) -> asyncio.Future | None:
        """Publish one event (key: tenant id) and keep it in the ledger."""
        if self._producer is None:
            raise RuntimeError("start the emulator first (async with PlatformEmulator(...) as platform)")
        sent = await self._producer.send(event.TOPIC, event.to_bytes(), key=event.kafka_key())
        self.ledger.record(event)
        self.published.append(event)
        if not wait:
            return sent
        await sent
        log.info("platform.published", event_type=event.event_type, tenant_id=event.tenant_id,
                 event_id=event.event_id, **lookup.log_fields(event))
        return None

    async def pay(self, invoice: PlatformInvoiceUpdated | InvoiceView | str, amount: Decimal | str | None = None, *,
                  tenant_id: str | None = None, method: str | None = None,
                  surcharge: Decimal | str | None = None) -> PaymentReceived:
        """Pay (part of) a synced invoice; the full balance when ``amount`` is None."""
        view = lookup.invoice(self.book, invoice, tenant_id)
        event = self.planner.pay(view, self.clock(), amount=None if amount is None else Decimal(amount),
                                 method=method, surcharge=None if surcharge is None else Decimal(surcharge))
        await self.publish(event)
        return event

    async def pay_platform_invoice(self, tenant_id: str, amount: Decimal | str | None = None, *,
                                   invoice_id: str | None = None, currency: str | None = None,
                                   method: str | None = None, surcharge: Decimal | str | None = None) -> PaymentReceived:
        """Pay an invoice created on the platform (R14); a new random ``inv_…`` id unless given."""
        event = self.planner.pay_platform_invoice(
            tenant_id, self.clock(), invoice_id=invoice_id, amount=None if amount is None else Decimal(amount),
            currency=currency, method=method, surcharge=None if surcharge is None else Decimal(surcharge))
        await self.publish(event)
        return event

    async def fail(self, payment: PaymentReceived | str, reason: str | None = None, *,
                   tenant_id: str | None = None) -> PaymentFailed:
        """Fail an earlier payment of this emulator (ACH return, chargeback)."""
        event = self.planner.fail(lookup.payment(self.ledger, payment, tenant_id), self.clock(), reason)
        await self.publish(event)
        return event

    async def payout(self, payment_ids: Iterable[str], fees: Sequence[Fee | Mapping | tuple] | None = None, *,
                     tenant_id: str | None = None) -> DepositPosted:
        """Pay out these payments (one tenant, one currency); fees from the price list unless given,
        e.g. ``[("processing", "1.20")]``."""
        payments = [lookup.payment(self.ledger, payment_id, tenant_id) for payment_id in payment_ids]
        lines = None if fees is None else [lookup.fee_line(fee) for fee in fees]
        event = self.planner.payout(payments, self.clock(), lines)
        await self.publish(event)
        return event

    async def settle(self) -> list[DepositPosted]:
        """Pay out every payment that is due now (what the payout cadence does)."""
        payouts = self.planner.due_payouts(self.clock())
        for event in payouts:
            await self.publish(event)
        return payouts

    async def run(self, stop_event: asyncio.Event | None = None, *, max_events: int | None = None,
                  duration_s: float | None = None) -> dict:
        """Publish payment events at ``config.rate`` and payouts every ``config.payout_interval_s`` until
        ``stop_event`` is set, ``max_events`` payment events were published or ``duration_s`` passed."""
        started_here = not self.started
        if started_here:
            await self.start()
        try:
            await run_loop(self, stop_event or asyncio.Event(), max_events, duration_s)
        finally:
            if started_here:
                await self.stop()
        return self.summary()

    async def load(self, tenant_id: str, payments: int, *, invoice_ids: Sequence[str] | None = None,
                   amount: Decimal | str | None = None, currency: str | None = None, method: str = "ach") -> LoadResult:
        """Publish ``payments`` payments as fast as the broker takes them (benchmarks)."""
        return await run_load(self, tenant_id, payments, invoice_ids=invoice_ids,
                              amount=None if amount is None else Decimal(amount), currency=currency, method=method)

    def summary(self) -> dict:
        known = {(v.tenant_id, v.invoice_id) for v in self.book.invoices()}
        return summarize(self.ledger, self.config.seed, len(self.book), known)
