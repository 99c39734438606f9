"""python -m platform_emulator run  --bootstrap HOST:PORT [--tenant T ...] [--rate 2] [--payout-interval 60] ...
python -m platform_emulator load --bootstrap HOST:PORT --tenant T --payments 300 [--invoice-id ID ...]"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from decimal import Decimal

from sb_runtime.logging import configure_logging

from platform_emulator.config import EmulatorConfig
from platform_emulator.emulator import PlatformEmulator
from platform_emulator.summary import as_text


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="platform_emulator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="pay synced invoices at a steady rate, fail some, pay out on a cadence")
    load = commands.add_parser("load", help="publish N payments as fast as possible (benchmarks)")
    for command in (run, load):
        command.add_argument("--bootstrap", default=os.environ.get("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"))
        command.add_argument("--seed", type=int, help="random seed (default: drawn, and printed in the summary)")
        command.add_argument("--summary", choices=("text", "json"), default="text")
        command.add_argument("--log-level", default="info")
    run.add_argument("--tenant", action="append", default=[], help="only this tenant (repeatable; default: all)")
    run.add_argument("--rate", type=float, default=1.0, help="payment events per second")
    run.add_argument("--failure-ratio", type=float, default=0.05)
    run.add_argument("--platform-invoice-ratio", type=float, default=0.05)
    run.add_argument("--partial-ratio", type=float, default=0.3)
    run.add_argument("--overpayment-ratio", type=float, default=0.0)
    run.add_argument("--card-surcharge-rate", type=Decimal, default=Decimal("0.03"))
    run.add_argument("--payout-interval", type=float, default=60.0, help="seconds between payouts ('daily')")
    run.add_argument("--payout-min-age", type=float, default=0.0, help="seconds a payment waits before a payout")
    run.add_argument("--max-events", type=int, help="stop after this many payment events")
    run.add_argument("--duration", type=float, help="stop after this many seconds")
    run.add_argument("--no-resume", dest="resume", action="store_false",
                     help="do not rebuild the ledger from the platform topics at start")
    load.add_argument("--tenant", required=True)
    load.add_argument("--payments", type=int, required=True)
    load.add_argument("--invoice-id", action="append", dest="invoice_ids",
                      help="pay these ids round-robin (repeatable; default: the tenant's synced invoices)")
    load.add_argument("--amount", type=Decimal, help="amount per payment (default 1.00, capped at the balance)")
    load.add_argument("--currency", help="currency for ids the invoice stream does not know")
    load.add_argument("--method", default="ach", choices=("ach", "card", "check", "other"))
    return parser


def _config(args: argparse.Namespace) -> EmulatorConfig:
    if args.command == "load":
        return EmulatorConfig(seed=args.seed, tenants=(args.tenant,))
    return EmulatorConfig(
        seed=args.seed, rate=args.rate, tenants=tuple(args.tenant), failure_ratio=args.failure_ratio,
        platform_invoice_ratio=args.platform_invoice_ratio, partial_ratio=args.partial_ratio,
        overpayment_ratio=args.overpayment_ratio, card_surcharge_rate=args.card_surcharge_rate,
        payout_interval_s=args.payout_interval, payout_min_age_s=args.payout_min_age, resume=args.resume)


async def _main(args: argparse.Namespace) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    async with PlatformEmulator(args.bootstrap, _config(args)) as platform:
        if args.command == "load":
            result = await platform.load(args.tenant, args.payments, invoice_ids=args.invoice_ids,
                                         amount=args.amount, currency=args.currency, method=args.method)
            print(json.dumps(result.as_dict()), flush=True)
        else:
            await platform.run(stop, max_events=args.max_events, duration_s=args.duration)
        summary = platform.summary()
    print(json.dumps(summary) if args.summary == "json" else as_text(summary), flush=True)


def main(argv: list[str] | None = None) -> None:
    args = _parser().parse_args(argv)
    try:
        _config(args)
    except ValueError as error:
        _parser().error(str(error))
    configure_logging("platform-emulator", args.log_level)
    asyncio.run(_main(args))
    sys.exit(0)


if __name__ == "__main__":
    main()
