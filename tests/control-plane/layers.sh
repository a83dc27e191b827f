# The environment's Flux layers against a control plane: what suites 55 and 56 share. Source it
# after start.sh (needs sops, age-keygen, kustomize, kubectl and tsx on PATH).

# test_key_encrypted_copy ENV DIR KEY: the repo's files Flux reads for ENV (environments/,
# .sops.yaml) copied to DIR, every *.sops.yaml of ENV a test Secret encrypted to a throwaway age
# key written to KEY (the environments' own keys are not in git).
test_key_encrypted_copy() {
  local env="$1" dir="$2" key="$3" f
  mkdir -p "$dir" && cp -r environments "$dir/" && cp .sops.yaml "$dir/"
  age-keygen -o "$key" 2>/dev/null
  sed -i "s/age1[0-9a-z]*/$(sed -n 's/.*public key: //p' "$key")/" "$dir/.sops.yaml"
  while IFS= read -r f; do
    npx --no-install tsx tests/control-plane/test-secret.ts "$f" >"$dir/$f" && (cd "$dir" && sops --encrypt --in-place "$f") || return 1
  done < <(find "environments/$env" -name '*.sops.yaml' | sort)
}

# test_key_copy ENV DIR: test_key_encrypted_copy, then decrypted again by sops, as Flux does.
test_key_copy() {
  local f
  test_key_encrypted_copy "$1" "$2" "$2/age.key" || return 1
  while IFS= read -r f; do
    (cd "$2" && SOPS_AGE_KEY_FILE="$2/age.key" sops --decrypt --in-place "$f") || return 1
  done < <(find "environments/$1" -name '*.sops.yaml' | sort)
}

# apply_crds KUBECONFIG: the pinned controllers' CRDs ($K8S_CRDS) applied and Established.
apply_crds() {
  kubectl --kubeconfig "$1" apply --server-side -f "$K8S_CRDS" >/dev/null &&
    kubectl --kubeconfig "$1" wait --for=condition=Established crd --all --timeout=60s >/dev/null
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
