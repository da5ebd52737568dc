#!/usr/bin/env bash
# The browser tests need Debian's Chromium. Install it on a fresh machine (as root, from Debian's packages only), with
# Debian's chromium-headless-shell beside it: the same Chromium built for headless use only, which the tests prefer
# because it does the same work for about a third less CPU (docs/performance.md, "Test time").
set -u
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
shell=/usr/bin/chromium-headless-shell
if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$path" ] && exit 0
elif [ -x "$path" ] && [ -x "$shell" ]; then
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found: installing Debian's chromium and chromium-headless-shell packages for the browser tests…" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get install -y -qq chromium chromium-headless-shell || { apt-get update -qq && apt-get install -y -qq chromium chromium-headless-shell; }; } >/dev/null 2>&1
fi
if [ -x "$path" ] || [ -x "$shell" ]; then exit 0; fi
echo "warning: Chromium not found at $path; browser tests will fail. Install it: apt-get install -y chromium" >&2
exit 0
