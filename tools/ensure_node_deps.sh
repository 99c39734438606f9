#!/usr/bin/env bash
# Installs the locked Node dev dependencies — netsuite/ (Jest, SuiteCloud unit testing) and
# tests/e2e/axe/ (axe-core for the browser tests' accessibility check) — only when node_modules
# is missing or package-lock.json changed. A second run with nothing changed is instant.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
for project in netsuite tests/e2e/axe; do
  cd "$root/$project"
  stamp=node_modules/.suitebridge-installed
  want=$(sha256sum package-lock.json | cut -d' ' -f1)
  if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "ensure_node_deps: installing $project dev dependencies from package-lock.json" >&2
    npm ci --no-audit --no-fund >&2
    echo "$want" > "$stamp"
  fi
done
