#!/usr/bin/env bash
# Builds, once, the images this machine cannot pull (no registry is reachable here):
#   llpm-local/debian:bookworm   debootstrap minbase, stands in for ubuntu:22.04 / debian bases
#   llpm-local/node:20-bookworm  that base plus this host's Node 20, stands in for node:20-bookworm-slim
# Existing images are kept; pass --force to rebuild. Needs root (debootstrap) and a Docker daemon.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
force="${1:-}"

have() { [[ "$force" != "--force" ]] && docker image inspect "$1" >/dev/null 2>&1; }

if ! have llpm-local/debian:bookworm; then
  rootfs="$(mktemp -d /tmp/llpm-debootstrap.XXXXXX)"
  trap 'rm -rf "$rootfs"' EXIT
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log"; exit 1; }
  tar -C "$rootfs" -c . | docker import - llpm-local/debian:bookworm >/dev/null
  echo "built llpm-local/debian:bookworm"
fi

if ! have llpm-local/node:20-bookworm; then
  ctx="$(mktemp -d /tmp/llpm-node-ctx.XXXXXX)"
  cp "$here/node20.Dockerfile" "$ctx/Dockerfile"
  mkdir -p "$ctx/node/bin" "$ctx/node/lib" "$ctx/node/include"
  cp "$(command -v node)" "$ctx/node/bin/node"
  cp -a /usr/lib/node_modules "$ctx/node/lib/"
  cp -a /usr/include/node "$ctx/node/include/"
  cp /etc/ssl/certs/ca-certificates.crt "$ctx/host-ca.crt"
  docker build -q -t llpm-local/node:20-bookworm "$ctx" >/dev/null
  rm -rf "$ctx"
  echo "built llpm-local/node:20-bookworm"
fi
