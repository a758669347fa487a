#!/usr/bin/env bash
# Everything the Kubernetes tier needs, in dependency order, each step a no-op when it is cached:
# the cluster's Debian packages, the Pulumi CLI and Kubernetes provider, and the cluster's
# binaries and images. Cold it is CPU-heavy (see README, Kubernetes); warm it takes seconds.
set -euo pipefail
dir=$(dirname "${BASH_SOURCE[0]}")
# CI starts this in the background while the Docker tiers run, and the Kubernetes tests call it
# again: the second caller waits here for the first, then finds everything cached.
cache=${LLPM_CACHE:-/var/cache/llpm-fleet}
mkdir -p "$cache"
exec 9>"$cache/kubernetes-all.lock"
flock 9
for step in cluster-packages pulumi-cli pulumi-kubernetes kubernetes etcd pause-image coredns; do
  "$dir/$step.sh" >&2
done
