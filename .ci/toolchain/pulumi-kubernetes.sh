#!/usr/bin/env bash
# Builds the Pulumi Kubernetes provider from the Go module proxy into
# $LLPM_CACHE/pulumi-kubernetes/<version>/ and installs it as a plugin into $PULUMI_HOME (default
# $LLPM_CACHE/pulumi-home), so that the engine never looks it up elsewhere. A no-op when cached.
# Needs the Pulumi CLI (pulumi-cli.sh) for the install step. Prints the binary's path last.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# The version the program's SDK (@pulumi/kubernetes in package.json) was generated for.
PROVIDER_VERSION=4.25.0
# The proxy serves the provider module only as this pseudo-version: the commit tagged 4.25.0.
PROVIDER_MODULE=github.com/pulumi/pulumi-kubernetes/provider/v4@v4.0.0-20260115033456-f47bc2d6f199
SDK_MODULE=github.com/pulumi/pulumi-kubernetes/sdk/v4
PULUMI_VERSION=3.248.0
home=$LLPM_CACHE/pulumi-kubernetes/$PROVIDER_VERSION
binary=$home/pulumi-resource-kubernetes
export PULUMI_HOME=${PULUMI_HOME:-$LLPM_CACHE/pulumi-home}
pulumi=$LLPM_CACHE/pulumi/$PULUMI_VERSION/bin/pulumi

build_provider() {
  local src=$home/src module_dir
  module_dir=$(go_module_dir "$PROVIDER_MODULE")
  rm -rf "$src" && mkdir -p "$home" && cp -r "$module_dir" "$src" && chmod -R u+w "$src"
  cd "$src"
  # Its go.mod points sdk/v4 at ../sdk, a folder of its repository that the module zip lacks.
  go mod edit -dropreplace "$SDK_MODULE" -require "$SDK_MODULE@v$PROVIDER_VERSION"
  niced pulumi-kubernetes-mod-tidy go mod tidy
  # main.go embeds schema-embed.json and terraform-mapping-embed.json, which its release build
  # generates with this generate.go; the module zip ships only their sources.
  (cd cmd/pulumi-resource-kubernetes && VERSION=$PROVIDER_VERSION niced pulumi-kubernetes-generate go run ./generate.go)
  niced pulumi-kubernetes-build go build -trimpath \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$PROVIDER_VERSION" \
    -o "$binary.tmp" ./cmd/pulumi-resource-kubernetes
  mv "$binary.tmp" "$binary"
}

pinned=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && node -p 'require("./package.json").dependencies["@pulumi/kubernetes"]')
[[ $pinned == "$PROVIDER_VERSION" ]] ||
  { echo "pulumi-kubernetes: package.json pins @pulumi/kubernetes $pinned, this script builds $PROVIDER_VERSION" >&2; exit 1; }

if [[ -x $binary ]]; then
  echo "[pulumi-kubernetes] $PROVIDER_VERSION cached"
else
  build_provider
fi
[[ -x $pulumi ]] || { echo "pulumi-kubernetes: $pulumi is missing; run pulumi-cli.sh first" >&2; exit 1; }
if ! PULUMI_HOME=$PULUMI_HOME "$pulumi" plugin ls 2>/dev/null | grep -Eq "^kubernetes +resource +$PROVIDER_VERSION "; then
  "$pulumi" plugin install resource kubernetes "$PROVIDER_VERSION" -f "$binary"
fi
phase_done "kubernetes provider $PROVIDER_VERSION installed in $PULUMI_HOME"
echo "$binary"
