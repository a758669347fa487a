#!/usr/bin/env bash
# What every agent needs whatever its toolchains: https tooling, git, Python (Aider, scripts),
# procps (pkill/ps for job control) and xz (toolchain archives). Works on Debian and Ubuntu bases.
set -euo pipefail
apt-get update
apt-get install -y --no-install-recommends \
  ca-certificates curl git openssh-client procps xz-utils less \
  python3 python3-venv
rm -rf /var/lib/apt/lists/*
