#!/usr/bin/env bash
# A real Kubernetes control plane for tests/suites/55-control-plane.sh: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl (k8s.io/kubernetes at the release
# 20-k8s-schemas.sh pins), kwok (fake nodes) and KEDA's operator + metrics apiserver (issue 21),
# all from one Go wrapper module (.ci/kube, one `go build`, k8s libraries compiled once).
# Flux's controllers need k8s v0.36 and build from their own module (.ci/flux; see its README).
source "$(dirname "$0")/../lib.sh"

bin="$(go_wrapper_tools "$REPO_ROOT/.ci/kube")"
# go build names go.etcd.io/etcd/server/v3 "server"; the rest keep their command names.
ln -sfn "$bin/server" "$TOOLS_BIN/etcd"
for tool in kube-apiserver kube-controller-manager kube-scheduler kubectl kwok; do ln -sfn "$bin/$tool" "$TOOLS_BIN/$tool"; done
ln -sfn "$bin/operator" "$TOOLS_BIN/keda-operator"
ln -sfn "$bin/adapter" "$TOOLS_BIN/keda-adapter"
