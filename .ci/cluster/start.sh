#!/usr/bin/env bash
# Starts the single-node Kubernetes cluster (binaries from .ci/toolchain), or reuses it when it is
# already running and healthy. Prints the admin kubeconfig's path as its only line on stdout;
# progress goes to stderr, each part's output to $LOGS/<part>.log. When a part does not come up it
# says which, with the tail of that part's log, and exits 1.
#
# Facts of this VM that shape it: cgroup v1 (kubelet cgroupDriver cgroupfs, failCgroupV1 false);
# no CAP_SYS_RESOURCE, so runc cannot lower oom_score_adj and containerd's CRI must clamp it
# (restrict_oom_score_adj); the kubelet rewrites host sysctls unless protectKernelDefaults holds
# and it runs in its own mount namespace with those values bind-mounted there.
source "$(dirname "${BASH_SOURCE[0]}")/config.sh"

# bg NAME CMD...: starts CMD in the background, its output in $LOGS/NAME.log, its pid in $PIDS.
bg() {
  local name=$1; shift
  # Its own session: the cluster outlives the shell (or test run) that started it.
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

# phase WHAT: logs that WHAT is done, in ms since this start began (bench:kubernetes-start reads these lines).
phase() { log "$1 at $(( ($(date +%s%N) - started_ns) / 1000000 )) ms"; }

running() { [[ -f $PIDS/$1.pid ]] && kill -0 "$(cat "$PIDS/$1.pid")" 2>/dev/null; }

# wait_for PART SECONDS CMD...: polls CMD once a second; on timeout names PART with its log tail.
wait_for() {
  local part=$1 seconds=$2 i; shift 2
  for ((i = 0; i < seconds; i++)); do
    "$@" >/dev/null 2>&1 && return 0
    if ! running "$part"; then break; fi
    sleep 1
  done
  log "FAILED: $part did not come up ($( running "$part" && echo "still running after ${seconds}s" || echo "it exited")); last lines of $LOGS/$part.log:"
  tail -30 "$LOGS/$part.log" >&2
  exit 1
}

PARTS=(etcd kube-apiserver api-forward-netns api-forward-host kube-controller-manager kube-scheduler
  containerd kubelet kube-proxy)

healthy() {
  local p
  for p in "${PARTS[@]}"; do running "$p" || return 1; done
  [[ -s $KUBECONFIG_FILE ]] &&
    kubectl_admin get --raw /readyz >/dev/null 2>&1 &&
    [[ $(kubectl_admin get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null) == True ]] &&
    [[ $(kubectl_admin -n kube-system get deploy coredns -o jsonpath='{.status.readyReplicas}' 2>/dev/null) == 1 ]]
}

check_binaries() {
  local b missing=()
  for b in "$ETCD_BIN" "$K8S_BIN"/{kube-apiserver,kube-controller-manager,kube-scheduler,kubelet,kube-proxy,kubectl} \
    "$CNI_BIN/bridge" /usr/bin/containerd /usr/sbin/runc /usr/bin/socat; do
    [[ -x $b ]] || missing+=("$b")
  done
  if ((${#missing[@]})); then
    log "missing: ${missing[*]}; run .ci/toolchain/{kubernetes,etcd,pause-image,coredns,cluster-packages}.sh"
    exit 1
  fi
}

# cert NAME CN ORG EKU [SAN]: a key and a certificate signed by the cluster's CA.
cert() {
  local name=$1 cn=$2 org=$3 eku=$4 san=${5:-}
  openssl req -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -out "$PKI/$name.csr" \
    -subj "/CN=$cn${org:+/O=$org}" 2>/dev/null
  {
    echo "basicConstraints=CA:FALSE"
    echo "keyUsage=critical,digitalSignature,keyEncipherment"
    echo "extendedKeyUsage=$eku"
    [[ -z $san ]] || echo "subjectAltName=$san"
  } >"$PKI/$name.ext"
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -out "$PKI/$name.crt" -days 7 -extfile "$PKI/$name.ext" 2>/dev/null
  rm -f "$PKI/$name.csr" "$PKI/$name.ext"
}

# A fresh PKI per start: nothing outlives the cluster that trusted it. Keys are 0600 in a 0700
# folder and never printed.
make_pki() {
  (umask 077 && mkdir -p "$PKI")
  (
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -out "$PKI/ca.crt" -days 7 \
      -subj "/CN=llpm-fleet-cluster-ca" 2>/dev/null
    cert kube-apiserver kube-apiserver "" serverAuth \
      "DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.$CLUSTER_DOMAIN,IP:127.0.0.1,IP:$NODE_IP,IP:$API_SERVICE_IP"
    cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters clientAuth
    cert admin llpm-fleet-admin system:masters clientAuth
    cert kubelet "system:node:$NODE_NAME" system:nodes clientAuth
    cert kubelet-serving "system:node:$NODE_NAME" system:nodes serverAuth "DNS:$NODE_NAME,IP:$NODE_IP"
    cert kube-controller-manager system:kube-controller-manager "" clientAuth
    cert kube-scheduler system:kube-scheduler "" clientAuth
    cert kube-proxy system:kube-proxy "" clientAuth
    openssl genrsa -out "$PKI/service-account.key" 2048 2>/dev/null
    openssl rsa -in "$PKI/service-account.key" -pubout -out "$PKI/service-account.pub" 2>/dev/null
  )
}

# kubeconfig USER SERVER FILE: credentials embedded, so the file alone reaches the cluster (0600).
kubeconfig() {
  local user=$1 server=$2 file=$3
  (
    umask 077
    cat >"$file" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: llpm-fleet
  cluster:
    server: $server
    certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
- name: $user
  user:
    client-certificate-data: $(base64 -w0 "$PKI/$user.crt")
    client-key-data: $(base64 -w0 "$PKI/$user.key")
contexts:
- name: llpm-fleet
  context: {cluster: llpm-fleet, user: $user}
current-context: llpm-fleet
YAML
  )
}

make_netns() {
  [[ -e $NETNS_PATH ]] || ip netns add "$NETNS"
  ip -n "$NETNS" link set lo up
  # On the namespace's loopback (this kernel has no dummy interfaces): still a local address that
  # the pods reach through the bridge's gateway.
  ip -n "$NETNS" addr replace "$NODE_IP/32" dev lo
  in_netns sysctl -qw net.ipv4.ip_forward=1
}

write_configs() {
  local internal="https://$NODE_IP:$API_PORT" c
  for c in kubelet kube-controller-manager kube-scheduler kube-proxy; do
    kubeconfig "$c" "$internal" "$STATE/$c.kubeconfig"
  done
  kubeconfig admin "https://127.0.0.1:$API_HOST_PORT" "$KUBECONFIG_FILE.tmp"
  mkdir -p "$STATE/cni/net.d" "$STATE/kubelet" "$STATE/pod-logs" "$STATE/sysctl" "$CONTAINERD_ROOT" "$RUN"
  cat >"$STATE/containerd.toml" <<TOML
version = 2
root = "$CONTAINERD_ROOT"
state = "$RUN/containerd"
disabled_plugins = ["io.containerd.snapshotter.v1.devmapper", "io.containerd.snapshotter.v1.aufs",
  "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = ""
[debug]
  address = ""
[metrics]
  address = ""
[plugins]
  [plugins."io.containerd.internal.v1.opt"]
    path = "$STATE/containerd-opt"
  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "docker.io/$PAUSE_IMAGE"
    stream_server_address = "127.0.0.1"
    stream_server_port = "0"
    disable_apparmor = true
    # This VM lacks CAP_SYS_RESOURCE: runc cannot lower a sandbox's oom_score_adj (-998) and every
    # sandbox fails, so clamp it to containerd's own value.
    restrict_oom_score_adj = true
    [plugins."io.containerd.grpc.v1.cri".cni]
      bin_dir = "$CNI_BIN"
      conf_dir = "$STATE/cni/net.d"
    [plugins."io.containerd.grpc.v1.cri".containerd]
      snapshotter = "overlayfs"
      default_runtime_name = "runc"
      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
        runtime_type = "io.containerd.runc.v2"
        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
          BinaryName = "/usr/sbin/runc"
          Root = "$RUN/runc"
          SystemdCgroup = false
TOML
  cat >"$STATE/cni/net.d/10-llpm-pods.conflist" <<JSON
{
  "cniVersion": "0.4.0",
  "name": "llpm-pods",
  "plugins": [
    {"type": "bridge", "bridge": "$POD_BRIDGE", "isGateway": true, "isDefaultGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$STATE/cni/ipam", "ranges": [[{"subnet": "$POD_CIDR"}]]}},
    {"type": "loopback"}
  ]
}
JSON
  cat >"$STATE/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $NODE_IP
port: $KUBELET_PORT
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: $KUBELET_HEALTHZ_PORT
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: "$PKI/ca.crt"}
authorization: {mode: Webhook}
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
failSwapOn: false
failCgroupV1: false
protectKernelDefaults: true
podLogsDir: $STATE/pod-logs
resolvConf: ""
clusterDNS: [$DNS_SERVICE_IP]
clusterDomain: $CLUSTER_DOMAIN
podCIDR: $POD_CIDR
evictionHard: {"memory.available": "100Mi", "nodefs.available": "2%", "imagefs.available": "2%"}
# Above the default 110, so 200 tiny agent pods (bench:kubernetes-agents) fit beside the tests'; the
# /24 pod CIDR holds 253 pod addresses, so no more than that.
maxPods: 250
# Images are loaded, never pulled: never collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
makeIPTablesUtilChains: false
YAML
  cat >"$STATE/kube-proxy.yaml" <<YAML
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: "$STATE/kube-proxy.kubeconfig"}
hostnameOverride: $NODE_NAME
clusterCIDR: $POD_CIDR
bindAddress: $NODE_IP
healthzBindAddress: 127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT
metricsBindAddress: 127.0.0.1:10249
# The pods share one bridge without br_netfilter's help: masquerading every Service connection
# sends the replies back through the namespace's routing, where the NAT is undone.
iptables: {masqueradeAll: true, localhostNodePorts: false}
# Zero leaves the host-wide conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0, tcpEstablishedTimeout: 0s, tcpCloseWaitTimeout: 0s}
YAML
}

# The kubelet runs in its own mount namespace: the sysctl values it insists on (protectKernelDefaults
# refuses to start otherwise) are bind-mounted over /proc/sys there only, so the host's stay as they
# are. Its root folder is a shared mount, so the volumes it mounts reach containerd.
write_kubelet_wrapper() {
  findmnt -n "$STATE/kubelet" >/dev/null || { mount --bind "$STATE/kubelet" "$STATE/kubelet" && mount --make-shared "$STATE/kubelet"; }
  cat >"$STATE/kubelet-wrapper.sh" <<SH
#!/bin/sh
set -e
for kv in vm/overcommit_memory=1 vm/panic_on_oom=0 kernel/panic=10 kernel/panic_on_oops=1 kernel/keys/root_maxkeys=1000000 kernel/keys/root_maxbytes=25000000; do
  f=/proc/sys/\${kv%=*}; v=\${kv#*=}
  if [ "\$(cat \$f)" != "\$v" ]; then x=$STATE/sysctl/\$(echo \${kv%=*} | tr / _); echo \$v >\$x; mount --bind \$x \$f; fi
done
exec $K8S_BIN/kubelet --config=$STATE/kubelet.yaml --kubeconfig=$STATE/kubelet.kubeconfig \\
  --root-dir=$STATE/kubelet --hostname-override=$NODE_NAME --node-ip=$NODE_IP --v=1
SH
  chmod 0700 "$STATE/kubelet-wrapper.sh"
}

make_cgroups() {
  local h
  for h in /sys/fs/cgroup/*/; do
    [[ -f $h/cgroup.procs ]] || continue
    mkdir -p "$h$CGROUP_ROOT"
    if [[ -f $h/cpuset.cpus && -z $(cat "$h$CGROUP_ROOT/cpuset.cpus") ]]; then
      cat "$h/cpuset.cpus" >"$h$CGROUP_ROOT/cpuset.cpus"
      cat "$h/cpuset.mems" >"$h$CGROUP_ROOT/cpuset.mems"
    fi
  done
}

start_control_plane() {
  bg etcd "${IN_NETNS[@]}" "$ETCD_BIN" --name llpm-node --data-dir "$STATE/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "llpm-node=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" \
    --quota-backend-bytes 1073741824
  wait_for etcd 60 in_netns curl -sf "http://127.0.0.1:$ETCD_PORT/health"
  phase "etcd up"
  bg kube-apiserver "${IN_NETNS[@]}" "$K8S_BIN/kube-apiserver" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" --bind-address="$NODE_IP" --secure-port="$API_PORT" \
    --advertise-address="$NODE_IP" --anonymous-auth=false --client-ca-file="$PKI/ca.crt" \
    --tls-cert-file="$PKI/kube-apiserver.crt" --tls-private-key-file="$PKI/kube-apiserver.key" \
    --kubelet-client-certificate="$PKI/apiserver-kubelet-client.crt" --kubelet-client-key="$PKI/apiserver-kubelet-client.key" \
    --kubelet-certificate-authority="$PKI/ca.crt" --kubelet-preferred-address-types=InternalIP \
    --service-account-issuer="https://kubernetes.default.svc.$CLUSTER_DOMAIN" \
    --service-account-key-file="$PKI/service-account.pub" --service-account-signing-key-file="$PKI/service-account.key" \
    --service-cluster-ip-range="$SERVICE_CIDR" --authorization-mode=Node,RBAC \
    --enable-admission-plugins=NodeRestriction --allow-privileged=false --profiling=false
  # The host reaches the API through a unix socket that both namespaces see.
  bg api-forward-netns "${IN_NETNS[@]}" socat "UNIX-LISTEN:$RUN/api.sock,fork,unlink-early,mode=600" "TCP:$NODE_IP:$API_PORT"
  bg api-forward-host socat "TCP-LISTEN:$API_HOST_PORT,bind=127.0.0.1,reuseaddr,fork" "UNIX-CONNECT:$RUN/api.sock"
  mv "$KUBECONFIG_FILE.tmp" "$KUBECONFIG_FILE"
  wait_for kube-apiserver 180 in_netns curl -sf --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" \
    "https://$NODE_IP:$API_PORT/readyz"
  wait_for api-forward-host 10 kubectl_admin get --raw /readyz
  phase "API server ready"
  bg kube-controller-manager "${IN_NETNS[@]}" "$K8S_BIN/kube-controller-manager" \
    --kubeconfig="$STATE/kube-controller-manager.kubeconfig" \
    --authentication-kubeconfig="$STATE/kube-controller-manager.kubeconfig" \
    --authorization-kubeconfig="$STATE/kube-controller-manager.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false \
    --service-account-private-key-file="$PKI/service-account.key" --root-ca-file="$PKI/ca.crt" \
    --use-service-account-credentials=true --allocate-node-cidrs=false \
    --cluster-signing-cert-file="$PKI/ca.crt" --cluster-signing-key-file="$PKI/ca.key"
  bg kube-scheduler "${IN_NETNS[@]}" "$K8S_BIN/kube-scheduler" --kubeconfig="$STATE/kube-scheduler.kubeconfig" \
    --authentication-kubeconfig="$STATE/kube-scheduler.kubeconfig" \
    --authorization-kubeconfig="$STATE/kube-scheduler.kubeconfig" \
    --bind-address=127.0.0.1 --leader-elect=false --profiling=false
}

start_node() {
  bg containerd "${IN_NETNS[@]}" /usr/bin/containerd --config "$STATE/containerd.toml"
  wait_for containerd 60 ctr_k8s version
  "$CLUSTER_DIR/load-image.sh" "$PAUSE_IMAGE" "$COREDNS_IMAGE" >&2
  phase "containerd up, system images loaded"
  write_kubelet_wrapper
  bg kubelet "${IN_NETNS[@]}" unshare --mount --propagation unchanged -- "$STATE/kubelet-wrapper.sh"
  wait_for kubelet 120 kubectl_admin get node "$NODE_NAME"
  wait_for kubelet 120 kubectl_admin wait --for=condition=Ready "node/$NODE_NAME" --timeout=1s
  phase "node Ready"
  bg kube-proxy "${IN_NETNS[@]}" "$K8S_BIN/kube-proxy" --config="$STATE/kube-proxy.yaml"
  wait_for kube-proxy 60 in_netns curl -sf "http://127.0.0.1:$KUBE_PROXY_HEALTHZ_PORT/healthz"
  phase "kube-proxy up"
}

start_dns() {
  NAMESPACE=kube-system IMAGE=docker.io/$COREDNS_IMAGE DNS_SERVICE_IP=$DNS_SERVICE_IP CLUSTER_DOMAIN=$CLUSTER_DOMAIN \
    envsubst '$IMAGE $DNS_SERVICE_IP $CLUSTER_DOMAIN' <"$CLUSTER_DIR/coredns.yaml" |
    kubectl_admin apply -f - >"$LOGS/coredns-apply.log" 2>&1 ||
    { log "FAILED: applying CoreDNS:"; tail -20 "$LOGS/coredns-apply.log" >&2; exit 1; }
  if ! kubectl_admin -n kube-system rollout status deploy/coredns --timeout=120s >>"$LOGS/coredns-apply.log" 2>&1; then
    log "FAILED: CoreDNS did not become ready:"
    kubectl_admin -n kube-system describe pods -l k8s-app=kube-dns 2>&1 | tail -30 >&2
    kubectl_admin -n kube-system logs -l k8s-app=kube-dns --tail=30 >&2 2>&1 || true
    exit 1
  fi
  phase "CoreDNS ready"
}

if healthy; then
  log "reusing the running cluster"
  echo "$KUBECONFIG_FILE"
  exit 0
fi
check_binaries
started_ns=$(date +%s%N)
"$CLUSTER_DIR/stop.sh" >&2
mkdir -p "$LOGS" "$PIDS" "$STATE" "$RUN"
chmod 0700 "$CLUSTER_HOME" "$STATE" "$LOGS"
for dir in "${HOST_DIRS[@]}"; do [[ -e $dir ]] || echo "$dir" >>"$CREATED_DIRS"; done
make_pki
phase "PKI made"
make_netns
make_cgroups
write_configs
start_control_plane
start_node
start_dns
log "cluster ready in $(( ($(date +%s%N) - started_ns) / 1000000000 )) s (logs: $LOGS)"
echo "$KUBECONFIG_FILE"
