#!/usr/bin/env bash
# Installs netsuite/'s locked Node dev dependencies (Jest, SuiteCloud unit testing) only when
# node_modules is missing or package-lock.json changed. A second run with nothing changed is instant.
set -euo pipefail
cd "$(dirname "$0")/../netsuite"
stamp=node_modules/.suitebridge-installed
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "ensure_node_deps: installing netsuite/ dev dependencies from package-lock.json" >&2
  npm ci --no-audit --no-fund >&2
  echo "$want" > "$stamp"
fi
