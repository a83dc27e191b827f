#!/usr/bin/env bash
# The manifests against a real control plane (tests/control-plane/: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler of the pinned Kubernetes release; installed by .ci/install.d/55-control-plane.sh). For every
# environment under environments/, on a fresh control plane:
#   - the pinned controllers' CRDs (the charts' and Flux's, $K8S_CRDS of 20-k8s-schemas.sh) apply
#     and become Established;
#   - each Flux layer of layers.yaml, in dependsOn order, `kustomize build` and server-side apply
#     with strict field validation: every object accepted. SOPS Secrets are re-encrypted to a
#     throwaway age key and decrypted by sops (the environments' keys are not in git);
#   - a second apply changes nothing (every object's resourceVersion unchanged);
#   - negative controls from the generated objects (a wrong type, an unknown CRD field, a
#     Gateway API CEL rule broken) must be rejected by the apiserver.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
for part in pki ports kubeconfig start; do source "$REPO_ROOT/tests/control-plane/$part.sh"; done
cd "$REPO_ROOT"

for tool in etcd kube-apiserver kube-controller-manager kube-scheduler kubectl kustomize sops age-keygen; do
  command -v "$tool" >/dev/null || { echo "FAIL $tool is not installed: run bash .ci/install.d/55-control-plane.sh (or .ci/install-tools.sh)"; CHECKS_FAILED=$((CHECKS_FAILED + 1)); }
done
schema_env="$PLATFORM_CACHE/schemas/env.sh"
[ -f "$schema_env" ] && source "$schema_env" || { echo "FAIL $schema_env is missing: run bash .ci/install-tools.sh"; CHECKS_FAILED=$((CHECKS_FAILED + 1)); }
[ "$CHECKS_FAILED" -eq 0 ] || { checks_summary; exit 1; }

work="$(mktemp -d)"
kill_recorded_groups_on_exit CONTROL_PLANE_GROUPS
trap 'cat "$CONTROL_PLANE_GROUPS" | while read -r g; do kill -KILL -- "-$g" 2>/dev/null || true; done; rm -rf "$work" "$CONTROL_PLANE_GROUPS"' EXIT

# stop_control_plane: kills the recorded groups (one fresh control plane per environment).
stop_control_plane() {
  while read -r g; do kill -KILL -- "-$g" 2>/dev/null || true; done <"$CONTROL_PLANE_GROUPS"
  : >"$CONTROL_PLANE_GROUPS"
  sleep 1
}

# test_key_copy ENV DIR: the repo's files Flux reads for ENV, copied to DIR, with every *.sops.yaml
# encrypted to a throwaway age key and decrypted again by sops.
test_key_copy() {
  local env="$1" dir="$2" f
  mkdir -p "$dir" && cp -r environments "$dir/" && cp .sops.yaml "$dir/"
  age-keygen -o "$dir/age.key" 2>/dev/null
  sed -i "s/age1[0-9a-z]*/$(sed -n 's/.*public key: //p' "$dir/age.key")/" "$dir/.sops.yaml"
  while IFS= read -r f; do
    npx --no-install tsx tests/control-plane/test-secret.ts "$f" >"$dir/$f"
    (cd "$dir" && sops --encrypt --in-place "$f" && SOPS_AGE_KEY_FILE="$dir/age.key" sops --decrypt --in-place "$f")
  done < <(find "environments/$env" -name '*.sops.yaml' | sort)
}

# resource_versions KUBECONFIG FILE: "kind ns/name resourceVersion" of every object in FILE.
resource_versions() {
  kubectl --kubeconfig "$1" get -f "$2" -o jsonpath='{range .items[*]}{.kind} {.metadata.namespace}/{.metadata.name} {.metadata.resourceVersion}{"\n"}{end}' | sort
}

apply_layers() { # apply_layers KUBECONFIG ROOT ORDER_FILE OUT_DIR
  local kc="$1" root="$2" name path
  while read -r name path; do
    kustomize build "$root/$path" >"$4/$name.yaml" || { echo "kustomize build $path failed"; return 1; }
    kubectl --kubeconfig "$kc" apply --server-side --field-manager=control-plane-test --validate=strict -f "$4/$name.yaml" >/dev/null \
      || { echo "layer $name ($path) was rejected"; return 1; }
  done <"$3"
}

# A re-apply must change nothing. One exception, explained: some CRDs default their status
# (Flux's `observedGeneration: -1`, Gateway API's "Waiting for controller" conditions); the server
# stores that default on the first update after create, and on a cluster the controllers write
# status at once. No controller runs here, so the second apply may bump exactly those objects
# once, each then holding exactly its CRD's status default. A third apply must change nothing at
# all: a field the server mutates on every apply still fails.
# is_crd_status_default KUBECONFIG KIND STATUS_JSON: STATUS_JSON is the status default of KIND's CRD.
is_crd_status_default() {
  kubectl --kubeconfig "$1" get crd -o json | python3 -c '
import json, sys
kind, status = sys.argv[1], json.loads(sys.argv[2] or "null")
for crd in json.load(sys.stdin)["items"]:
    if crd["spec"]["names"]["kind"] != kind: continue
    for v in crd["spec"]["versions"]:
        if v.get("storage"):
            default = v["schema"]["openAPIV3Schema"].get("properties", {}).get("status", {}).get("default")
            sys.exit(0 if default is not None and default == status else 1)
sys.exit(1)' "$2" "$3"
}

second_apply_unchanged() { # second_apply_unchanged KUBECONFIG OUT_DIR ORDER_FILE
  local kc="$1" name path kind obj status
  while read -r name path; do
    [ -s "$2/$name.yaml" ] || { echo "layer $name was not built"; return 1; }
    resource_versions "$kc" "$2/$name.yaml" >"$2/$name.before"
    kubectl --kubeconfig "$kc" apply --server-side --field-manager=control-plane-test --validate=strict -f "$2/$name.yaml" >/dev/null
    resource_versions "$kc" "$2/$name.yaml" >"$2/$name.after"
    while read -r kind obj _; do
      status="$(kubectl --kubeconfig "$kc" get "$kind" -n "${obj%%/*}" "${obj#*/}" -o jsonpath='{.status}')"
      is_crd_status_default "$kc" "$kind" "$status" || { echo "layer $name: the second apply changed $kind $obj (status now: ${status:-none}), not only its CRD's status default"; return 1; }
    done < <(comm -13 "$2/$name.before" "$2/$name.after")
    kubectl --kubeconfig "$kc" apply --server-side --field-manager=control-plane-test --validate=strict -f "$2/$name.yaml" >/dev/null
    resource_versions "$kc" "$2/$name.yaml" >"$2/$name.third"
    diff "$2/$name.after" "$2/$name.third" || { echo "layer $name: a third apply changed the objects above"; return 1; }
  done <"$3"
}

rejected() { # rejected KUBECONFIG FILE REASON_REGEX: a dry-run apply must fail, for REASON.
  local out
  if out="$(kubectl --kubeconfig "$1" apply --server-side --dry-run=server --field-manager=control-plane-test --validate=strict -f "$2" 2>&1)"; then
    echo "accepted: $2"; return 1
  fi
  grep -qE "$3" <<<"$out" || { echo "rejected for another reason than /$3/:"; echo "$out"; return 1; }
}

mapfile -t ENVIRONMENTS < <(ls environments/)
for env in "${ENVIRONMENTS[@]}"; do
  dir="$work/$env"; mkdir -p "$dir/built"
  started=$SECONDS
  if ! check "$env: control plane starts (etcd, apiserver, controller-manager, scheduler)" start_control_plane "$dir/cp"; then
    for log in "$dir"/cp/*.log; do echo "--- $log"; tail -5 "$log"; done; continue
  fi
  echo "    started in $((SECONDS - started)) s"
  kc="$dir/cp/kubeconfig"
  check "$env: pinned CRDs apply and are Established" bash -c "kubectl --kubeconfig '$kc' apply --server-side -f '$K8S_CRDS' >/dev/null && kubectl --kubeconfig '$kc' wait --for=condition=Established crd --all --timeout=60s"
  # flux-system is the namespace `flux bootstrap` creates (its components are not in git, issue 20
  # item 4): the layers' Flux sources live there.
  kubectl --kubeconfig "$kc" create namespace flux-system >/dev/null
  test_key_copy "$env" "$dir/repo"
  npx --no-install tsx tests/control-plane/layer-order.ts "environments/$env/layers.yaml" >"$dir/order"
  check "$env: every layer server-side applies in dependsOn order ($(awk '{print $1}' "$dir/order" | paste -sd' '))" apply_layers "$kc" "$dir/repo" "$dir/order" "$dir/built"
  # (after a rejected layer the files of later layers are missing: this check fails too)
  check "$env: a re-apply changes nothing (beyond the status default no controller wrote)" second_apply_unchanged "$kc" "$dir/built" "$dir/order"
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
