#!/usr/bin/env bash
set -euo pipefail
cd "$(mktemp -d)"
printf 'print("hello from python")\n' >hello.py
python3 hello.py | grep -qx 'hello from python'
ruff check --quiet hello.py
