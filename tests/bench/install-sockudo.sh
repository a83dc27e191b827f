#!/usr/bin/env bash
# Sockudo (crates.io), the maintained Pusher-protocol successor of Soketi, for the side-by-side
# benchmark (tests/bench/realtime-servers.sh) and its protocol check. Only they install it, not
# CI: the platform runs Soketi (decision 0007), and a cold cargo build costs CI minutes.
# Built with only the features the platform would use (the Redis adapter, rate limiter and
# cache; Prometheus metrics are always on), cached under $PLATFORM_CACHE keyed by version and
# features.
source "$(dirname "$0")/../../.ci/lib.sh"

SOCKUDO_VERSION=5.2.0
SOCKUDO_FEATURES=redis

dir="$PLATFORM_CACHE/cargo/sockudo-$SOCKUDO_VERSION-${SOCKUDO_FEATURES//,/+}"
mkdir -p "$PLATFORM_CACHE/cargo"
command -v cargo >/dev/null || { log "cargo not found: install Rust (rustup) to build Sockudo"; exit 1; }
# metrics-exporter-tcp's build script compiles a .proto file that imports protobuf's own types.
apt_install protobuf-compiler libprotobuf-dev
(
  flock 9
  if [ ! -x "$dir/bin/sockudo" ]; then
    log "building Sockudo $SOCKUDO_VERSION ($SOCKUDO_FEATURES) from crates.io"
    rm -rf "$dir.build"
    # A kept target dir: an interrupted build resumes instead of starting over (about 8 CPU-min).
    cargo install sockudo --version "$SOCKUDO_VERSION" --locked --no-default-features \
      --features "$SOCKUDO_FEATURES" --root "$dir.build" --target-dir "${SOCKUDO_TARGET_DIR:-$dir.target}" --quiet
    rm -rf "$dir" "$dir.target" && mv "$dir.build" "$dir"
  fi
) 9>"$dir.lock"
ln -sfn "$dir/bin/sockudo" "$TOOLS_BIN/sockudo"
