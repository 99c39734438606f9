"""``python -m devstack run`` (make run) and ``python -m devstack up`` (stack only, for debugging)."""
from __future__ import annotations

import os
import sys


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "run"
    if command == "run":
        from devstack.supervisor import run

        return run(demo=os.environ.get("SUITEBRIDGE_DEMO", "on").lower() not in ("off", "0", "false", "no"))
    print("usage: python -m devstack run", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
