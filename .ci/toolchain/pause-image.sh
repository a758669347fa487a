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
if ! docker image inspect "$PAUSE_IMAGE" >/dev/null 2>&1; then
  ctx=$(mktemp -d) && cp "$binary" "$ctx/pause"
  printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' >"$ctx/Dockerfile"
  nice -n 19 docker build -q -t "$PAUSE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi
phase_done "pause image $PAUSE_IMAGE ready"
