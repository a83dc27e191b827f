#!/usr/bin/env bash
# JSON schemas for kubeconform and CRDs for kubectl-validate, generated from upstream sources on
# the Go module proxy (never hand-written), cached under $PLATFORM_CACHE/schemas keyed by the
# source versions and a hash of the converter code. Writes $PLATFORM_CACHE/schemas/env.sh with
# the locations, which tests/suites/30-manifests.sh sources. Needs `npm ci` first (tsx, yaml).
source "$(dirname "$0")/../lib.sh"

# Kubernetes minor (cluster.kubernetesVersion in apps/environments) -> the release whose OpenAPI
# spec (api/openapi-spec/v3 in the k8s.io/kubernetes module) describes the built-in kinds.
declare -A KUBERNETES_RELEASE=(
  [1.34]=v1.34.5
  [1.35]=v1.35.1
)

# CRD sources (module@version/path inside the module zip) come from charts/flux/controllers.ts,
# next to the chart versions that install them, so a chart bump and its CRD pin are one change;
# see tests/tools/print-crd-sources.ts. Where two sources define the same CRD the first wins.

SCHEMAS="$PLATFORM_CACHE/schemas"
# One generation at a time (concurrent installs would race on the same cache folders).
mkdir -p "$SCHEMAS"
exec 9>"$SCHEMAS/.lock"
flock 9
TOOLS="$REPO_ROOT/tests/tools"
# A change to the converters must regenerate the cache, not silently reuse old output.
CONVERTER_HASH="$(cat "$TOOLS"/schema/*.ts "$TOOLS"/write-schema-dir.ts "$TOOLS"/generate-*.ts | sha256sum | cut -c1-10)"

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

CRD_SOURCES=()
mapfile -t CRD_SOURCES < <(tsx tests/tools/print-crd-sources.ts)
[ ${#CRD_SOURCES[@]} -gt 0 ] || { log "no CRD sources printed by tests/tools/print-crd-sources.ts"; exit 1; }

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
crd_hash="$(printf '%s\n' "${CRD_SOURCES[@]}" "$CONVERTER_HASH" | sha256sum | cut -c1-10)"
crd_dir="$SCHEMAS/crds/$crd_hash"
if [ ! -d "$crd_dir" ]; then
  log "generating CRD schemas ($crd_hash)"
  paths=()
  for entry in "${CRD_SOURCES[@]}"; do
    path="$(source_path "$entry")"
    paths+=("$path")
  done
  tsx tests/tools/generate-crd-schemas.ts "$crd_dir" "${paths[@]}"
fi

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
