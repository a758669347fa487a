# The single-node cluster's layout (sourced by the cluster scripts, not run): where its binaries,
# state and logs live, its network namespace and addresses, and the images it needs.
set -euo pipefail

CLUSTER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOOLCHAIN_DIR=$(cd "$CLUSTER_DIR/../toolchain" && pwd)
LLPM_CACHE=${LLPM_CACHE:-/var/cache/llpm-fleet}

K8S_VERSION=v1.34.4 # built by kubernetes.sh
ETCD_VERSION=v3.6.16 # built by etcd.sh
K8S_BIN=$LLPM_CACHE/kubernetes/$K8S_VERSION/bin
ETCD_BIN=$LLPM_CACHE/etcd/$ETCD_VERSION/etcd
CNI_BIN=/usr/lib/cni # Debian's containernetworking-plugins
PAUSE_IMAGE=llpm-local/pause:1 # pause-image.sh
COREDNS_IMAGE=llpm-local/coredns:1.14.7 # coredns.sh

# State that survives a restart only where it is a cache (containerd's images); everything else
# (PKI, etcd, kubelet) is made anew by each fresh start.
CLUSTER_HOME=${LLPM_CLUSTER_HOME:-/var/lib/llpm-fleet/cluster}
STATE=$CLUSTER_HOME/state
LOGS=$CLUSTER_HOME/logs
PIDS=$CLUSTER_HOME/pids
PKI=$STATE/pki
RUN=/run/llpm-fleet-cluster
CONTAINERD_ROOT=$CLUSTER_HOME/containerd
CONTAINERD_SOCK=$RUN/containerd.sock
# The admin's kubeconfig (cluster-admin, credentials embedded, mode 0600): the one path tests and
# tools use to reach the cluster. start.sh prints it as its last line.
KUBECONFIG_FILE=$CLUSTER_HOME/admin.kubeconfig

# Everything of the cluster that touches networking (etcd, the control plane, containerd and the
# pods' bridge, kubelet, kube-proxy's iptables rules) runs in this network namespace, so the host's
# interfaces, routes and iptables rules stay as they are. The API reaches the host only through a
# forwarder: 127.0.0.1:$API_HOST_PORT (host) -> a unix socket -> $NODE_IP:$API_PORT (namespace).
NETNS=llpm-k8s
NETNS_PATH=/run/netns/$NETNS
NODE_NAME=llpm-node
NODE_IP=10.215.0.1 # the node's address inside the namespace: reachable from the pods
API_PORT=6443
API_HOST_PORT=${LLPM_CLUSTER_API_PORT:-16443}
ETCD_PORT=2379
ETCD_PEER_PORT=2380
KUBELET_PORT=10250
KUBELET_HEALTHZ_PORT=10248
KUBE_PROXY_HEALTHZ_PORT=10256
POD_CIDR=10.213.0.0/24
POD_BRIDGE=llpm-pods0
SERVICE_CIDR=10.214.0.0/24
API_SERVICE_IP=10.214.0.1
DNS_SERVICE_IP=10.214.0.10
CLUSTER_DOMAIN=cluster.local
# Host folders the kubelet, libcni and `ip netns` create when missing (their paths are fixed): start.sh records
# the ones it made in $CREATED_DIRS so that stop.sh removes those again, when empty.
HOST_DIRS=(/var/log/containers /var/lib/cni /run/netns)
CREATED_DIRS=$CLUSTER_HOME/created-host-dirs
# The kubelet's cgroup parent in each cgroup v1 hierarchy: clean-up removes only this subtree.
CGROUP_ROOT=/llpm-k8s

# nsenter changes only the network namespace (ip netns exec would also make a mount namespace, and
# the kubelet's mounts must reach containerd); it execs the command, so its pid is the command's.
IN_NETNS=(nsenter --net="$NETNS_PATH" --)
in_netns() { "${IN_NETNS[@]}" "$@"; }
kubectl_admin() { "$K8S_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE" "$@"; }
ctr_k8s() { ctr --address "$CONTAINERD_SOCK" --namespace k8s.io "$@"; }
log() { echo "[cluster $(date -u +%T)] $*" >&2; }
