#!/usr/bin/env bash
set -euo pipefail
cd "$(mktemp -d)"
echo 'const greeting: string = "hello from typescript"; console.log(greeting);' >hello.ts
tsc --strict --outDir out hello.ts
node out/hello.js | grep -qx 'hello from typescript'
