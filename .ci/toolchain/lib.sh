# Shared by the toolchain scripts (sourced, not run): the fixed cache folder, the Go environment
# that keeps Go's module and build caches in it, and the timing of each phase and cold build.
# The cache lives outside any clone so that later runs on the same machine reuse it.
set -euo pipefail

LLPM_CACHE=${LLPM_CACHE:-/var/cache/llpm-fleet}
export GOMODCACHE=$LLPM_CACHE/go/mod
export GOCACHE=$LLPM_CACHE/go/build
export GOFLAGS=-buildvcs=false
export CGO_ENABLED=0
# The toolchain on PATH builds everything; never fetch another one.
export GOTOOLCHAIN=local
BUILD_TIMES=$LLPM_CACHE/build-times.txt
BUILD_LOGS=$LLPM_CACHE/logs
mkdir -p "$GOMODCACHE" "$GOCACHE" "$BUILD_LOGS"

_phase_started=$(date +%s)
_phase_name=${0##*/}
phase_done() { # [what]: prints how long this script took
  echo "[${_phase_name}] ${1:-done} in $(( $(date +%s) - _phase_started )) s"
}

# niced NAME CMD...: runs CMD at the lowest priority (the cores are shared), its output in
# logs/NAME.log, and appends wall time, CPU seconds and peak RSS (GNU time) to build-times.txt.
niced() {
  local name=$1; shift
  local log=$BUILD_LOGS/$name.log
  echo "[${_phase_name}] $name (log: $log)"
  if ! /usr/bin/time -a -o "$BUILD_TIMES" \
      -f "$(date -u +%FT%TZ) $name wall_s=%e cpu_s=%U+%S max_rss_kb=%M exit=%x" \
      nice -n 19 "$@" >"$log" 2>&1; then
    echo "[${_phase_name}] FAILED: $name; last lines of $log:" >&2
    tail -40 "$log" >&2
    return 1
  fi
  tail -1 "$BUILD_TIMES"
}

# go_module_file MODULE@VERSION: path of that module's go.mod in the module cache (downloads it).
go_module_file() {
  nice -n 19 go mod download -json "$1" | sed -n 's/^\s*"GoMod": "\(.*\)",\?$/\1/p'
}

# go_module_dir MODULE@VERSION: path of that module's unpacked source (downloads it).
go_module_dir() {
  nice -n 19 go mod download -json "$1" | sed -n 's/^\s*"Dir": "\(.*\)",\?$/\1/p'
}

# scratch_image IMAGE BINARY UID: a Docker image of one static binary FROM scratch, run as UID,
# built only when Docker does not have IMAGE yet.
scratch_image() {
  local image=$1 binary=$2 uid=$3 name ctx
  docker image inspect "$image" >/dev/null 2>&1 && return 0
  name=${binary##*/}
  ctx=$(mktemp -d) && cp "$binary" "$ctx/$name"
  printf 'FROM scratch\nCOPY %s /%s\nUSER %s:%s\nENTRYPOINT ["/%s"]\n' "$name" "$name" "$uid" "$uid" "$name" >"$ctx/Dockerfile"
  nice -n 19 docker build -q -t "$image" "$ctx" >/dev/null
  rm -rf "$ctx"
}
