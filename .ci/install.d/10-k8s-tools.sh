#!/usr/bin/env bash
# Kubernetes manifest tools, built from the Go module proxy (no GitHub release downloads here):
# kubeconform, helm, kubectl-validate and kustomize, from the Go wrapper module .ci/k8s-tools
# (one `go build` for them, sops and Flux's controllers, which 30-gitops.sh links: the Kubernetes
# and cloud-SDK libraries they share compile once; see its README.md). Both scripts may run
# concurrently (.ci/install-tools.sh): go_wrapper_tools' lock makes the second wait for the one
# build. Pinned in .ci/k8s-tools/go.mod: bumping a version is `go get` there; the cache keys on
# go.mod + go.sum (see go_wrapper_tools in .ci/lib.sh).
#   kubeconform v0.7.0, helm v3.21.4, kustomize v5.8.1.
#   kubectl-validate v0.0.5-0.20260105161640-a97ccfaca20b: kubectl-validate has no tag after
#   v0.0.4 (May 2024, schemas up to k8s 1.30); this commit of 2026-01-05 embeds the built-in
#   schemas for 1.26 to 1.35 and validates CEL rules of CRDs.
source "$(dirname "$0")/../lib.sh"

bin="$(go_wrapper_tools "$REPO_ROOT/.ci/k8s-tools")"
for tool in kubeconform helm kubectl-validate kustomize; do ln -sfn "$bin/$tool" "$TOOLS_BIN/$tool"; done
