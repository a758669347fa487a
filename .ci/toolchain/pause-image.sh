#!/usr/bin/env bash
# Builds the pod sandbox ("pause") image locally: a static Go binary FROM scratch that sleeps
# until it is signalled (no registry can be reached for the upstream one). No-op when cached.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PAUSE_IMAGE=llpm-local/pause:1
home=$LLPM_CACHE/pause/1
binary=$home/pause

if [[ ! -x $binary ]]; then
  mkdir -p "$home/src" && cd "$home/src"
  printf 'module llpm-fleet.local/pause\n\ngo 1.24\n' >go.mod
  cat >main.go <<'GO'
// The sandbox's PID 1: holds the pod's namespaces until the runtime stops it.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}
GO
  niced pause-build go build -trimpath -ldflags "-s -w" -o "$binary.tmp" .
  mv "$binary.tmp" "$binary"
fi
scratch_image "$PAUSE_IMAGE" "$binary" 65535
phase_done "pause image $PAUSE_IMAGE ready"
