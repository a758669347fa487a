#!/usr/bin/env bash
# Node.js itself is in every image (the CLIs need it); this adds its formatter and linter.
set -euo pipefail
npm install -g --no-audit --no-fund prettier@3.10.1 eslint@10.15.0
