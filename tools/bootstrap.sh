#!/usr/bin/env bash
# Creates .venv and installs the hashed lock; links every package's src/ into the venv.
# A second run with nothing changed returns in well under a second.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
stamp=.venv/.suitebridge-installed
want=$(cat requirements.lock tools/bootstrap.sh | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
echo "bootstrap: creating .venv and installing the locked dependencies" >&2
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock 2>&1 | { grep -v "is ignored: it is neither" >&2 || true; }
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
: > "$site/suitebridge-src.pth"
for src in libs/*/src services/*/src emulators/*/src; do
  [ -d "$src" ] && echo "$PWD/$src" >> "$site/suitebridge-src.pth"
done
echo "$want" > "$stamp"
