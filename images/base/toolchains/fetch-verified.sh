#!/usr/bin/env bash
# fetch-verified.sh URL SHA256 DEST: download, then refuse the file unless its sha256 matches.
set -euo pipefail
curl -fsSL --retry 3 -o "$3" "$1"
echo "$2  $3" | sha256sum -c --quiet - || { echo "checksum mismatch: $1" >&2; rm -f "$3"; exit 1; }
