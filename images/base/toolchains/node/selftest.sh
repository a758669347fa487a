#!/usr/bin/env bash
set -euo pipefail
cd "$(mktemp -d)"
echo 'console.log("hello from node")' >hello.js
node hello.js | grep -qx 'hello from node'
prettier --check hello.js >/dev/null || prettier --write hello.js >/dev/null
