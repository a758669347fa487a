#!/usr/bin/env bash
# Stops the cluster that start.sh started (by its pid files) and removes what it made outside its
# own folder: pod containers, mounts, cgroups, the network namespace. Keeps the cached images.
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"
set +e

stop_part() {
  local file=$PIDS/$1.pid pid i
  [[ -f $file ]] || return 0
  pid=$(cat "$file")
  if kill "$pid" 2>/dev/null; then
    for ((i = 0; i < 40; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null && log "killed $1 ($pid)"
  fi
  rm -f "$file"
}

# No controller re-creates what is deleted below.
stop_part kube-controller-manager
stop_part kube-scheduler
# Pods deleted through the kubelet first: it tears their sandboxes down through CNI, which also
# removes the network namespaces containerd pinned under /run/netns for them.
if [[ -f $PIDS/kubelet.pid ]] && kill -0 "$(cat "$PIDS/kubelet.pid")" 2>/dev/null; then
  kubectl_admin delete pods --all --all-namespaces --grace-period=1 --wait=true --timeout=60s >/dev/null 2>&1
  for ((i = 0; i < 60; i++)); do [[ -z $(ctr_k8s tasks ls -q 2>/dev/null) ]] && break; sleep 0.5; done
fi
for part in kube-proxy kubelet api-forward-host api-forward-netns kube-apiserver etcd; do
  stop_part "$part"
done
# The pods' tasks, then containerd: the shims exit with their tasks.
if [[ -S $CONTAINERD_SOCK ]]; then
  for task in $(ctr_k8s tasks ls -q 2>/dev/null); do
    ctr_k8s tasks kill -s KILL "$task" 2>/dev/null
    for ((i = 0; i < 20; i++)); do ctr_k8s tasks delete "$task" >/dev/null 2>&1 && break; sleep 0.25; done
  done
  for c in $(ctr_k8s containers ls -q 2>/dev/null); do ctr_k8s containers delete "$c" >/dev/null 2>&1; done
fi
stop_part containerd
# Mounts under the cluster's folders (volumes, sandboxes' shm, the kubelet's root), deepest first.
findmnt -rn -o TARGET | grep -E "^($CLUSTER_HOME|$RUN)(/|$)" | sort -r |
  while read -r m; do umount "$m" 2>/dev/null || umount -l "$m"; done
if [[ -e $NETNS_PATH ]]; then ip netns delete "$NETNS" && log "deleted network namespace $NETNS"; fi
for c in /sys/fs/cgroup/*"$CGROUP_ROOT"; do
  [[ -d $c ]] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null
done
for l in /var/log/containers/*; do
  [[ -L $l ]] && readlink "$l" | grep -q "^$STATE/" && rm -f "$l"
done
if [[ -f $CREATED_DIRS ]]; then
  while read -r d; do
    [[ $d == /var/lib/cni ]] && rmdir "$d/results" 2>/dev/null
    # `ip netns` makes its folder a bind mount of itself: undone only when no namespace is left.
    [[ $d == /run/netns && -z $(ls -A "$d" 2>/dev/null) ]] && umount "$d" 2>/dev/null
    rmdir "$d" 2>/dev/null && log "removed $d (made by the cluster)"
  done <"$CREATED_DIRS"
  rm -f "$CREATED_DIRS"
fi
# Never remove a folder with something still mounted under it (a hostPath volume's data).
if findmnt -rn -o TARGET | grep -qE "^($CLUSTER_HOME|$RUN)(/|$)"; then
  log "mounts remain under $CLUSTER_HOME or $RUN; not removing $STATE:"
  findmnt -rn -o TARGET | grep -E "^($CLUSTER_HOME|$RUN)(/|$)" >&2
  exit 1
fi
rm -rf "$STATE" "$RUN" "$KUBECONFIG_FILE"
log "cluster stopped"
true
