#!/usr/bin/env bash
# schemathesis (PyPI), pinned, in a virtualenv cached by version outside the clone, so a warm
# machine pays nothing and a fresh one pays one pip install.
#   schemathesis.sh           install when missing; print the binary's path
#   schemathesis.sh --where   print where the binary is (or would be); install nothing
# The cache root is LLPM_CACHE (default /var/cache/llpm-fleet). The API conformance test asks this
# script for the path, so the version lives here only.
set -euo pipefail
VERSION=4.32.5
venv="${LLPM_CACHE:-/var/cache/llpm-fleet}/schemathesis/${VERSION}"
bin="$venv/bin/schemathesis"
# Written last: a venv without it is an interrupted install, rebuilt from scratch.
done_marker="$venv/.installed"

if [[ "${1:-}" == "--where" ]]; then
  echo "$bin"
  exit 0
fi
if [[ -f "$done_marker" && -x "$bin" ]]; then
  echo "$bin"
  exit 0
fi

rm -rf "$venv"
mkdir -p "$(dirname "$venv")"
"${PYTHON:-python3}" -m venv "$venv" >&2
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input "schemathesis==${VERSION}" >&2
"$bin" --version >&2
touch "$done_marker"
echo "$bin"
