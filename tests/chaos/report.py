"""reports/chaos.json (every figure) and reports/chaos.md (a table), rewritten after each scenario
so the numbers exist even when an assertion fails or a later scenario does not finish."""
from __future__ import annotations

import json
import subprocess
import time
from dataclasses import asdict
from pathlib import Path

from devstack.stack import REPO_ROOT

from .scenario import Settings

COLUMNS = ("scenario", "payments offered", "payouts offered", "written once", "duplicates", "lost",
           "refused", "valid dead-lettered", "healthy p95 before (s)", "healthy p95 during (s)",
           "payout p95 during (s)", "duration (s)", "load avg")


LEGEND = ("Written once: payments + payouts with exactly one NetSuite record. Lost: offered, no record and no "
          "refusal (action_needed/failed outcome, or an open action item the partner must act on: currency_mismatch, deposit_does_not_balance, write_rejected, invoice_unknown) once the drain bound passed. p95: healthy tenants, offered "
          "in a baseline window (the first half of the seconds before the fault, at most up to 5 s before "
          "it) or during the fault, platform offer to NetSuite record "
          "(±0.5 s); \"unwritten\" when more than 5 % never reached NetSuite.")


class ChaosReport:
    def __init__(self, settings: Settings):
        self.path = REPO_ROOT / settings.report
        self.started = time.time()
        self.body = {"settings": asdict(settings), "commit": _commit(), "started_at": _iso(self.started),
                     "scenarios": {}}

    def add(self, scenario: dict) -> None:
        self.body["scenarios"][scenario["scenario"]] = scenario
        self.body["total_duration_s"] = round(time.time() - self.started, 1)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(self.body, indent=2) + "\n")
        self.path.with_suffix(".md").write_text(table(self.body))


def table(body: dict) -> str:
    settings = body["settings"]
    lines = [f"# Chaos suite ({Path(settings['report']).stem})", "",
             (f"Commit {body['commit']}, started {body['started_at']}, {body.get('total_duration_s')} s in all. "
              f"Faults of {settings['fault_s']:g} s; {settings['tenants']} healthy tenants (+1 whose NetSuite "
              f"fails in a); {settings['rate']:g} payments/s; a payout per tenant every "
              f"{settings['payout_interval_s']:g} s."),
             "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for name, s in body["scenarios"].items():
        pay, out, lat, before = s["payments"], s["payouts"], s["latency_during_fault"], s["latency_before_fault"]
        cells = [name, pay["offered"], out["offered"], f"{pay['written_once']} + {out['written_once']}",
                 pay["duplicates"] + out["duplicates"], pay["lost"] + out["lost"], pay["refused"] + out["refused"],
                 s["dead_lettered"]["total"], _num(before["payments"]["p95_s"], before["payments"]),
                 _num(lat["payments"]["p95_s"], lat["payments"]), _num(lat["payouts"]["p95_s"], lat["payouts"]),
                 s["duration_s"], s["load_average_1m"]]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += ["", LEGEND, ""]
    return "\n".join(lines)


def _num(value, figures: dict) -> str:
    if value is None:
        return "unwritten" if figures["count"] else "—"
    return f"{value:.1f}"


def _commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO_ROOT, capture_output=True,
                              text=True, timeout=10, check=False).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def _iso(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))
