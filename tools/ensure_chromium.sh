#!/usr/bin/env bash
# The browser tests drive Debian's chromium. Install it when it is missing and
# we may (root with apt-get, as in CI). Otherwise say what to do; the browser
# tests then skip, unless WORKSHOP_REQUIRE_BROWSER=1 makes them fail instead.
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests..."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null && exit 0
  echo "Could not install chromium with apt-get." >&2
  exit 1
fi
echo "chromium is not installed: the browser tests will be skipped." >&2
echo "Install it (Debian/Ubuntu: sudo apt-get install chromium) to run them." >&2
exit 0
