#!/usr/bin/env bash
# The manifests against a real control plane (tests/control-plane/: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler of the pinned Kubernetes release; installed by .ci/install.d/55-control-plane.sh). For every
# environment under environments/, on a fresh control plane:
#   - the pinned controllers' CRDs (the charts' and Flux's, $K8S_CRDS of 20-k8s-schemas.sh) apply
#     and become Established;
#   - each Flux layer of layers.yaml, in dependsOn order, `kustomize build` and server-side apply
#     with strict field validation: every object accepted. SOPS Secrets are re-encrypted to a
#     throwaway age key and decrypted by sops (the environments' keys are not in git);
#   - a second apply changes nothing (every object's resourceVersion unchanged), kubectl diff is empty;
#   - every workload rolls out on nodes of the environment's pools (tests/control-plane/node-simulator.sh):
#     scheduling, claims and rollouts are the real controllers', only the kubelet is simulated;
#   - negative controls from the generated objects (a wrong type, an unknown CRD field, a
#     Gateway API CEL rule broken) must be rejected by the apiserver.
# lane: control-plane
# needs: 10-k8s-tools 20-k8s-schemas 30-gitops 55-control-plane
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
for part in pki ports kubeconfig start node-simulator layers suite; do source "$REPO_ROOT/tests/control-plane/$part.sh"; done
cd "$REPO_ROOT"

control_plane_suite etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kustomize sops age-keygen

start_cluster() { start_control_plane "$1" && start_node_simulator "$1" "$2"; }

# diff_empty KUBECONFIG OUT_DIR ORDER_FILE: `kubectl diff --server-side` of each built layer is empty.
diff_empty() {
  local name path out
  while read -r name path; do
    if ! out="$(kubectl --kubeconfig "$1" diff --server-side --field-manager=control-plane-test -f "$2/$name.yaml" 2>&1)"; then
      echo "layer $name: kubectl diff is not empty:"; echo "$out" | head -40; return 1
    fi
  done <"$3"
}

# workloads_ready KUBECONFIG: what a cluster does with the applied tree, the kubelet's part simulated.
workloads_ready() {
  kubectl --kubeconfig "$1" wait --for=condition=Available deployments --all -A --timeout=120s >/dev/null &&
    kubectl --kubeconfig "$1" get statefulsets -A -o jsonpath='{range .items[*]}{.metadata.namespace} {.metadata.name}{"\n"}{end}' |
      while read -r ns name; do kubectl --kubeconfig "$1" -n "$ns" rollout status "statefulset/$name" --timeout=120s >/dev/null || exit 1; done &&
    kubectl --kubeconfig "$1" wait --for=condition=Complete jobs --all -A --timeout=120s >/dev/null &&
    kubectl --kubeconfig "$1" wait --for=jsonpath='{.status.phase}'=Bound pvc --all -A --timeout=120s >/dev/null
}

mapfile -t ENVIRONMENTS < <(ls environments/)
for env in ${CONTROL_PLANE_ENVIRONMENTS:-${ENVIRONMENTS[@]}}; do
  dir="$work/$env"; mkdir -p "$dir/built"
  started=$SECONDS
  if ! check_passes "$env: control plane starts (etcd, apiserver, controller-manager, scheduler; nodes of its pools)" start_cluster "$dir/cp" "$env"; then
    show_logs "$dir/cp"; continue
  fi
  echo "    started in $((SECONDS - started)) s"
  kc="$dir/cp/kubeconfig"
  check "$env: pinned CRDs apply and are Established" apply_crds "$kc"
  # flux-system is the namespace `flux bootstrap` creates (its components are not in git, issue 20
  # item 4): the layers' Flux sources live there.
  kubectl --kubeconfig "$kc" create namespace flux-system >/dev/null
  test_key_copy "$env" "$dir/repo"
  npx --no-install tsx tests/control-plane/layer-order.ts "environments/$env/layers.yaml" >"$dir/order"
  check "$env: every layer server-side applies in dependsOn order ($(awk '{print $1}' "$dir/order" | paste -sd' '))" apply_layers "$kc" "$dir/repo" "$dir/order" "$dir/built"
  # (after a rejected layer the files of later layers are missing: this check fails too)
  check "$env: a re-apply changes nothing (beyond the status default no controller wrote)" second_apply_unchanged "$kc" "$dir/built" "$dir/order"
  check "$env: kubectl diff of every layer is empty" diff_empty "$kc" "$dir/built" "$dir/order"
  check "$env: every workload rolls out on the simulated nodes (Deployments Available, StatefulSets ready, the migrations Job Complete, claims Bound)" workloads_ready "$kc"
  cat "$dir"/built/*.yaml >"$dir/all.yaml"
  check "$env: negative controls derived from the generated objects" npx --no-install tsx tests/control-plane/negative-objects.ts "$dir/all.yaml" "$dir/negative"
  if [ -f "$dir/negative/cel-rule.json" ]; then
    check "$env: a wrong type is rejected (Deployment spec.replicas \"two\")" rejected "$kc" "$dir/negative/wrong-type.json" 'replicas'
    check "$env: an unknown field of a CRD kind is rejected (HelmRelease)" rejected "$kc" "$dir/negative/unknown-field.json" 'notAHelmReleaseField: field not declared in schema'
    check "$env: a broken CEL rule is rejected (HTTPRoute path not absolute)" rejected "$kc" "$dir/negative/cel-rule.json" 'absolute path'
  fi
  stop_control_plane
  echo "    $env took $((SECONDS - started)) s"
done
checks_summary
