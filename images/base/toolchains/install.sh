#!/usr/bin/env bash
# Installs the toolchains named in a comma-separated list (the TOOLCHAINS build arg), each by its
# own folder: install.sh (pinned), binaries (what llpm-healthcheck looks for), selftest.sh.
# The list is recorded for llpm-healthcheck and llpm-selftest.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
IFS=',' read -r -a names <<<"${1// /}"
: >"$here/selected"
for name in "${names[@]}"; do
  [[ -z "$name" ]] && continue
  if [[ ! -x "$here/$name/install.sh" ]]; then
    echo "unknown toolchain '$name'; known: $(cd "$here" && ls -d */ | tr -d / | tr '\n' ' ')" >&2
    exit 1
  fi
  echo "== toolchain $name"
  "$here/$name/install.sh"
  echo "$name" >>"$here/selected"
done
rm -rf /var/lib/apt/lists/* /root/.npm /root/.cache
