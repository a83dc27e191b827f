#!/usr/bin/env bash
# JSON schemas for kubeconform and CRDs for kubectl-validate, generated from upstream sources
# (never hand-written): built-in kinds from the Go module proxy, controller CRDs from the pinned
# charts themselves, rendered with each HelmRelease's values (needs helm, 10-k8s-tools.sh, and the
# local Helm repository $HELM_CHARTS_DIR, default ../shared/helm-charts beside the clone).
# Cached under $PLATFORM_CACHE/schemas keyed by the source versions (chart versions and digests,
# values) and a hash of the converter code. Writes $PLATFORM_CACHE/schemas/env.sh with the
# locations, which tests/suites/30-manifests.sh sources. Needs `npm ci` first (tsx, yaml).
source "$(dirname "$0")/../lib.sh"

# Kubernetes minor (cluster.kubernetesVersion in apps/environments) -> the release whose OpenAPI
# spec (api/openapi-spec/v3 in the k8s.io/kubernetes module) describes the built-in kinds.
declare -A KUBERNETES_RELEASE=(
  [1.34]=v1.34.5
  [1.35]=v1.35.1
)

# CRDs: every controller's from its pinned chart (charts/flux/controllers.ts: the chart version is
# both what is installed and what is validated; tests/tools/chart-crds.ts), Flux's own from the Go
# modules of its release (FLUX_CRD_SOURCES, tests/tools/print-crd-sources.ts), as Flux is installed
# by bootstrap, not by a chart. Where two sources define the same CRD the first wins.
command -v helm >/dev/null || bash "$(dirname "$0")/10-k8s-tools.sh"

SCHEMAS="$PLATFORM_CACHE/schemas"
# One generation at a time (concurrent installs would race on the same cache folders).
mkdir -p "$SCHEMAS"
exec 9>"$SCHEMAS/.lock"
flock 9
TOOLS="$REPO_ROOT/tests/tools"
# A change to the converters must regenerate the cache, not silently reuse old output.
CONVERTER_HASH="$(cat "$TOOLS"/schema/*.ts "$TOOLS"/write-schema-dir.ts "$TOOLS"/generate-*.ts | sha256sum | cut -c1-10)"
# ... and so must a change to how the charts are found and rendered (CRD schemas only).
CHART_TOOLS_HASH="$(cat "$TOOLS"/chart-crds.ts "$TOOLS"/charts/*.ts | sha256sum | cut -c1-10)"

# module_dir MODULE@VERSION: downloads the module zip (verified against go.sum's checksum
# database) and prints where it is extracted.
module_dir() {
  local json
  json="$(cd /tmp && go mod download -json "$1" 2>&1 || true)"
  node -e '
    const [raw, module] = process.argv.slice(1);
    let m;
    try { m = JSON.parse(raw); } catch { m = { Error: raw }; }
    if (m.Error || !m.Dir) { console.error(`cannot download ${module} from the Go module proxy: ${m.Error}`); process.exit(1); }
    console.log(m.Dir);
  ' "$json" "$1"
}

# source_path ENTRY (module@version/path): the local path of that file or folder.
source_path() {
  local entry="$1" module version rest
  module="${entry%%@*}"
  version="${entry#*@}"; version="${version%%/*}"
  rest="${entry#*@"$version"/}"
  local dir
  dir="$(module_dir "$module@$version")"
  [ -e "$dir/$rest" ] || { log "$entry: $rest is not in the module"; return 1; }
  echo "$dir/$rest"
}

tsx() { (cd "$REPO_ROOT" && npx --no-install tsx "$@"); }

FLUX_CRD_SOURCES=()
mapfile -t FLUX_CRD_SOURCES < <(tsx tests/tools/print-crd-sources.ts)
[ ${#FLUX_CRD_SOURCES[@]} -gt 0 ] || { log "no CRD sources printed by tests/tools/print-crd-sources.ts"; exit 1; }
# One line per environment and HelmRelease: chart@version, tgz digest, values hash, Kubernetes version.
CHART_KEY="$(tsx tests/tools/chart-crds.ts key)" || { log "cannot resolve the controller charts (tests/tools/chart-crds.ts key)"; exit 1; }

# --- built-in kinds, one folder per Kubernetes release the environments use ---------------------
versions="$(tsx tests/tools/print-kubernetes-versions.ts)"
mapfile -t minors < <(awk '{print $2}' <<<"$versions" | sort -u)
[ ${#minors[@]} -gt 0 ] || { log "no environments found in apps/environments"; exit 1; }

env_lines=()
for minor in "${minors[@]}"; do
  release="${KUBERNETES_RELEASE[$minor]:-}"
  if [ -z "$release" ]; then
    log "cluster.kubernetesVersion $minor has no pinned release in .ci/install.d/20-k8s-schemas.sh (KUBERNETES_RELEASE knows: ${!KUBERNETES_RELEASE[*]}); add '[$minor]=v$minor.N'"
    exit 1
  fi
  dir="$SCHEMAS/kubernetes/$release-standalone-strict-$CONVERTER_HASH"
  if [ ! -d "$dir" ]; then
    log "generating built-in schemas for Kubernetes $release"
    module="$(module_dir "k8s.io/kubernetes@$release")"
    spec="$module/api/openapi-spec/v3"
    tsx tests/tools/generate-kubernetes-schemas.ts "$spec" "$dir"
  fi
  key="${minor//./_}"
  env_lines+=("K8S_RELEASE_$key=$release" "K8S_SCHEMAS_$key=$dir")
done

# --- CRDs ------------------------------------------------------------------------------------------
crd_hash="$(printf '%s\n' "${FLUX_CRD_SOURCES[@]}" "$CHART_KEY" "$CONVERTER_HASH" "$CHART_TOOLS_HASH" | sha256sum | cut -c1-10)"
crd_dir="$SCHEMAS/crds/$crd_hash"
if [ ! -d "$crd_dir" ]; then
  log "generating CRD schemas ($crd_hash)"
  chart_crds="$(mktemp -d)"
  trap 'rm -rf "$chart_crds"' EXIT
  # Prints the Gateway API standard channel of the bundle the chart installs (held to first).
  standard="$(tsx tests/tools/chart-crds.ts write "$chart_crds/charts")" || { log "cannot render the controller charts' CRDs (tests/tools/chart-crds.ts write)"; exit 1; }
  mapfile -t standard_sources <<<"$standard"
  paths=()
  for entry in "${FLUX_CRD_SOURCES[@]}" "${standard_sources[@]}"; do
    path="$(source_path "$entry")"
    paths+=("$path")
  done
  tsx tests/tools/generate-crd-schemas.ts "$crd_dir" "${paths[@]}" "$chart_crds/charts"
fi
CRD_SOURCES=("${FLUX_CRD_SOURCES[@]}" $(awk '{print $3}' <<<"$CHART_KEY" | sort -u))

# --- locations for the suite ----------------------------------------------------------------------
env_file="$SCHEMAS/env.sh"
{
  echo "# Written by .ci/install.d/20-k8s-schemas.sh: where the manifest schemas are. Source it."
  printf '%s\n' "${env_lines[@]}"
  echo "K8S_CRD_SCHEMAS=$crd_dir/jsonschema"
  echo "K8S_CRDS=$crd_dir/crds"
  printf 'K8S_CRD_SOURCES="%s"\n' "${CRD_SOURCES[*]}"
} >"$env_file.tmp"
mv "$env_file.tmp" "$env_file"
log "schemas ready: $env_file"
