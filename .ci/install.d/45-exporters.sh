#!/usr/bin/env bash
# The exporters the manifests run, for the metric-coverage test (tests/suites/45-metric-coverage.sh):
# redis_exporter, nginx-prometheus-exporter and php-fpm_exporter from one Go wrapper module
# (.ci/exporters, one `go build`), mysqld_exporter and node_exporter from Debian trixie's .debs
# (what the Ansible role installs on the DB VMs), Soketi from npm (46-soketi.sh). Cached under
# $PLATFORM_CACHE keyed by the pinned versions; see .ci/exporters/README.md for the stand-ins.
source "$(dirname "$0")/../lib.sh"

# Debian trixie packages of the DB VMs: version and sha256 of the .deb (Packages index).
MYSQLD_EXPORTER_DEB="pool/main/p/prometheus-mysqld-exporter/prometheus-mysqld-exporter_0.17.2-1+b4_amd64.deb"
MYSQLD_EXPORTER_SHA256=a3b57e0e287538ef3a8135c8233a8c46f3042f4f8b9066ec677583c0679b6d3b
NODE_EXPORTER_DEB="pool/main/p/prometheus-node-exporter/prometheus-node-exporter_1.9.0-1+b4_amd64.deb"
NODE_EXPORTER_SHA256=9db00cad0c9e160a4e9c13cbdb2833d58becb1f4cd60eeb0b5e12477ba6a42bd
DEBIAN_MIRROR=http://deb.debian.org/debian

# Tools the test runs the exporters against (Redis, nginx + php-fpm, MariaDB).
bash "$REPO_ROOT/.ci/install.d/36-redis.sh"
bash "$REPO_ROOT/.ci/install.d/80-web-servers.sh"
apt_install mariadb-server mariadb-client

# Their modules are not in the checksum database: go.sum alone vouches for them.
go_dir="$(GONOSUMDB=github.com/oliver006/redis_exporter,github.com/nginx/nginx-prometheus-exporter,github.com/hipages/php-fpm_exporter \
  go_wrapper_tools "$REPO_ROOT/.ci/exporters")"

deb_binary() { # deb_binary POOL_PATH SHA256 PATH_IN_DEB NAME
  local deb="$1" sha="$2" inner="$3" name="$4"
  local dir="$PLATFORM_CACHE/deb/$(basename "$deb" .deb)"
  if [ ! -x "$dir/$name" ]; then
    log "extracting $name from $(basename "$deb") (Debian trixie)"
    local work; work="$(mktemp -d)"
    curl -fsS --retry 3 -o "$work/p.deb" "$DEBIAN_MIRROR/$deb"
    echo "$sha  $work/p.deb" | sha256sum -c --quiet
    dpkg-deb -x "$work/p.deb" "$work/root"
    mkdir -p "$dir" && install -m 0755 "$work/root/$inner" "$dir/$name"
    rm -rf "$work"
  fi
  ln -sfn "$dir/$name" "$TOOLS_BIN/$name"
}
deb_binary "$MYSQLD_EXPORTER_DEB" "$MYSQLD_EXPORTER_SHA256" usr/bin/prometheus-mysqld-exporter mysqld_exporter
deb_binary "$NODE_EXPORTER_DEB" "$NODE_EXPORTER_SHA256" usr/bin/prometheus-node-exporter node_exporter

for tool in redis_exporter nginx-prometheus-exporter php-fpm_exporter; do ln -sfn "$go_dir/$tool" "$TOOLS_BIN/$tool"; done

bash "$REPO_ROOT/.ci/install.d/46-soketi.sh"

# Envoy Gateway's module at the version of the pinned gateway-helm chart (charts/flux/controllers.ts;
# the chart and the module share their version tag): the test reads the proxies' labels, stats
# port and metric names from its source.
eg_version="$(sed -n "s/.*chart: 'gateway-helm', version: '\(v[0-9.]*\)'.*/\1/p" "$REPO_ROOT/charts/flux/controllers.ts" | head -1)"
[ -n "$eg_version" ] || { log "no gateway-helm chart version in charts/flux/controllers.ts"; exit 1; }
eg_module="github.com/envoyproxy/gateway@$eg_version"
(cd /tmp && go mod download "$eg_module")

# KEDA's module at the version the pinned keda chart deploys (its appVersion): the test reads the
# operator's metric names from its source (tests/integration/metrics/keda-source.ts).
keda_version="$(cd "$REPO_ROOT" && npx --no-install tsx -e "import('./tests/integration/metrics/keda-source.ts').then((m) => console.log(m.kedaAppVersion()))")"
(cd /tmp && go mod download "github.com/kedacore/keda/v2@v$keda_version")
