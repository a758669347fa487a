#!/usr/bin/env bash
set -euo pipefail
"$(dirname "$0")/../apt-install.sh" ruby ruby-dev
