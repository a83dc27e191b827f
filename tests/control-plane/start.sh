# start_control_plane DIR: a real control plane on 127.0.0.1 (ports.sh) with its state in DIR:
# etcd, kube-apiserver (client certs, RBAC, service accounts), kube-controller-manager,
# kube-scheduler (nodes: start_node_simulator, node-simulator.sh). Writes
# DIR/kubeconfig and returns when /readyz answers ok. Every process runs in its own process group,
# recorded in $CONTROL_PLANE_GROUPS (kill_recorded_groups_on_exit in tests/suites/lib.sh kills them).
# Logs: DIR/<component>.log. Source it after pki.sh, ports.sh and kubeconfig.sh.
start_control_plane() {
  local dir="$1" url="https://127.0.0.1:$CP_APISERVER_PORT"
  : "${CONTROL_PLANE_GROUPS:?set by kill_recorded_groups_on_exit}"
  make_pki "$dir"
  write_kubeconfig "$dir" "$url"

  cp_spawn "$dir" etcd etcd --data-dir "$dir/etcd" --name test \
    --listen-client-urls "http://127.0.0.1:$CP_ETCD_CLIENT_PORT" --advertise-client-urls "http://127.0.0.1:$CP_ETCD_CLIENT_PORT" \
    --listen-peer-urls "http://127.0.0.1:$CP_ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$CP_ETCD_PEER_PORT" \
    --initial-cluster "test=http://127.0.0.1:$CP_ETCD_PEER_PORT" --unsafe-no-fsync
  # --endpoint-reconciler-type=none: no kubernetes Service endpoint to a real host interface.
  # The front-proxy flags and --enable-aggregator-routing: aggregated APIs (KEDA's external
  # metrics, metrics-server) are reached through their Service's EndpointSlice, which the suites
  # point at the loopback process (tests/control-plane/loopback-service.ts).
  cp_spawn "$dir" kube-apiserver kube-apiserver \
    --etcd-servers "http://127.0.0.1:$CP_ETCD_CLIENT_PORT" \
    --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$CP_APISERVER_PORT" \
    --tls-cert-file "$dir/apiserver.crt" --tls-private-key-file "$dir/apiserver.key" \
    --client-ca-file "$dir/ca.crt" --authorization-mode Node,RBAC \
    --service-account-issuer https://kubernetes.default.svc.cluster.local \
    --service-account-key-file "$dir/sa.pub" --service-account-signing-key-file "$dir/sa.key" \
    --service-cluster-ip-range 10.128.0.0/16 --endpoint-reconciler-type none \
    --requestheader-client-ca-file "$dir/front-proxy-ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- \
    --proxy-client-cert-file "$dir/front-proxy-client.crt" --proxy-client-key-file "$dir/front-proxy-client.key" \
    --enable-aggregator-routing=true
  cp_wait "apiserver /readyz" kubectl --kubeconfig "$dir/kubeconfig" get --raw /readyz
  cp_spawn "$dir" kube-controller-manager kube-controller-manager \
    --kubeconfig "$dir/kubeconfig" --authentication-kubeconfig "$dir/kubeconfig" --authorization-kubeconfig "$dir/kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$CP_CONTROLLER_MANAGER_PORT" --leader-elect=false \
    --service-account-private-key-file "$dir/sa.key" --root-ca-file "$dir/ca.crt" --use-service-account-credentials \
    --cluster-signing-cert-file "$dir/ca.crt" --cluster-signing-key-file "$dir/ca.key" --controllers '*'
  cp_spawn "$dir" kube-scheduler kube-scheduler \
    --kubeconfig "$dir/kubeconfig" --authentication-kubeconfig "$dir/kubeconfig" --authorization-kubeconfig "$dir/kubeconfig" \
    --bind-address 127.0.0.1 --secure-port "$CP_SCHEDULER_PORT" --leader-elect=false
  cp_wait "the default ServiceAccount (controller-manager running)" kubectl --kubeconfig "$dir/kubeconfig" -n default get serviceaccount default
}

# cp_spawn DIR NAME COMMAND...: COMMAND in a new process group (setsid), its group recorded, its
# output appended to DIR/NAME.log; CP_LAST_PID is its pid.
cp_spawn() {
  local dir="$1" name="$2"; shift 2
  setsid "$@" >>"$dir/$name.log" 2>&1 &
  CP_LAST_PID=$!
  echo "$CP_LAST_PID" >>"$CONTROL_PLANE_GROUPS"
}

# cp_wait WHAT COMMAND...: retries COMMAND for up to 120 s.
cp_wait() {
  local what="$1"; shift
  for _ in $(seq 240); do "$@" >/dev/null 2>&1 && return 0; sleep 0.5; done
  echo "control plane: timed out waiting for $what" >&2
  return 1
}

# stop_control_plane: kills the recorded groups (each environment gets a fresh control plane).
stop_control_plane() {
  while read -r g; do kill -KILL -- "-$g" 2>/dev/null || true; done <"$CONTROL_PLANE_GROUPS"
  : >"$CONTROL_PLANE_GROUPS"
  sleep 1
}

# private_hosts "$0" "$@": re-runs the calling suite in a mount namespace of its own whose
# /etc/hosts is a private copy (a bind mount), so the in-cluster names the controllers dial
# (Services routed to loopback, the Redis and Prometheus the triggers name) resolve to loopback
# without touching the machine's file. Returns in the re-run (PRIVATE_HOSTS=1).
private_hosts() {
  [ "${PRIVATE_HOSTS:-}" = 1 ] && return 0
  exec unshare --mount --propagation private env PRIVATE_HOSTS=1 bash -c '
    set -e
    hosts="$(mktemp)"
    cat /etc/hosts >"$hosts"
    [ -z "$(tail -c1 "$hosts")" ] || echo >>"$hosts"
    mount --bind "$hosts" /etc/hosts
    exec bash "$@"' private-hosts "$@"
}
