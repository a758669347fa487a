#!/usr/bin/env bash
# Everything the Kubernetes tier needs, in dependency order, each step a no-op when it is cached:
# the cluster's Debian packages, the Pulumi CLI and Kubernetes provider, and the cluster's
# binaries and images. Cold it is CPU-heavy (see README, Kubernetes); warm it takes seconds.
set -euo pipefail
dir=$(dirname "${BASH_SOURCE[0]}")
for step in cluster-packages pulumi-cli pulumi-kubernetes kubernetes etcd pause-image coredns; do
  "$dir/$step.sh" >&2
done
