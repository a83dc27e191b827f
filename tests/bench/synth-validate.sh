#!/usr/bin/env bash
# Benchmark: how long `npm run synth` and the static validation of every environment take, warm
# (tools built, schemas generated), against the 20 s target on the 2-core machine.
#
# Two ways to validate the same objects, measured in the same run:
#   baseline  the naive loop many CI scripts use: one kubeconform (1 worker) and one
#             kubectl-validate process per manifest file, then per chart helm lint, helm template
#             and the comparison with environments/<env>, all sequential. Every process loads and compiles its schemas again.
#   tuned     what tests/suites/30-manifests.sh does per environment, batched: one kubeconform
#             (2 workers) over all environment folders, one kubectl-validate per Kubernetes
#             minor over all their files, the per-chart helm steps running alongside.
# Both must succeed; otherwise the figures would time a failure and the script says so.
# No assertions on time: it prints the figures and whether the target is met.
source "$(dirname "$0")/../../.ci/lib.sh"
cd "$REPO_ROOT"

TARGET_SECONDS=20
MANIFESTS_ROOT="${MANIFESTS_ROOT:-environments}"
HELM_ROOT="${HELM_ROOT:-dist/helm}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

bash .ci/install-tools.sh >/dev/null 2>&1 || { log "tool install failed: run bash .ci/install-tools.sh"; exit 1; }
source "$PLATFORM_CACHE/schemas/env.sh"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# --- synth -----------------------------------------------------------------------------------------
if [ "${SKIP_SYNTH:-0}" = 1 ]; then
  synth_s="(skipped)"
else
  t0="$(now)"
  npm run --silent synth >"$work/synth.log" 2>&1 || { cat "$work/synth.log"; log "npm run synth failed"; exit 1; }
  synth_s="$(elapsed "$t0" "$(now)")"
fi

# --- inputs ----------------------------------------------------------------------------------------
declare -A MINOR
while read -r env minor; do MINOR[$env]="$minor"; done < <(npx --no-install tsx tests/tools/print-kubernetes-versions.ts)
envs=(); for d in "$MANIFESTS_ROOT"/*/; do [ -d "$d" ] && envs+=("$(basename "$d")"); done
charts=(); for d in "$HELM_ROOT"/*/; do [ -f "$d/Chart.yaml" ] && charts+=("$(basename "$d")"); done
[ ${#envs[@]} -gt 0 ] || { log "no environments under $MANIFESTS_ROOT"; exit 1; }

files_of() { find "$1" -type f \( -name '*.yaml' -o -name '*.yml' \) ! -name 'kustomization.y*ml' | sort; }
kubeconform_with() { # kubeconform_with MINOR ARGS...: kubeconform with our schema locations
  local key="${1//./_}"; shift
  local builtin="K8S_SCHEMAS_$key"
  kubeconform -schema-location "${!builtin}/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
    -schema-location "$K8S_CRD_SCHEMAS/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" "$@"
}
objects=0; nfiles=0
for env in "${envs[@]}"; do
  while IFS= read -r f; do
    nfiles=$((nfiles + 1)); objects=$((objects + $(grep -c '^kind:' "$f" || true)))
  done < <(files_of "$MANIFESTS_ROOT/$env")
done

helm_chart() { # helm lint + template of one chart + comparison with the layer it holds, quiet
  local mirrored="$MANIFESTS_ROOT/$1/apps"
  [ -d "$mirrored" ] || mirrored="$MANIFESTS_ROOT/$1"
  helm lint --strict "$HELM_ROOT/$1" >/dev/null &&
    helm template "$1" "$HELM_ROOT/$1" --include-crds >"$work/helm-$1.yaml" &&
    npx --no-install tsx tests/tools/compare-manifests.ts "$mirrored" "$work/helm-$1.yaml" >/dev/null
}

# Both paths validate a copy without SOPS metadata, as the suite does (and as Flux applies it).
prepare() {
  rm -rf "$work/environments"
  npx --no-install tsx tests/tools/copy-for-validation.ts "$MANIFESTS_ROOT" "$work/environments" >/dev/null
}

# --- baseline: one process per file, sequential --------------------------------------------------
baseline() {
  local env f minor
  prepare || return 1
  for env in "${envs[@]}"; do
    minor="${MINOR[$env]}"
    while IFS= read -r f; do
      kubeconform_with "$minor" -strict -n 1 "$f" >/dev/null || return 1
      kubectl-validate --version "$minor" --local-crds "$K8S_CRDS" "$f" >/dev/null || return 1
    done < <(files_of "$work/environments/$env")
  done
  for env in "${charts[@]}"; do helm_chart "$env" || return 1; done
}

# --- tuned: batched processes, helm alongside ------------------------------------------------------
tuned() {
  local pids=() env minor status=0
  for env in "${charts[@]}"; do helm_chart "$env" & pids+=($!); done
  prepare || status=1
  # kubeconform once per minor over all folders of that minor; kubectl-validate the same
  for minor in $(printf '%s\n' "${MINOR[@]}" | sort -u); do
    local dirs=() files=()
    for env in "${envs[@]}"; do [ "${MINOR[$env]}" = "$minor" ] && dirs+=("$work/environments/$env"); done
    [ ${#dirs[@]} -gt 0 ] || continue
    kubeconform_with "$minor" -strict -n 2 -ignore-filename-pattern '(^|/)kustomization\.ya?ml$' "${dirs[@]}" >/dev/null || status=1
    for d in "${dirs[@]}"; do mapfile -t -O "${#files[@]}" files < <(files_of "$d"); done
    kubectl-validate --version "$minor" --local-crds "$K8S_CRDS" "${files[@]}" >/dev/null || status=1
  done
  for pid in "${pids[@]}"; do wait "$pid" || status=1; done
  return $status
}

time_it() { # time_it NAME FUNCTION: prints seconds, or FAILED
  local t0; t0="$(now)"
  if "$2"; then elapsed "$t0" "$(now)"; else echo "FAILED"; fi
}

tuned >/dev/null 2>&1 || true # warm the page cache and Go binaries once; not counted
baseline_s="$(time_it baseline baseline)"
tuned_s="$(time_it tuned tuned)"

total="$(awk -v s="$synth_s" -v t="$tuned_s" 'BEGIN { if (s ~ /^[0-9.]+$/ && t ~ /^[0-9.]+$/) printf "%.2f", s + t; else print "n/a" }')"
verdict="$(awk -v x="$total" -v t="$TARGET_SECONDS" 'BEGIN { if (x == "n/a") print "not measurable"; else if (x + 0 < t) print "met"; else print "NOT met" }')"

echo "synth + static validation, warm, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at the end"
echo "inputs: ${#envs[@]} environments, $nfiles manifest files, ~$objects objects, ${#charts[@]} Helm charts"
echo
printf '%-58s %10s\n' "step" "seconds"
printf '%-58s %10s\n' "npm run synth" "$synth_s"
printf '%-58s %10s\n' "validation, baseline (per file, 1 worker, sequential)" "$baseline_s"
printf '%-58s %10s\n' "validation, tuned (batched processes, helm alongside)" "$tuned_s"
echo
echo "synth + tuned validation: $total s; target < $TARGET_SECONDS s: $verdict"
