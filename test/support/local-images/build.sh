#!/usr/bin/env bash
# Builds, once, the images this machine cannot pull (no registry is reachable here):
#   llpm-local/debian:bookworm     debootstrap minbase, stands in for ubuntu:22.04 / debian bases
#   llpm-local/node:20-bookworm    that base plus this host's Node 20, stands in for node:20-bookworm-slim
#   llpm-local/postgres:15-bookworm  Debian's PostgreSQL 15, behaves like the official postgres image
#   llpm-local/litellm:1.108.14    LiteLLM from PyPI, behaves like the official image (no database)
# Existing images are kept (a folder image is rebuilt when its folder changed); pass --force to
# rebuild all. Needs root (debootstrap) and a Docker daemon.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
force="${1:-}"
host_ca=/etc/ssl/certs/ca-certificates.crt

have() { [[ "$force" != "--force" ]] && docker image inspect "$1" >/dev/null 2>&1; }
# The content hash of a folder of this directory, kept as a label on the image built from it.
folder_hash() { (cd "$here/$1" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum | cut -c1-16); }
have_folder() {
  have "$1" && [[ "$(docker image inspect -f '{{index .Config.Labels "llpm.local-image.hash"}}' "$1")" == "$(folder_hash "$2")" ]]
}
# timed TAG COMMAND...: runs the build and says how long TAG took.
timed() { local tag="$1" t0=$SECONDS; shift; "$@"; echo "built $tag in $((SECONDS - t0)) s"; }

# Builds TAG from a folder of this directory, with this host's CA bundle in the context as
# host-ca.crt: https (PyPI) from inside a build only works with it (it holds this machine's extra egress CA).
build_folder() {
  local tag="$1" folder="$2" ctx
  ctx="$(mktemp -d /tmp/llpm-image-ctx.XXXXXX)"
  cp -a "$here/$folder/." "$ctx/"
  cp "$host_ca" "$ctx/host-ca.crt"
  docker build -q --label "llpm.local-image.hash=$(folder_hash "$folder")" -t "$tag" "$ctx" >/dev/null || { rm -rf "$ctx"; return 1; }
  rm -rf "$ctx"
}

build_debian() {
  local rootfs
  rootfs="$(mktemp -d /tmp/llpm-debootstrap.XXXXXX)"
  debootstrap --variant=minbase bookworm "$rootfs" http://deb.debian.org/debian >"$rootfs.log" 2>&1 \
    || { tail -20 "$rootfs.log"; rm -rf "$rootfs" "$rootfs.log"; return 1; }
  tar -C "$rootfs" -c . | docker import - llpm-local/debian:bookworm >/dev/null
  rm -rf "$rootfs" "$rootfs.log"
}

build_node20() {
  local ctx
  ctx="$(mktemp -d /tmp/llpm-node-ctx.XXXXXX)"
  cp "$here/node20.Dockerfile" "$ctx/Dockerfile"
  mkdir -p "$ctx/node/bin" "$ctx/node/lib" "$ctx/node/include"
  cp "$(command -v node)" "$ctx/node/bin/node"
  cp -a /usr/lib/node_modules "$ctx/node/lib/"
  cp -a /usr/include/node "$ctx/node/include/"
  cp "$host_ca" "$ctx/host-ca.crt"
  docker build -q -t llpm-local/node:20-bookworm "$ctx" >/dev/null || { rm -rf "$ctx"; return 1; }
  rm -rf "$ctx"
}

have llpm-local/debian:bookworm || timed llpm-local/debian:bookworm build_debian
have llpm-local/node:20-bookworm || timed llpm-local/node:20-bookworm build_node20
have_folder llpm-local/postgres:15-bookworm postgres || timed llpm-local/postgres:15-bookworm build_folder llpm-local/postgres:15-bookworm postgres
have_folder llpm-local/litellm:1.108.14 litellm || timed llpm-local/litellm:1.108.14 build_folder llpm-local/litellm:1.108.14 litellm
