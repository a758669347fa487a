#!/usr/bin/env bash
# Builds etcd from the Go module proxy into $LLPM_CACHE/etcd/<version>/etcd: etcd's own main is
# one call into its server module. A no-op when cached.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ETCD_VERSION=v3.6.16
home=$LLPM_CACHE/etcd/$ETCD_VERSION
binary=$home/etcd

build() {
  mkdir -p "$home/src" && cd "$home/src"
  printf 'module llpm-fleet.local/etcd\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >go.mod
  cat >main.go <<'GO'
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
GO
  niced etcd-mod-tidy go mod tidy
  niced etcd-build go build -trimpath -ldflags "-s -w" -o "$binary.tmp" .
  mv "$binary.tmp" "$binary"
}

if [[ -x $binary ]] && "$binary" --version 2>/dev/null | grep -q "etcd Version: ${ETCD_VERSION#v}"; then
  echo "[etcd] $ETCD_VERSION cached"
else
  build
fi
phase_done "etcd $ETCD_VERSION ready"
