#!/usr/bin/env bash
# GitOps tools: sops (secret encryption, tested with a throwaway age key) and Flux's
# source-controller, kustomize-controller and helm-controller, from the Go wrapper module
# .ci/k8s-tools (one `go build` shared with 10-k8s-tools.sh's kubeconform, helm, kubectl-validate
# and kustomize; built once even when both scripts run concurrently); age and actionlint (the
# GitHub workflows) share no Kubernetes libraries and stay separate `go install`s (go_tool).
source "$(dirname "$0")/../lib.sh"

# .ci/k8s-tools/go.mod pins sops v3.13.3 and the controllers at the versions FLUX_CRD_SOURCES in
# charts/flux/controllers.ts pins (what bootstrap installs): source-controller v1.9.5,
# kustomize-controller v1.9.5, helm-controller v1.6.4.
bin="$(go_wrapper_tools "$REPO_ROOT/.ci/k8s-tools")"
for tool in sops source-controller kustomize-controller helm-controller; do ln -sfn "$bin/$tool" "$TOOLS_BIN/$tool"; done
# oci-registry (.ci/k8s-tools/oci-registry): go-containerregistry's in-memory registry on one
# loopback address, the OCI chart source (gateway-helm) for suite 57-flux; the library is already
# in the build for the Flux controllers.
ln -sfn "$bin/oci-registry" "$TOOLS_BIN/oci-registry"
go_tool age filippo.io/age/cmd/age v1.3.2
go_tool age-keygen filippo.io/age/cmd/age-keygen v1.3.2
go_tool actionlint github.com/rhysd/actionlint/cmd/actionlint v1.7.12
