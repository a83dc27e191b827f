#!/usr/bin/env bash
# promtool (Prometheus rule unit tests) and the Prometheus server (suite 56-autoscaling: what
# KEDA's Prometheus triggers query) from Debian's `prometheus` package. Only the two binaries are
# extracted from the .deb into the cache: installing the package would also create a service
# user and try to start a Prometheus server as a service.
source "$(dirname "$0")/../lib.sh"

PROMETHEUS_DEB_VERSION="2.42.0+ds-5+deb12u1"
dir="$PLATFORM_CACHE/deb/promtool-$PROMETHEUS_DEB_VERSION"

if [ ! -x "$dir/promtool" ] || [ ! -x "$dir/prometheus" ]; then
  log "extracting promtool from prometheus $PROMETHEUS_DEB_VERSION (Debian)"
  work="$(mktemp -d)"
  # apt-get download writes as the _apt user when it can (no "unsandboxed" warning).
  chmod 0755 "$work"; chown _apt "$work" 2>/dev/null || true
  trap 'rm -rf "$work"' EXIT
  (
    flock 9
    if ! apt-cache show "prometheus=$PROMETHEUS_DEB_VERSION" >/dev/null 2>&1; then
      apt-get update -qq && touch /tmp/.platform-apt-updated
    fi
  ) 9>/tmp/.platform-apt.lock
  if ! (cd "$work" && apt-get download -qq "prometheus=$PROMETHEUS_DEB_VERSION"); then
    log "prometheus $PROMETHEUS_DEB_VERSION is not on the mirror any more (a Debian point release?):"
    log "bump PROMETHEUS_DEB_VERSION in $0 to: $(apt-cache policy prometheus | sed -n 's/ *Candidate: //p')"
    exit 1
  fi
  dpkg-deb -x "$work"/prometheus_*.deb "$work/root"
  mkdir -p "$dir"
  install -m 0755 "$work/root/usr/bin/promtool" "$dir/promtool"
  install -m 0755 "$work/root/usr/bin/prometheus" "$dir/prometheus"
fi
ln -sfn "$dir/promtool" "$TOOLS_BIN/promtool"
ln -sfn "$dir/prometheus" "$TOOLS_BIN/prometheus"
