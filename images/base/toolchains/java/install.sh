#!/usr/bin/env bash
# OpenJDK 17 (the LTS both Ubuntu 22.04 and Debian 12 ship) with Maven.
set -euo pipefail
"$(dirname "$0")/../apt-install.sh" openjdk-17-jdk-headless maven
