#!/usr/bin/env bash
set -euo pipefail
"$(dirname "$0")/../apt-install.sh" g++ make cmake clang-format gdb
