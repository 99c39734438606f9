#!/usr/bin/env bash
# Creates .venv and installs the hashed lock (only when the lock changed), then links every
# package's src/ into the venv. A second run with nothing changed takes well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
stamp=.venv/.suitebridge-installed
want=$(cat requirements.lock | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: creating .venv and installing the locked dependencies" >&2
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
    -r requirements.lock 2>&1 | { grep -v "is ignored: it is neither" >&2 || true; }
  echo "$want" > "$stamp"
fi
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
pth="$site/suitebridge-src.pth"
new=$(for src in libs/*/src services/*/src emulators/*/src; do [ -d "$src" ] && echo "$PWD/$src"; done)
if [ ! -f "$pth" ] || [ "$(cat "$pth")" != "$new" ]; then
  echo "$new" > "$pth"
fi
