# Running a chart's controllers as loopback processes (controller-release.ts prints the chart's
# args). Source it after start.sh.

# controller_args JSON FLAG=VALUE...: the container args of JSON (controller-release.ts), one per
# line, with each --FLAG replaced by --FLAG=VALUE (or added when the chart does not set it);
# FLAG= alone (no value) drops the flag.
controller_args() {
  python3 - "$@" <<'PY'
import json, sys
args = json.load(open(sys.argv[1]))["args"]
for override in sys.argv[2:]:
    flag, value = override.split("=", 1)
    args = [a for a in args if a != f"--{flag}" and not a.startswith(f"--{flag}=")]
    if value != "":
        args.append(f"--{flag}={value}")
print("\n".join(args))
PY
}

# controller_env JSON: the container env of JSON as NAME=VALUE lines (for env(1)).
controller_env() {
  python3 -c 'import json,sys; [print(f"{k}={v}") for k, v in json.load(open(sys.argv[1]))["env"].items()]' "$1"
}

# spawn_controller DIR NAME JSON BINARY [VAR=VALUE...] -- [FLAG=VALUE...]: BINARY with the chart's
# args and env from JSON, the overrides applied, in its own process group (cp_spawn).
spawn_controller() {
  local dir="$1" name="$2" json="$3" binary="$4"; shift 4
  local extra_env=() overrides=() args=() envs=()
  while [ $# -gt 0 ] && [ "$1" != -- ]; do extra_env+=("$1"); shift; done
  [ "${1:-}" = -- ] && shift
  overrides=("$@")
  mapfile -t args < <(controller_args "$json" "${overrides[@]}")
  mapfile -t envs < <(controller_env "$json")
  echo "$binary ${args[*]}" >"$dir/$name.cmdline"
  cp_spawn "$dir" "$name" env "${envs[@]}" "${extra_env[@]}" "$binary" "${args[@]}"
}

# render_keda DIR ENV: the pinned keda chart of ENV's HelmRelease rendered with its values into
# DIR/keda-release (controller-release.ts), its Services routed to the loopback ports below.
render_keda() {
  npx --no-install tsx "$REPO_ROOT/tests/control-plane/controller-release.ts" "$2" keda "$1/keda-release" \
    "keda-operator:metricsservice=$CP_KEDA_OPERATOR_GRPC_PORT" "keda-operator:metrics=$CP_KEDA_OPERATOR_METRICS_PORT" \
    "keda-operator-metrics-apiserver:https=$CP_KEDA_ADAPTER_PORT" "keda-admission-webhooks:https=$CP_KEDA_WEBHOOKS_PORT"
}

# start_keda DIR: KEDA's operator, metrics adapter and admission webhooks from DIR/keda-release
# (render_keda): the chart's objects applied, its args and env, each process with its own
# ServiceAccount's token, against the control plane in DIR. The operator writes its certificates
# into the kedaorg-certs Secret and exits, as in its pod; the files are then placed as the pod's
# Secret volume would place them, and it starts again. Returns when the external metrics API is
# Available. Source after kubeconfig.sh and start.sh.
start_keda() {
  local dir="$1" kc="$1/kubeconfig" rel="$1/keda-release" certs="$1/keda-certs" first key
  add_hosts "$rel/hosts"
  kubectl --kubeconfig "$kc" apply --server-side --field-manager=control-plane-test -f "$rel/objects.yaml" >/dev/null 2>"$dir/keda-apply.err" || { cat "$dir/keda-apply.err"; return 1; }
  mkdir -p "$certs"
  for account in keda-operator keda-metrics-server keda-webhook; do
    write_service_account_kubeconfig "$dir" keda "$account" "$dir/$account.kubeconfig"
  done
  local operator=(KUBECONFIG="$dir/keda-operator.kubeconfig" POD_NAMESPACE=keda POD_NAME=keda-operator KEDA_CLUSTER_OBJECT_NAMESPACE=keda --
    "cert-dir=$certs" "metrics-bind-address=127.0.0.1:$CP_KEDA_OPERATOR_METRICS_PORT"
    "health-probe-bind-address=127.0.0.1:$CP_KEDA_OPERATOR_PROBES_PORT" "metrics-service-bind-address=127.0.0.1:$CP_KEDA_OPERATOR_GRPC_PORT")
  spawn_controller "$dir" keda-operator "$rel/keda-operator.json" keda-operator "${operator[@]}"
  first=$CP_LAST_PID
  cp_wait "KEDA's certificates in Secret keda/kedaorg-certs" bash -c \
    "kubectl --kubeconfig '$kc' -n keda get secret kedaorg-certs -o jsonpath='{.data.tls\\.crt}' | grep -q ." || return 1
  cp_wait "the KEDA operator's exit after writing its certificates" bash -c "! kill -0 $first 2>/dev/null" || return 1
  for key in ca.crt ca.key tls.crt tls.key; do
    kubectl --kubeconfig "$kc" -n keda get secret kedaorg-certs -o jsonpath="{.data.${key//./\\.}}" | base64 -d >"$certs/$key"
  done
  spawn_controller "$dir" keda-operator "$rel/keda-operator.json" keda-operator "${operator[@]}"
  local adapter="$dir/keda-metrics-server.kubeconfig"
  spawn_controller "$dir" keda-adapter "$rel/keda-operator-metrics-apiserver.json" keda-adapter \
    KUBECONFIG="$adapter" POD_NAMESPACE=keda KEDA_CLUSTER_OBJECT_NAMESPACE=keda -- \
    "secure-port=$CP_KEDA_ADAPTER_PORT" "port=$CP_KEDA_ADAPTER_METRICS_PORT" bind-address=127.0.0.1 \
    "metrics-service-address=keda-operator.keda.svc.cluster.local:$CP_KEDA_OPERATOR_GRPC_PORT" \
    "client-ca-file=$certs/ca.crt" "tls-cert-file=$certs/tls.crt" "tls-private-key-file=$certs/tls.key" "cert-dir=$certs" \
    "lister-kubeconfig=$adapter" "authentication-kubeconfig=$adapter" "authorization-kubeconfig=$adapter"
  spawn_controller "$dir" keda-webhooks "$rel/keda-admission-webhooks.json" keda-admission-webhooks \
    KUBECONFIG="$dir/keda-webhook.kubeconfig" POD_NAMESPACE=keda POD_NAME=keda-webhooks KEDA_CLUSTER_OBJECT_NAMESPACE=keda -- \
    "cert-dir=$certs" "port=$CP_KEDA_WEBHOOKS_PORT" "metrics-bind-address=127.0.0.1:$CP_KEDA_WEBHOOKS_METRICS_PORT" \
    "health-probe-bind-address=127.0.0.1:$CP_KEDA_WEBHOOKS_PROBES_PORT"
  cp_wait "the external metrics API (KEDA's adapter) Available" bash -c \
    "kubectl --kubeconfig '$kc' get apiservice v1beta1.external.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type==\"Available\")].status}' | grep -qx True"
}

# start_metrics_server DIR ENV: metrics-server from ENV's pinned chart (its args, its
# ServiceAccount), scraping the node simulator's kubelet endpoints; returns when the resource
# metrics API is Available.
start_metrics_server() {
  local dir="$1" env="$2" kc="$1/kubeconfig" rel="$1/metrics-server-release" sa="$1/metrics-server.kubeconfig"
  npx --no-install tsx "$REPO_ROOT/tests/control-plane/controller-release.ts" "$env" metrics-server "$rel" \
    "metrics-server:https=$CP_METRICS_SERVER_PORT" || return 1
  add_hosts "$rel/hosts"
  kubectl --kubeconfig "$kc" apply --server-side --field-manager=control-plane-test -f "$rel/objects.yaml" >/dev/null 2>"$dir/metrics-server-apply.err" || { cat "$dir/metrics-server-apply.err"; return 1; }
  write_service_account_kubeconfig "$dir" kube-system metrics-server "$sa"
  mkdir -p "$dir/metrics-server-certs"
  spawn_controller "$dir" metrics-server "$rel/metrics-server.json" metrics-server -- \
    "secure-port=$CP_METRICS_SERVER_PORT" bind-address=127.0.0.1 "cert-dir=$dir/metrics-server-certs" \
    "kubeconfig=$sa" "authentication-kubeconfig=$sa" "authorization-kubeconfig=$sa"
  cp_wait "the resource metrics API (metrics-server) Available" bash -c \
    "kubectl --kubeconfig '$kc' get apiservice v1beta1.metrics.k8s.io -o jsonpath='{.status.conditions[?(@.type==\"Available\")].status}' | grep -qx True"
}

# add_hosts FILE: appends FILE's lines to /etc/hosts, which must be the suite's private copy
# (private_hosts in start.sh).
add_hosts() {
  [ "${PRIVATE_HOSTS:-}" = 1 ] || { echo "add_hosts: /etc/hosts is not private (run the suite through private_hosts)" >&2; return 1; }
  cat "$1" >>/etc/hosts
}
