#!/usr/bin/env bash
# Installs every pinned tool the tests need, from the registries this machine reaches, into
# ~/.cache/marketplace-platform (override with PLATFORM_CACHE). Idempotent: a second run only
# checks. Each layer has its own script in .ci/install.d/; they run concurrently (Go builds use
# the CPU while apt, pip and debootstrap wait on the network), each logging to its own file.
source "$(dirname "$0")/lib.sh"
logs="$PLATFORM_CACHE/install-logs"
mkdir -p "$logs"
started=$SECONDS
declare -A pids=()
for script in "$REPO_ROOT"/.ci/install.d/*.sh; do
  [ -e "$script" ] || continue
  name="$(basename "$script" .sh)"
  bash "$script" >"$logs/$name.log" 2>&1 &
  pids[$name]=$!
done
failed=()
for name in $(printf '%s\n' "${!pids[@]}" | sort); do
  if wait "${pids[$name]}"; then
    log "install: $name ok"
  else
    failed+=("$name")
    log "install: $name FAILED; its log ($logs/$name.log) ends with:"
    tail -30 "$logs/$name.log" >&2
  fi
done
[ ${#failed[@]} -eq 0 ] || { log "tool installation failed: ${failed[*]}"; exit 1; }
log "tools ready in $TOOLS_BIN ($((SECONDS - started)) s)"
