#!/usr/bin/env bash
# The browser test drives Debian's headless Chromium through chromedriver (selenium).
# Installs both from Debian's packages when missing (needs root, as on the dev machines and CI).
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then exit 0; fi
if [ "$(id -u)" != "0" ]; then
  echo "ensure_chromium: chromium/chromedriver missing and not root; run: sudo apt-get install -y chromium chromium-driver" >&2
  exit 1
fi
echo "ensure_chromium: installing Debian's chromium and chromium-driver" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq chromium chromium-driver >/dev/null
