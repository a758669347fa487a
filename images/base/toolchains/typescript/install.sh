#!/usr/bin/env bash
set -euo pipefail
npm install -g --no-audit --no-fund typescript@5.9.3 typescript-language-server@5.1.2 tsx@4.23.15
