#!/usr/bin/env bash
# apt-get install for toolchain scripts. Distribution packages follow the base image's release
# (pin the base image by digest for byte-identical rebuilds); their versions are not pinned here
# because they differ between Ubuntu and Debian bases.
set -euo pipefail
[[ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v -e lock -e partial)" ]] || apt-get update
apt-get install -y --no-install-recommends "$@"
