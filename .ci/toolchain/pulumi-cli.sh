#!/usr/bin/env bash
# Builds the Pulumi CLI from the Go module proxy (its release binaries cannot be fetched here) into
# $LLPM_CACHE/pulumi/<version>/bin, beside the dynamic-provider launcher its distribution ships.
# A no-op when that version is already there. Prints the bin folder last.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The version the Automation API of the program's @pulumi/pulumi expects.
repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PULUMI_VERSION=$(node -p "require('$repo_root/package.json').dependencies['@pulumi/pulumi']" 2>/dev/null) ||
  { echo "pulumi-cli.sh: no @pulumi/pulumi in $repo_root/package.json" >&2; exit 2; }
home=$LLPM_CACHE/pulumi/$PULUMI_VERSION
bin=$home/bin
mkdir -p "$bin" "$home/src"
# CI, the Kubernetes toolchain and the engine tests may all call this at once: one builds, the
# others wait here and then find it cached.
exec 9>"$home/.lock"
flock 9

write_dynamic_provider_launcher() {
  # The CLI's distribution ships this launcher; it runs the dynamic provider of the
  # @pulumi/pulumi that the program's own node_modules resolve to (the engine starts it in the
  # program's folder).
  cat >"$bin/pulumi-resource-pulumi-nodejs.tmp" <<'LAUNCHER'
#!/bin/sh
provider=$(node -e 'process.stdout.write(require.resolve("@pulumi/pulumi/cmd/dynamic-provider"))' 2>/dev/null) || {
  echo "pulumi-resource-pulumi-nodejs: @pulumi/pulumi is not installed under $(pwd)" >&2; exit 1; }
exec node "$provider" "$@"
LAUNCHER
  chmod 755 "$bin/pulumi-resource-pulumi-nodejs.tmp"
  mv "$bin/pulumi-resource-pulumi-nodejs.tmp" "$bin/pulumi-resource-pulumi-nodejs"
}

build_cli() {
  cd "$home/src"
  local pkg=github.com/pulumi/pulumi/pkg/v3 sdk=github.com/pulumi/pulumi/sdk/v3 pkg_mod
  pkg_mod=$(go_module_file "$pkg@v$PULUMI_VERSION")
  # pkg's own go.mod replaces sdk with ../sdk (unusable outside its repository) and pins a fork or
  # two by replace: keep those, drop the local ones.
  {
    echo "module llpm-fleet.local/pulumi-cli"
    echo
    echo "go 1.24"
    echo
    echo "require ("
    echo "	$pkg v$PULUMI_VERSION"
    echo "	$sdk v$PULUMI_VERSION"
    echo ")"
    echo
    awk '/^replace \($/{r=1; next} r && /^\)/{r=0} r{print "replace " $0} /^replace [^(]/{print}' "$pkg_mod" |
      grep -v '=> \.' | sed 's/^replace \s*/replace /'
  } >go.mod
  printf '//go:build tools\n\npackage tools\n\nimport _ "%s/cmd/pulumi"\n' "$pkg" >tools.go
  niced pulumi-cli-mod-tidy env GOFLAGS="-buildvcs=false -tags=tools" go mod tidy
  niced pulumi-cli-build go build -trimpath \
    -ldflags "-s -w -X $sdk/go/common/version.Version=v$PULUMI_VERSION" \
    -o "$bin/pulumi.tmp" "$pkg/cmd/pulumi"
  mv "$bin/pulumi.tmp" "$bin/pulumi"
}

if [[ -x $bin/pulumi && "$("$bin/pulumi" version 2>/dev/null)" == "v$PULUMI_VERSION" ]]; then
  echo "[pulumi-cli] v$PULUMI_VERSION cached"
else
  build_cli
fi
write_dynamic_provider_launcher
phase_done "pulumi v$PULUMI_VERSION ready"
echo "$bin"
