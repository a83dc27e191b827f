#!/usr/bin/env bash
# Installs every pinned tool the tests need, from the registries this machine reaches, into
# ~/.cache/marketplace-platform (override with PLATFORM_CACHE). Idempotent: a second run only
# checks. Each layer has its own script in .ci/install.d/; they run concurrently (Go builds use
# the CPU while apt, pip and debootstrap wait on the network), each logging to its own file.
#   bash .ci/install-tools.sh                    every layer
#   bash .ci/install-tools.sh 20-k8s-schemas ... only those layers (tests/run-all.sh passes the
#                                                `# needs:` of the suites it runs)
source "$(dirname "$0")/lib.sh"
logs="$PLATFORM_CACHE/install-logs"
mkdir -p "$logs"
started=$SECONDS
declare -A pids=()
if [ $# -gt 0 ]; then
  scripts=()
  for name in "$@"; do
    [ -f "$REPO_ROOT/.ci/install.d/$name.sh" ] || { log "install: no .ci/install.d/$name.sh (named by a suite's '# needs:' line)"; exit 1; }
    scripts+=("$REPO_ROOT/.ci/install.d/$name.sh")
  done
else
  scripts=("$REPO_ROOT"/.ci/install.d/*.sh)
fi
for script in "${scripts[@]}"; do
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
log "tools ready in $TOOLS_BIN (${#scripts[@]} layers, $((SECONDS - started)) s)"
