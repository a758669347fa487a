#!/usr/bin/env bash
set -euo pipefail
ruby -e 'puts "hello from ruby"' | grep -qx 'hello from ruby'
