#!/usr/bin/env bash
# Installs the web app's npm packages (web/package-lock.json, exactly, with `npm ci`) when
# web/node_modules does not hold that lock yet. Needs Node 20+ and npm (never Debian's nodejs
# package: the machine brings its own). Called by install-deps.sh and by the CMake build.
set -euo pipefail

WEB=$(cd "$(dirname "$0")/../web" && pwd)
if ! command -v npm >/dev/null 2>&1; then
  echo "install-web-deps: npm is missing; install Node.js 20 or later to build the web app" >&2
  exit 1
fi
STAMP=$WEB/node_modules/.pactum-lock.sha256
WANT=$(sha256sum "$WEB/package-lock.json" | cut -d' ' -f1)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ]; then
  exit 0
fi
echo "install-web-deps: npm ci in $WEB"
(cd "$WEB" && npm ci --no-audit --no-fund --loglevel=error)
echo "$WANT" >"$STAMP"
