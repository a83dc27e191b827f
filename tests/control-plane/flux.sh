# Flux against the control plane (suite 57-flux): the repository served by a local git server,
# the pinned charts by a local Helm repository and OCI registry, Flux's own controllers (built
# at the versions bootstrap installs, .ci/k8s-tools) as loopback processes. Source after start.sh
# and ports.sh.

# serve_sources DIR: the git server (DIR/git/<name>.git), the Helm repository of the pinned charts
# ($HELM_CHARTS_DIR, default ../shared/helm-charts) and an empty OCI registry, on loopback.
serve_sources() {
  local dir="$1" charts="${HELM_CHARTS_DIR:-$REPO_ROOT/../shared/helm-charts}"
  mkdir -p "$dir/git"
  cp_spawn "$dir" git-server python3 "$REPO_ROOT/tests/control-plane/git-http-server.py" 127.0.0.1 "$CP_GIT_PORT" "$dir/git"
  cp_spawn "$dir" helm-repository python3 -m http.server --bind 127.0.0.1 --directory "$charts" "$CP_HELM_REPO_PORT"
  cp_spawn "$dir" oci-registry oci-registry -address "127.0.0.1:$CP_OCI_REGISTRY_PORT"
  cp_wait "the Helm repository" curl -sf "http://127.0.0.1:$CP_HELM_REPO_PORT/index.yaml" -o /dev/null
  cp_wait "the OCI registry" curl -sf "http://127.0.0.1:$CP_OCI_REGISTRY_PORT/v2/" -o /dev/null
}

# push_oci_charts CHART...: `helm push` of each chart archive of the Helm repository to the OCI
# registry under the path its OCIRepository names (oci://docker.io/envoyproxy/gateway-helm ->
# envoyproxy), as the upstream registry holds it.
push_oci_charts() {
  local charts="${HELM_CHARTS_DIR:-$REPO_ROOT/../shared/helm-charts}" spec chart path
  for spec in "$@"; do
    chart="${spec%%=*}"; path="${spec#*=}"
    helm push "$charts/$chart" "oci://127.0.0.1:$CP_OCI_REGISTRY_PORT/$path" --plain-http >/dev/null || return 1
  done
}

# start_flux DIR: source-, kustomize- and helm-controller against the control plane in DIR, each
# with the flags their Deployments in the Flux release get that matter here (all namespaces, no
# leader election) and loopback addresses; source-controller advertises its artifact server on
# loopback (in the cluster: source-controller.flux-system.svc.cluster.local.). One change for
# the suite's time: a layer waiting on its dependency looks again every 5 s, not Flux's 30 s,
# so the printed times to Ready are shorter than a cluster's by up to 25 s per layer.
start_flux() {
  local dir="$1" port="$CP_FLUX_FIRST_PORT" controller
  mkdir -p "$dir/source-storage"
  for controller in source-controller kustomize-controller helm-controller; do
    local extra=()
    [ "$controller" = source-controller ] && extra=(--storage-path="$dir/source-storage" \
      --storage-addr="127.0.0.1:$CP_SOURCE_STORAGE_PORT" --storage-adv-addr="127.0.0.1:$CP_SOURCE_STORAGE_PORT")
    cp_spawn "$dir" "$controller" env KUBECONFIG="$dir/kubeconfig" RUNTIME_NAMESPACE=flux-system "$controller" \
      --watch-all-namespaces --log-level=info --log-encoding=console --events-addr= --requeue-dependency=5s \
      --metrics-addr="127.0.0.1:$port" --health-addr="127.0.0.1:$((port + 1))" "${extra[@]}"
    port=$((port + 2))
  done
}
