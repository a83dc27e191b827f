#!/usr/bin/env bash
# Soketi 1.6.1 from npm (.ci/soketi/package.json, with the uWebSockets.js override), for the
# metric-coverage test, the fan-out test and the Soketi benchmark. Cached under $PLATFORM_CACHE
# keyed by the package.json's hash; linked as $PLATFORM_CACHE/npm/soketi-current.
source "$(dirname "$0")/../lib.sh"

soketi_key="$(sha256sum "$REPO_ROOT/.ci/soketi/package.json" | cut -c1-12)"
soketi_dir="$PLATFORM_CACHE/npm/soketi-$soketi_key"
mkdir -p "$PLATFORM_CACHE/npm"
(
  flock 9
  if [ ! -f "$soketi_dir/node_modules/@soketi/soketi/bin/server.js" ]; then
    log "installing Soketi ($soketi_key) from npm"
    rm -rf "$soketi_dir.build" && mkdir -p "$soketi_dir.build"
    cp "$REPO_ROOT/.ci/soketi/package.json" "$soketi_dir.build/"
    (cd "$soketi_dir.build" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
    rm -rf "$soketi_dir" && mv "$soketi_dir.build" "$soketi_dir"
  fi
) 9>"$soketi_dir.lock"
ln -sfn "$soketi_dir" "$PLATFORM_CACHE/npm/soketi-current"
