#!/usr/bin/env bash
# Flux reconciles every environment for real (issue 20): on a fresh control plane per environment
# with the node simulator's nodes, the repository as `flux bootstrap` leaves it is served by a
# local git server (flux-bootstrap.ts: flux-system/ committed, the chart sources pointed at the
# local Helm repository and OCI registry of the pinned charts, the SOPS files encrypted to a
# throwaway age key whose sops-age Secret bootstrap's operator creates), and Flux's own
# source-, kustomize- and helm-controller, at the versions bootstrap installs, reconcile it:
#   - the bootstrap Kustomization and every layer of layers.yaml become Ready, in dependsOn order
#     (each layer's time to Ready is printed), SOPS decrypted by kustomize-controller;
#   - helm-controller installs every HelmRelease from the pinned chart with the repo's values;
#   - then a PR's change (changed_tree: synthesized by the real synth, committed), which Flux rolls
#     out as the PR diff promised (tests/integration/flux/changes.test.ts).
# What cannot run here: cert-manager's webhook (its command's module is refused by the Go proxy
# and its validation code is internal to cert-manager); its webhook configurations are deleted
# once the release is installed, so cert-manager objects get the API server's CRD validation only.
# lane: control-plane
# needs: 10-k8s-tools 20-k8s-schemas 30-gitops 55-control-plane
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
for part in pki ports kubeconfig start node-simulator layers flux suite; do source "$REPO_ROOT/tests/control-plane/$part.sh"; done
cd "$REPO_ROOT"

control_plane_suite etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kustomize helm sops age-keygen node-simulator \
  source-controller kustomize-controller helm-controller oci-registry git

# What bootstrap installs of Flux: its CRDs, of the pinned controllers ($K8S_CRDS has them).
mapfile -t flux_crds < <(grep -l 'group: [a-z]*\.toolkit\.fluxcd\.io' "$K8S_CRDS"/*.yaml)

# served_tree ENV DIR: DIR/tree, what the git server serves for ENV (a git work tree, committed).
served_tree() {
  local env="$1" tree="$2/tree"
  # The key outside the tree: the served repository holds only what git would.
  test_key_encrypted_copy "$env" "$tree" "$2/age.agekey" || return 1
  npx --no-install tsx tests/control-plane/flux-bootstrap.ts "$env" "$tree" "http://127.0.0.1:$CP_GIT_PORT/$env.git" \
    "http://127.0.0.1:$CP_HELM_REPO_PORT" "127.0.0.1:$CP_OCI_REGISTRY_PORT" "${flux_crds[@]}" >"$2/layers" || return 1
  git -C "$tree" init -q -b main && git -C "$tree" add -A &&
    git -C "$tree" -c user.name=test -c user.email=test@127.0.0.1 commit -qm "main as bootstrapped" &&
    git clone -q --bare "$tree" "$2/cp/git/$env.git"
}

# bootstrap ENV DIR: what `flux bootstrap` applies (flux-system/: Flux's CRDs, its GitRepository and
# Kustomization) and the age key Secret the operator creates by hand (docs/gitops.md).
bootstrap() {
  local kc="$2/cp/kubeconfig" manifest="$2/bootstrap.yaml"
  kustomize build "$2/tree/environments/$1/flux-system" >"$manifest" || return 1
  # Like bootstrap: the CRDs first, established, then the objects of their kinds (in one stream
  # the API server may not serve a kind yet: "could not find the requested resource").
  kubectl --kubeconfig "$kc" apply --server-side --field-manager=flux-bootstrap -f "$manifest" >/dev/null 2>&1 || true
  kubectl --kubeconfig "$kc" wait --for=condition=Established crd --all --timeout=60s >/dev/null &&
    kubectl --kubeconfig "$kc" apply --server-side --field-manager=flux-bootstrap -f "$manifest" >/dev/null &&
    kubectl --kubeconfig "$kc" -n flux-system create secret generic sops-age --from-file=age.agekey="$2/age.agekey" >/dev/null
}

# ready_in_order KUBECONFIG TIMES LAYER...: waits for the bootstrap Kustomization, then each
# layer's, to be Ready, writing the seconds each took from the start to TIMES; fails naming the
# first that is not.
ready_in_order() {
  local kc="$1" times="$2" started=$SECONDS layer status reason failed_release; shift 2
  for layer in flux-system "$@"; do
    for _ in $(seq 600); do
      read -r status reason < <(kubectl --kubeconfig "$kc" -n flux-system get kustomization "$layer" \
        -o jsonpath='{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].reason}{"\n"}' 2>/dev/null || echo "- -")
      [ "$status" = True ] && break
      # Terminal (Flux retries the others: a source not fetched yet, an apply a webhook refused once).
      case "$reason" in BuildFailed|HealthCheckFailed) break ;; esac
      # A release helm refused (values its chart rejects): the layer would only time out.
      failed_release="$(kubectl --kubeconfig "$kc" get helmreleases -A -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {.status.conditions[?(@.type=="Ready")].reason}{"\n"}{end}' 2>/dev/null | grep -E ' (Install|Upgrade)Failed$' || true)"
      [ -z "$failed_release" ] || { reason="HelmRelease $failed_release"; break; }
      sleep 1
    done
    if [ "$status" != True ]; then
      echo "Kustomization $layer not Ready ($reason) after $((SECONDS - started)) s:"
      kubectl --kubeconfig "$kc" -n flux-system get kustomizations,helmreleases -A 2>&1 | tail -20
      return 1
    fi
    echo "    $layer Ready at $((SECONDS - started)) s" >>"$times"
  done
}

# The cert-manager webhook cannot run here (see above): once helm has installed the release (its
# wait watches every object, the webhook configurations too), remove them, and again whenever
# helm-controller's drift correction puts them back.
drop_cert_manager_webhooks() {
  until [ "$(kubectl --kubeconfig "$1" -n cert-manager get helmrelease cert-manager -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null)" = True ]; do sleep 2; done
  while true; do
    kubectl --kubeconfig "$1" delete validatingwebhookconfiguration,mutatingwebhookconfiguration -l app.kubernetes.io/name=webhook,app.kubernetes.io/instance=cert-manager --ignore-not-found >/dev/null 2>&1 || true
    sleep 2
  done
}

# changed_tree ENV DIR: a PR's change to ENV's config, synthesized by the real synth in a copy of
# the repository (DIR/changed-repo): a release (the app's four images to a new tag), web's
# maximum one higher, the last worker group removed. Its environments/ENV/ (not the Secrets,
# unchanged) replaces the served tree's, the chart sources are pointed at loopback again, and it
# is committed; DIR/change says what changed (for the test).
changed_tree() {
  local env="$1" dir="$2" copy="$2/changed-repo"
  repo_copy "$copy"
  mkdir -p "$copy/apps/environments/original"
  sed 's#from '"'"'./base.js'"'"'#from '"'"'../base.js'"'"'#' "apps/environments/$env.ts" >"$copy/apps/environments/original/$env.ts"
  cat >"$copy/apps/environments/$env.ts" <<TS
// The test's PR (suite 57-flux): a release, web max + 1, the last worker group removed.
import original from './original/$env.js';
const release = (image: string) => image.replace(/:([^:]+)\$/, ':\$1-next');
export default {
  ...original,
  images: { ...original.images, nginx: release(original.images.nginx), phpFpm: release(original.images.phpFpm), cli: release(original.images.cli), cron: release(original.images.cron) },
  web: { ...original.web, replicas: { ...original.web.replicas, max: original.web.replicas.max + 1 } },
  workers: original.workers.slice(0, -1),
};
TS
  (cd "$copy" && npm run --silent synth >/dev/null) || return 1
  find "$dir/tree/environments/$env" -mindepth 1 -maxdepth 1 ! -name secrets ! -name flux-system -exec rm -rf {} + &&
    (cd "$copy/environments/$env" && find . -mindepth 1 -maxdepth 1 ! -name secrets -exec cp -r {} "$dir/tree/environments/$env/" \;) &&
    npx --no-install tsx tests/control-plane/flux-bootstrap.ts "$env" "$dir/tree" "http://127.0.0.1:$CP_GIT_PORT/$env.git" \
      "http://127.0.0.1:$CP_HELM_REPO_PORT" "127.0.0.1:$CP_OCI_REGISTRY_PORT" "${flux_crds[@]}" >/dev/null &&
    git -C "$dir/tree" add -A && git -C "$dir/tree" -c user.name=test -c user.email=test@127.0.0.1 commit -qm "a release, web max + 1, a worker group removed" &&
    git -C "$dir/tree" push -q "$dir/cp/git/$env.git" main &&
    git -C "$dir/tree" rev-parse HEAD >"$dir/changed-revision"
}

up() {
  local env="$1" dir="$2"
  start_control_plane "$dir/cp" && start_node_simulator "$dir/cp" "$env" &&
    serve_sources "$dir/cp" && push_oci_charts gateway-helm-v1.6.0.tgz=envoyproxy &&
    served_tree "$env" "$dir" && bootstrap "$env" "$dir" && start_flux "$dir/cp"
}

mapfile -t ENVIRONMENTS < <(ls environments/)
for env in ${FLUX_ENVIRONMENTS:-${ENVIRONMENTS[@]}}; do
  dir="$work/$env"; mkdir -p "$dir"
  started=$SECONDS
  if ! check_passes "$env: control plane, nodes, sources, bootstrap and Flux's controllers up" up "$env" "$dir"; then
    show_logs "$dir/cp"; stop_control_plane; continue
  fi
  kc="$dir/cp/kubeconfig"
  setsid bash -c "$(declare -f drop_cert_manager_webhooks); drop_cert_manager_webhooks '$kc'" >/dev/null 2>&1 &
  echo "$!" >>"$CONTROL_PLANE_GROUPS"; disown  # killed with the control plane, without a "Killed" line
  read -r -a layers <"$dir/layers"
  reconciled=0
  check_passes "$env: Flux reconciles the bootstrap path and every layer in dependsOn order, each Ready" ready_in_order "$kc" "$dir/ready-times" "${layers[@]}" && reconciled=1
  cat "$dir/ready-times" 2>/dev/null || true
  check_passes "$env: every HelmRelease installed from its pinned chart with the repo's values" \
    kubectl --kubeconfig "$kc" wait --for=condition=Ready helmreleases --all -A --timeout=60s || reconciled=0
  # The change is rolled out onto a reconciled main only.
  if [ "$reconciled" = 1 ] && check_passes "$env: a PR's change synthesized and committed (a release, web max + 1, a worker group removed)" changed_tree "$env" "$dir"; then
    kubectl --kubeconfig "$kc" -n flux-system annotate gitrepository flux-system --overwrite "reconcile.fluxcd.io/requestedAt=$(date +%s)" >/dev/null
    FLUX_ENV="$env" FLUX_KUBECONFIG="$kc" FLUX_BASE_TREE="$REPO_ROOT/environments" FLUX_HEAD_TREE="$dir/changed-repo/environments" \
      FLUX_REVISION="$(cat "$dir/changed-revision")" run_vitest --config vitest.integration.config.ts tests/integration/flux
  fi
  stop_control_plane
  echo "    $env took $((SECONDS - started)) s"
done
checks_summary
