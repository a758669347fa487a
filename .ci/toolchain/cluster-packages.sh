#!/usr/bin/env bash
# Installs the cluster's Debian parts, pinned: containerd (its CRI plugin is compiled in; Docker's
# own containerd has it disabled, so the cluster runs a second instance), runc, the CNI plugins
# (bridge, host-local, loopback) and socat (forwards the API from the cluster's network namespace
# to 127.0.0.1 on the host). Only what is missing, or at another version, is installed.
set -euo pipefail

PACKAGES=(
  containerd=1.6.20~ds1-1+deb12u3
  runc=1.1.5+ds1-1+deb12u1
  containernetworking-plugins=1.1.1+ds1-3+b5
  socat=1.7.4.4-2
)

missing=()
for p in "${PACKAGES[@]}"; do
  installed=$(dpkg-query -W -f '${Status} ${Version}' "${p%%=*}" 2>/dev/null || true)
  [[ $installed == "install ok installed ${p#*=}" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[cluster-packages] apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "[cluster-packages] ${PACKAGES[*]}"
