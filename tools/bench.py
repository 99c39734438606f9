"""make bench: run every benchmark script, collect its JSON numbers into reports/.

Benchmarks: emulators/*/bench*.py, libs/*/bench*.py, services/*/bench/*.py. Each prints JSON
(one object, possibly after other output) on stdout. ``make bench ARGS="connector"`` runs only
the scripts whose path contains "connector".
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"


def scripts(filters: list[str]) -> list[Path]:
    found = sorted([*ROOT.glob("emulators/*/bench*.py"), *ROOT.glob("libs/*/bench*.py"), *ROOT.glob("services/*/bench/*.py")])
    return [p for p in found if not filters or any(f in str(p) for f in filters)]


def last_json(text: str):
    for start in [i for i, ch in enumerate(text) if ch == "{"]:
        try:
            return json.loads(text[start:])
        except json.JSONDecodeError:
            continue
    return None


def main(filters: list[str]) -> int:
    REPORTS.mkdir(exist_ok=True)
    summary: dict[str, object] = {}
    for script in scripts(filters):
        name = str(script.relative_to(ROOT))
        print(f"== {name}", flush=True)
        started = time.monotonic()
        result = subprocess.run([sys.executable, str(script)], cwd=ROOT, capture_output=True, text=True, timeout=3600)
        numbers = last_json(result.stdout)
        summary[name] = {"exit_code": result.returncode, "seconds": round(time.monotonic() - started, 1), "numbers": numbers}
        print(json.dumps(summary[name], indent=2)[:2000], flush=True)
        if result.returncode != 0:
            print(result.stderr[-2000:], file=sys.stderr)
    (REPORTS / "bench-summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(f"summary: {REPORTS / 'bench-summary.json'}")
    return 0 if all(v["exit_code"] == 0 for v in summary.values()) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
