#!/usr/bin/env bash
# Installs every pinned tool the tests need, from the registries this machine reaches, into
# ~/.cache/marketplace-platform (override with PLATFORM_CACHE). Idempotent: a second run only
# checks. Each layer has its own script in .ci/install.d/, run in name order.
source "$(dirname "$0")/lib.sh"
for script in "$REPO_ROOT"/.ci/install.d/*.sh; do
  [ -e "$script" ] || continue
  log "install: $(basename "$script")"
  bash "$script"
done
log "tools ready in $TOOLS_BIN"
