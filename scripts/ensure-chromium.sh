#!/usr/bin/env bash
# The browser tests need Debian's Chromium. Install it on a fresh machine (as root, from Debian's packages only).
set -u
path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$path" ] && exit 0
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Chromium not found at $path: installing Debian's chromium package for the browser tests…" >&2
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq chromium; } >/dev/null 2>&1 && exit 0
fi
echo "warning: Chromium not found at $path; browser tests will fail. Install it: apt-get install -y chromium" >&2
exit 0
