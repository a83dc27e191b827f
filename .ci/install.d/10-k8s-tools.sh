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

go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION"
go_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION"
go_tool kubectl-validate sigs.k8s.io/kubectl-validate "$KUBECTL_VALIDATE_VERSION"
go_tool kustomize sigs.k8s.io/kustomize/kustomize/v5 "$KUSTOMIZE_VERSION"
