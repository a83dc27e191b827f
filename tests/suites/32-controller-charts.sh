#!/usr/bin/env bash
# The controllers as the cluster installs them: every HelmRelease's pinned chart (the local Helm
# repository in $HELM_CHARTS_DIR, default ../shared/helm-charts beside the clone, see
# tests/tools/charts/helm-repository.ts) rendered with
# helm template and its values, checked by tests/integration/controller-charts (also against the
# CRDs .ci/install.d/20-k8s-schemas.sh generated).
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"
command -v helm >/dev/null || bash .ci/install.d/10-k8s-tools.sh
# The CRD folder the manifests are validated against, to compare with what the charts install.
schema_env="$PLATFORM_CACHE/schemas/env.sh"
check "$schema_env exists (bash .ci/install.d/20-k8s-schemas.sh)" test -f "$schema_env"
if [ -f "$schema_env" ]; then source "$schema_env"; export K8S_CRDS; fi
run_vitest --config vitest.integration.config.ts tests/integration/controller-charts
checks_summary
