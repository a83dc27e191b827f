#!/usr/bin/env bash
# A real Kubernetes control plane for tests/suites/55-control-plane.sh: etcd, kube-apiserver,
# kube-controller-manager, kube-scheduler, kubectl (k8s.io/kubernetes at the release
# 20-k8s-schemas.sh pins), KEDA's operator, metrics apiserver and admission webhooks (the
# version the pinned keda chart deploys), metrics-server (the pinned chart's appVersion) and the
# node simulator (.ci/kube/node-simulator: the kubelet's part, no container runtime here),
# all from one Go wrapper module (.ci/kube, one `go build`, k8s libraries compiled once).
# Flux's controllers are not here: they need k8s v0.36 / controller-runtime v0.24 (no common
# build with v1.34.5). They build in .ci/k8s-tools with helm, kustomize & co (same libraries; the
# one fluxcd/pkg module the proxy refuses is replaced there) and 30-gitops.sh links them.
# kwok is not here either: v0.7.0 uses metav1.InitialEventsListBlueprintAnnotationKey, gone in
# apimachinery v0.34, and v0.8.0 needs v0.36; in a module of its own it would compile client-go
# a second time. The node simulator does the part of it the suites need.
source "$(dirname "$0")/../lib.sh"

# The version the binaries report (kubectl version, the API server's /version, which Helm checks
# against a chart's kubeVersion): stamped as the upstream build does (hack/lib/version.sh), from the
# k8s.io/kubernetes version go.mod requires. Without it the API server says v0.0.0-master.
k8s_version="$(sed -n 's/^\s*k8s.io\/kubernetes \(v[0-9.]*\)\( \/\/ indirect\)\?$/\1/p' "$REPO_ROOT/.ci/kube/go.mod" | head -1)"
[[ "$k8s_version" =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]] || { log "no k8s.io/kubernetes version in .ci/kube/go.mod"; exit 1; }
stamps=()
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  stamps+=("-X $pkg.gitVersion=$k8s_version" "-X $pkg.gitMajor=${BASH_REMATCH[1]}" "-X $pkg.gitMinor=${BASH_REMATCH[2]}" "-X $pkg.gitTreeState=clean")
done
bin="$(GO_WRAPPER_LDFLAGS="${stamps[*]}" go_wrapper_tools "$REPO_ROOT/.ci/kube")"
# go build names go.etcd.io/etcd/server/v3 "server"; the rest keep their command names.
ln -sfn "$bin/server" "$TOOLS_BIN/etcd"
for tool in kube-apiserver kube-controller-manager kube-scheduler kubectl; do ln -sfn "$bin/$tool" "$TOOLS_BIN/$tool"; done
ln -sfn "$bin/operator" "$TOOLS_BIN/keda-operator"
ln -sfn "$bin/adapter" "$TOOLS_BIN/keda-adapter"
ln -sfn "$bin/webhooks" "$TOOLS_BIN/keda-admission-webhooks"
ln -sfn "$bin/metrics-server" "$TOOLS_BIN/metrics-server"
ln -sfn "$bin/node-simulator" "$TOOLS_BIN/node-simulator"
