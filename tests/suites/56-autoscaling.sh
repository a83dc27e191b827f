#!/usr/bin/env bash
# Autoscaling on the real controllers (tests/integration/autoscaling), for every environment under
# environments/, each on a fresh control plane (tests/control-plane/):
#   - the environment's layers applied, its pods made Running and Ready by the node simulator on
#     nodes of its own pools at their maximum (the kubelet's part: no container runtime here);
#   - KEDA's operator, metrics adapter and admission webhooks, and metrics-server, built from the
#     versions the pinned charts deploy and run with the charts' args, objects and RBAC;
#   - the queue Redis (generated redis.conf and password), Soketi and Prometheus under the
#     in-cluster names the ScaledObjects dial (a private /etc/hosts maps them to loopback);
#   then the test reads the HPAs KEDA made, pushes jobs onto each group's queue key, connects
#   websockets, loads the web pods' CPU and stops Redis, and checks what the controllers do.
# lane: control-plane
# needs: 10-k8s-tools 20-k8s-schemas 30-gitops 36-redis 40-promtool 46-soketi 55-control-plane
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
for part in pki ports kubeconfig start node-simulator layers controllers suite; do source "$REPO_ROOT/tests/control-plane/$part.sh"; done
private_hosts "$0" "$@"
cd "$REPO_ROOT"

control_plane_suite etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kustomize sops age-keygen node-simulator \
  keda-operator keda-adapter keda-admission-webhooks metrics-server redis-server prometheus

# up ENV DIR: a control plane with ENV's layers applied and its nodes simulated.
up() {
  local env="$1" dir="$2" cp="$2/cp"
  start_control_plane "$cp" &&
    apply_crds "$cp/kubeconfig" &&
    start_node_simulator "$cp" "$env" &&
    kubectl --kubeconfig "$cp/kubeconfig" create namespace flux-system >/dev/null &&
    test_key_copy "$env" "$dir/repo" &&
    npx --no-install tsx tests/control-plane/layer-order.ts "environments/$env/layers.yaml" >"$dir/order" &&
    apply_layers "$cp/kubeconfig" "$dir/repo" "$dir/order" "$dir/built"
}

# data_plane ENV DIR: Redis, Soketi and Prometheus (tests/control-plane/data-plane.ts).
data_plane() {
  npx --no-install tsx tests/control-plane/data-plane.ts "$1" "$2/data-plane" "$2/cp/kubeconfig" "127.0.0.1:$CP_KEDA_OPERATOR_METRICS_PORT"
}

controllers_up() { render_keda "$2/cp" "$1" && start_keda "$2/cp" && start_metrics_server "$2/cp" "$1"; }

mapfile -t ENVIRONMENTS < <(ls environments/)
for env in ${AUTOSCALING_ENVIRONMENTS:-${ENVIRONMENTS[@]}}; do
  dir="$work/$env"; cp="$dir/cp"; mkdir -p "$dir/built"
  started=$SECONDS
  cp /etc/hosts "$dir/hosts.before"
  if ! check_passes "$env: control plane, nodes and layers up" up "$env" "$dir"; then
    show_logs "$cp"; stop_control_plane; continue
  fi
  kc="$cp/kubeconfig"
  # The data plane before KEDA: KEDA creates no HPA for a ScaledObject whose Redis does not
  # answer, and backs off before trying again (seen: minutes).
  if ! check_passes "$env: queue Redis, Soketi and Prometheus up under the names the triggers dial" data_plane "$env" "$dir"; then
    show_logs "$dir/data-plane"; stop_control_plane; cp "$dir/hosts.before" /etc/hosts; continue
  fi
  if ! check_passes "$env: KEDA (operator, adapter, webhooks) and metrics-server up, each with its chart's RBAC" controllers_up "$env" "$dir"; then
    show_logs "$cp"; stop_control_plane; cp "$dir/hosts.before" /etc/hosts; continue
  fi
  echo "    up in $((SECONDS - started)) s"
  AUTOSCALING_ENV="$env" AUTOSCALING_KUBECONFIG="$kc" AUTOSCALING_DATA_PLANE="$dir/data-plane/data-plane.json" \
    AUTOSCALING_CPU_USAGE="$cp/cpu-usage.json" run_vitest --config vitest.integration.config.ts tests/integration/autoscaling
  stop_control_plane
  cp "$dir/hosts.before" /etc/hosts
  echo "    $env took $((SECONDS - started)) s"
done
checks_summary
