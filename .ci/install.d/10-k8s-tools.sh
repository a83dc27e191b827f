#!/usr/bin/env bash
# Kubernetes manifest tools, built from the Go module proxy (no GitHub release downloads here).
# Pinned: bumping a version is editing one line; the cache keys on it (see go_tool in .ci/lib.sh).
source "$(dirname "$0")/../lib.sh"

KUBECONFORM_VERSION=v0.7.0
HELM_VERSION=v3.21.4
# kubectl-validate has no tag after v0.0.4 (May 2024, schemas up to k8s 1.30); this commit of
# 2026-01-05 embeds the built-in schemas for 1.26 to 1.35 and validates CEL rules of CRDs.
KUBECTL_VALIDATE_VERSION=v0.0.5-0.20260105161640-a97ccfaca20b
KUSTOMIZE_VERSION=v5.8.1

# One build per tool at a time: several checkouts (or helpers) may run the install concurrently,
# and a second `go install` of the same version would only burn the two cores again.
locked_go_tool() {
  mkdir -p "$PLATFORM_CACHE/go"
  ( flock 9; go_tool "$@" ) 9>"$PLATFORM_CACHE/go/.$1.lock"
}

locked_go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
locked_go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
locked_go_tool kubectl-validate sigs.k8s.io/kubectl-validate "$KUBECTL_VALIDATE_VERSION"
locked_go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
