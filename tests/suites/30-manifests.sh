#!/usr/bin/env bash
# Static validation of the synthesized manifests, offline, against schemas generated from upstream
# sources by .ci/install.d/20-k8s-schemas.sh:
#   - kubeconform -strict over every environments/<env>/ (no -ignore-missing-schemas: a kind
#     without a schema fails), built-in kinds of the environment's Kubernetes version + CRDs;
#   - kubectl-validate with the CRDs (apiserver validation code, CEL rules included);
#   - kustomize build of every kustomization.yaml under environments/ (Flux layers);
#   - helm lint --strict and helm template of every dist/helm/<env>, and the rendered objects must
#     equal environments/<env>/apps/ (the layer the chart holds; tests/tools/compare-manifests.ts);
#   - negative checks: broken manifests must be rejected, each for the expected reason.
# kustomization.yaml files are kustomize's own build configuration (Flux layers), never applied to
# the cluster: they are built with kustomize and the build output is validated instead.
# MANIFESTS_ROOT / HELM_ROOT override environments/ and dist/helm (used to try the suite on
# hand-made fixtures); by default a missing dist/helm is produced by `npm run synth`.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"

MANIFESTS_ROOT="${MANIFESTS_ROOT:-environments}"
HELM_ROOT="${HELM_ROOT:-dist/helm}"
# The chart of an environment holds its application layer (apps/synth/helm.ts: "the same objects
# as environments/<env>/apps"); Flux layers, controllers and SOPS secrets are Flux's alone. Without
# that folder the chart must match the whole environment.
HELM_SCOPE="${HELM_SCOPE:-apps}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

schema_env="$PLATFORM_CACHE/schemas/env.sh"
if [ ! -f "$schema_env" ]; then
  echo "FAIL schemas: $schema_env is missing; run bash .ci/install-tools.sh"
  CHECKS_FAILED=$((CHECKS_FAILED + 1)); checks_summary; exit 1
fi
source "$schema_env"

if [ ! -d "$HELM_ROOT" ]; then
  check "npm run synth (writes $MANIFESTS_ROOT and $HELM_ROOT)" npm run --silent synth
fi

# environment -> Kubernetes minor, from the config (cluster.kubernetesVersion)
declare -A MINOR
while read -r env minor; do MINOR[$env]="$minor"; done < <(npx --no-install tsx tests/tools/print-kubernetes-versions.ts)

# kubeconform_run MINOR PATH...: kubeconform with our schemas only (no network registry).
kubeconform_run() {
  local minor="$1"; shift
  local key="${minor//./_}"
  local builtin="K8S_SCHEMAS_$key" release="K8S_RELEASE_$key"
  if [ -z "${!builtin:-}" ]; then
    echo "no built-in schemas for Kubernetes $minor in $schema_env: add it to KUBERNETES_RELEASE in .ci/install.d/20-k8s-schemas.sh"
    return 1
  fi
  kubeconform -strict -summary -output text -n 4 \
    -kubernetes-version "${!release#v}" \
    -schema-location "${!builtin}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "$K8S_CRD_SCHEMAS/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" \
    -ignore-filename-pattern '(^|/)kustomization\.ya?ml$' \
    "$@"
}

# manifest_files DIR: every YAML file under DIR but kustomize's build configuration.
manifest_files() {
  find "$1" -type f \( -name '*.yaml' -o -name '*.yml' \) ! -name kustomization.yaml ! -name kustomization.yml | sort
}

# kubectl_validate_dir MINOR DIR
kubectl_validate_dir() {
  local files
  mapfile -t files < <(manifest_files "$2")
  [ ${#files[@]} -gt 0 ] || { echo "no manifests in $2"; return 1; }
  kubectl-validate --version "$1" --local-crds "$K8S_CRDS" "${files[@]}"
}

# kustomize_build_valid MINOR DIR: builds a kustomization and validates the objects it renders.
# The bootstrap path builds as committed: synth lists flux-system/ only once `flux bootstrap` has
# committed it (apps/synth/render.ts).
kustomize_build_valid() {
  local minor="$1" dir="$2" out="$work/kustomize-$RANDOM.yaml"
  kustomize build "$dir" -o "$out" && kubeconform_all_valid "$minor" "$out"
}

# kubeconform_all_valid MINOR DIR: passes only if DIR has objects and every one is valid.
kubeconform_all_valid() {
  local out
  out="$(kubeconform_run "$@" 2>&1)" || { echo "$out"; return 1; }
  echo "$out"
  # Guard against a vacuous pass: an empty folder validates "successfully".
  grep -qE 'Summary: [1-9][0-9]* resources? found' <<<"$out" || { echo "no Kubernetes objects found in $2"; return 1; }
}

# expect_failure PATTERN COMMAND...: passes when COMMAND fails AND its output matches PATTERN,
# so a negative check cannot pass for the wrong reason (a crash, a missing tool).
expect_failure() {
  local pattern="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then echo "expected a failure, but it passed:"; echo "$out"; return 1; fi
  grep -qE -- "$pattern" <<<"$out" || { echo "failed, but not with /$pattern/:"; echo "$out"; return 1; }
}

# --- every environment folder ------------------------------------------------------------------
envs=()
for dir in "$MANIFESTS_ROOT"/*/; do
  [ -d "$dir" ] && envs+=("$(basename "$dir")")
done
check "environments found under $MANIFESTS_ROOT/" test ${#envs[@]} -gt 0

# The validators check a copy as Flux applies it: SOPS-encrypted files without their `sops`
# metadata block (kustomize-controller drops it when decrypting; values stay encrypted strings).
# They run from $work so their messages name files as environments/<env>/...
check "copy $MANIFESTS_ROOT/ for validation (SOPS metadata removed)" \
  npx --no-install tsx tests/tools/copy-for-validation.ts "$MANIFESTS_ROOT" "$work/environments"
cd "$work"
for env in "${envs[@]}"; do
  dir="environments/$env"
  minor="${MINOR[$env]:-}"
  if [ -z "$minor" ]; then
    check "$env has a config in apps/environments/$env.ts" false
    continue
  fi
  check "kubeconform -strict $dir (Kubernetes $minor + CRDs)" kubeconform_all_valid "$minor" "$dir"
  check "kubectl-validate $dir (Kubernetes $minor, local CRDs)" kubectl_validate_dir "$minor" "$dir"
  while IFS= read -r kustomization; do
    check "kustomize build $(dirname "$kustomization") | kubeconform" kustomize_build_valid "$minor" "$(dirname "$kustomization")"
  done < <(find "$dir" -name kustomization.yaml | sort)
done
cd "$REPO_ROOT"

# --- every Helm chart -------------------------------------------------------------------------------
charts=()
for chart in "$HELM_ROOT"/*/; do
  [ -f "$chart/Chart.yaml" ] && charts+=("$(basename "$chart")")
done
check "Helm charts found under $HELM_ROOT/" test ${#charts[@]} -gt 0

for env in "${charts[@]}"; do
  chart="$HELM_ROOT/$env"
  check "helm lint --strict $chart" helm lint --strict "$chart"
  rendered="$work/helm-$env.yaml"
  check "helm template $chart" sh -c 'helm template "$1" "$2" --include-crds > "$3"' _ "$env" "$chart" "$rendered"
  mirrored="$MANIFESTS_ROOT/$env/$HELM_SCOPE"
  [ -d "$mirrored" ] || mirrored="$MANIFESTS_ROOT/$env"
  check "helm template $chart renders exactly $mirrored" \
    npx --no-install tsx tests/tools/compare-manifests.ts "$mirrored" "$rendered"
done

# --- the validators must reject broken manifests -----------------------------------------------
neg="$work/negative"
mkdir -p "$neg"
cat >"$neg/unknown-field.yaml" <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resourcez: {}
EOF
cat >"$neg/unknown-kind.yaml" <<'EOF'
apiVersion: example.com/v1
kind: Widget
metadata: {name: w}
EOF
cat >"$neg/crd-unknown-field.yaml" <<'EOF'
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: web}
spec:
  scaleTargetRef: {name: web}
  maxReplicaCount: 10
  minReplicas: 2
  triggers: [{type: cpu, metricType: Utilization, metadata: {value: "70"}}]
EOF
# Valid for the schema, but breaks a CEL rule of the Gateway API HTTPRoute CRD (a redirect and
# backendRefs in one rule): only kubectl-validate can catch it.
cat >"$neg/cel-rule.yaml" <<'EOF'
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: marketplace}
spec:
  parentRefs: [{name: public}]
  rules:
    - backendRefs: [{name: web, port: 80}]
      filters:
        - type: RequestRedirect
          requestRedirect: {scheme: https}
EOF
minor="$(printf '%s\n' "${MINOR[@]}" | sort -u | head -1)"
check "kubeconform rejects an unknown field in a built-in kind" \
  expect_failure "additional properties 'resourcez' not allowed" kubeconform_run "$minor" "$neg/unknown-field.yaml"
check "kubeconform rejects a kind it has no schema for" \
  expect_failure "could not find schema for Widget" kubeconform_run "$minor" "$neg/unknown-kind.yaml"
check "kubeconform rejects an unknown field in a CRD kind (KEDA ScaledObject)" \
  expect_failure "additional properties 'minReplicas' not allowed" kubeconform_run "$minor" "$neg/crd-unknown-field.yaml"
check "kubectl-validate rejects an unknown field in a built-in kind" \
  expect_failure "resourcez" kubectl-validate --version "$minor" --local-crds "$K8S_CRDS" "$neg/unknown-field.yaml"
check "kubeconform accepts the CEL-breaking HTTPRoute (schema-valid)" kubeconform_all_valid "$minor" "$neg/cel-rule.yaml"
check "kubectl-validate rejects it (CEL rule of the HTTPRoute CRD)" \
  expect_failure "RequestRedirect filter must not be used together with backendRefs" kubectl-validate --version "$minor" --local-crds "$K8S_CRDS" "$neg/cel-rule.yaml"

checks_summary
