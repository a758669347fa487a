#!/usr/bin/env bash
# Loads local Docker images into the cluster's containerd (pods use them with
# imagePullPolicy: Never). An image whose Docker id containerd already holds is skipped.
# Usage: load-image.sh IMAGE...
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"

(($#)) || { echo "usage: $0 IMAGE..." >&2; exit 2; }
for image in "$@"; do
  id=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null) ||
    { echo "load-image: no Docker image $image (docker images lists what there is)" >&2; exit 1; }
  # The CRI plugin names every image it holds also by its config digest, which is Docker's id; a
  # one-part name it holds under library/, as Docker Hub does.
  ref=docker.io/$image
  [[ $image == */* ]] || ref=docker.io/library/$image
  if ctr_k8s images ls -q | grep -qx "$id" && ctr_k8s images ls -q | grep -qx "$ref"; then
    log "image $image already loaded"
    continue
  fi
  started=$(date +%s)
  docker save "$image" | ctr_k8s images import --no-unpack - >/dev/null
  log "image $image loaded in $(( $(date +%s) - started )) s"
done
