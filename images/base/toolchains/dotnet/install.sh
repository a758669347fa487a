#!/usr/bin/env bash
# .NET 8 SDK from the distribution archive (Ubuntu 22.04 carries dotnet-sdk-8.0; Debian 12 does
# not, so this toolchain needs an Ubuntu base).
set -euo pipefail
"$(dirname "$0")/../apt-install.sh" dotnet-sdk-8.0
