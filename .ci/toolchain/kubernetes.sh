#!/usr/bin/env bash
# Builds the Kubernetes binaries a single-node cluster needs from the Go module proxy into
# $LLPM_CACHE/kubernetes/<version>/bin. A no-op when that version is already there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

K8S_VERSION=v1.34.4
# The staging modules (k8s.io/api, client-go, ...) are published as v0.<minor>.<patch>.
STAGING_VERSION=v0.${K8S_VERSION#v1.}
COMMANDS=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
home=$LLPM_CACHE/kubernetes/$K8S_VERSION
bin=$home/bin

cached() {
  local c
  for c in "${COMMANDS[@]}"; do [[ -x $bin/$c ]] || return 1; done
  [[ "$("$bin/kubectl" version --client -o json 2>/dev/null | grep -o "\"gitVersion\": *\"$K8S_VERSION\"")" ]]
}

write_module() {
  local kmod staging=()
  kmod=$(go_module_file "k8s.io/kubernetes@$K8S_VERSION")
  # k8s.io/kubernetes requires its staging modules at v0.0.0 and replaces them with
  # ./staging/src/...: pin each to its published version instead. Only those it requires:
  # others it replaces (k8s.io/sample-cli-plugin) are not all served.
  mapfile -t staging < <(awk '/=> \.\/staging\//{print $1}' "$kmod" |
    while read -r m; do grep -qE "^\s+$m v0\.0\.0" "$kmod" && echo "$m"; done)
  {
    echo "module llpm-fleet.local/kubernetes"
    echo
    echo "go 1.24.0"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "require ("
    printf '\t%s '"$STAGING_VERSION"'\n' "${staging[@]}"
    echo ")"
    echo
    echo "replace ("
    for m in "${staging[@]}"; do printf '\t%s => %s %s\n' "$m" "$m" "$STAGING_VERSION"; done
    echo ")"
  } >go.mod
  {
    printf '//go:build tools\n\npackage tools\n\nimport (\n'
    printf '\t_ "k8s.io/kubernetes/cmd/%s"\n' "${COMMANDS[@]}"
    printf ')\n'
  } >tools.go
}

build() {
  mkdir -p "$home/src" "$bin.tmp" && cd "$home/src"
  write_module
  niced kubernetes-mod-tidy env GOFLAGS="-buildvcs=false -tags=tools" go mod tidy
  local minor ld="-s -w" pkg pkgs=()
  minor=$(echo "$K8S_VERSION" | cut -d. -f2)
  # Stamped so that the node and `kubectl version` report the real version.
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
  done
  for c in "${COMMANDS[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  # One go build for all of them: they share most packages.
  niced kubernetes-build go build -trimpath -ldflags "$ld" -o "$bin.tmp/" "${pkgs[@]}"
  rm -rf "$bin" && mv "$bin.tmp" "$bin"
}

if cached; then echo "[kubernetes] $K8S_VERSION cached"; else build; fi
phase_done "kubernetes $K8S_VERSION ready in $bin"
