#!/usr/bin/env bash
# Regenerates the typed constructs in imports/ with `cdk8s import`, offline, from the files the
# manifest validation uses (.ci/install.d/20-k8s-schemas.sh, which records where they are):
# - imports/k8s.ts, the built-in kinds, from the OpenAPI of the Kubernetes release the clusters
#   run (K8S_RELEASE_*: the oldest minor if the environments differ), in the k8s.io/kubernetes Go
#   module the schema install downloaded;
# - one file per API group of custom resources, from the CRD files (K8S_CRDS) listed in
#   CRD_GROUPS (the kinds the charts build).
# Commit the result: `npm ci && npm run synth` needs no tool.
#   bash imports/regenerate.sh
source "$(dirname "$0")/../.ci/lib.sh"
cd "$REPO_ROOT"
schema_env="$PLATFORM_CACHE/schemas/env.sh"
[ -f "$schema_env" ] || { echo "imports: $schema_env is missing: run bash .ci/install.d/20-k8s-schemas.sh" >&2; exit 1; }
source "$schema_env"

# group name -> the CRD files (in $K8S_CRDS) of the kinds built through it
declare -A CRD_GROUPS=(
  [keda.sh]="scaledobjects.keda.sh triggerauthentications.keda.sh"
  [source.toolkit.fluxcd.io]="helmrepositories.source.toolkit.fluxcd.io ocirepositories.source.toolkit.fluxcd.io"
  [helm.toolkit.fluxcd.io]="helmreleases.helm.toolkit.fluxcd.io"
  [kustomize.toolkit.fluxcd.io]="kustomizations.kustomize.toolkit.fluxcd.io"
  [autoscaling.k8s.io]="verticalpodautoscalers.autoscaling.k8s.io"
  [monitoring.coreos.com]="podmonitors.monitoring.coreos.com prometheusrules.monitoring.coreos.com scrapeconfigs.monitoring.coreos.com"
  [cert-manager.io]="clusterissuers.cert-manager.io certificates.cert-manager.io"
  [gateway.networking.k8s.io]="gatewayclasses.gateway.networking.k8s.io gateways.gateway.networking.k8s.io httproutes.gateway.networking.k8s.io"
  [gateway.envoyproxy.io]="envoyproxies.gateway.envoyproxy.io clienttrafficpolicies.gateway.envoyproxy.io backendtrafficpolicies.gateway.envoyproxy.io"
)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for group in "${!CRD_GROUPS[@]}"; do
  combined="$work/$group.yaml"
  for crd in ${CRD_GROUPS[$group]}; do
    cat "$K8S_CRDS/$crd.yaml"; echo '---'
  done >"$combined"
  (cd "$work" && "$REPO_ROOT/node_modules/.bin/cdk8s" import --no-check-upgrade -l typescript -o "$work/out" "$combined" >/dev/null)
  cp "$work/out/$group.ts" "imports/$group.ts"
  echo "imports/$group.ts from ${CRD_GROUPS[$group]}"
done

release_var="$(compgen -v K8S_RELEASE_ | sort -t_ -k3,3n -k4,4n | head -1)"
release="${!release_var}"
module="$(cd /tmp && go mod download -json "k8s.io/kubernetes@$release")"
module_dir="$(node -e 'console.log(JSON.parse(process.argv[1]).Dir)' "$module")"
(cd "$work" && K8S_OPENAPI="$module_dir/api/openapi-spec/swagger.json" NODE_OPTIONS="--require $REPO_ROOT/imports/k8s-offline.cjs" \
  "$REPO_ROOT/node_modules/.bin/cdk8s" import --no-check-upgrade -l typescript -o "$work/out" "k8s@${release#v}" >/dev/null)
cp "$work/out/k8s.ts" imports/k8s.ts
echo "imports/k8s.ts from the OpenAPI of Kubernetes $release"
