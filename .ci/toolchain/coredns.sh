#!/usr/bin/env bash
# Builds CoreDNS (the cluster's DNS) from the Go module proxy into $LLPM_CACHE/coredns/<version>/
# and makes a FROM-scratch image of it in Docker, to be loaded into the cluster. No-op when cached.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

COREDNS_VERSION=v1.14.7 # the newest served whose go.mod this Go (1.26) builds without a toolchain switch
COREDNS_IMAGE=llpm-local/coredns:${COREDNS_VERSION#v}
home=$LLPM_CACHE/coredns/$COREDNS_VERSION
binary=$home/coredns

build() {
  mkdir -p "$home/src" && cd "$home/src"
  printf 'module llpm-fleet.local/coredns\n\ngo 1.25.0\n\nrequire github.com/coredns/coredns %s\n' "$COREDNS_VERSION" >go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "github.com/coredns/coredns"\n' >tools.go
  niced coredns-mod-tidy env GOFLAGS="-buildvcs=false -tags=tools" go mod tidy
  niced coredns-build go build -trimpath -ldflags "-s -w" -o "$binary.tmp" github.com/coredns/coredns
  mv "$binary.tmp" "$binary"
}

if [[ -x $binary ]] && "$binary" -version 2>/dev/null | grep -q "CoreDNS-${COREDNS_VERSION#v}"; then
  echo "[coredns] $COREDNS_VERSION cached"
else
  build
fi
# Non-root: the cluster's DNS Service maps port 53 to 1053 in the pod.
scratch_image "$COREDNS_IMAGE" "$binary" 65532
phase_done "coredns $COREDNS_VERSION ready (image $COREDNS_IMAGE)"
