# The start the control-plane suites (55, 56, 57) share. Source it after tests/suites/lib.sh.

# control_plane_suite TOOL...: every TOOL on PATH and the schema cache's env sourced (else the
# summary and exit 1, naming what is missing); $work a fresh folder, removed on exit with every
# process group recorded in $CONTROL_PLANE_GROUPS killed.
control_plane_suite() {
  local tool schema_env="$PLATFORM_CACHE/schemas/env.sh"
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "FAIL $tool is not installed: run bash .ci/install-tools.sh"; CHECKS_FAILED=$((CHECKS_FAILED + 1)); }
  done
  if [ -f "$schema_env" ]; then source "$schema_env"; else echo "FAIL $schema_env is missing: run bash .ci/install-tools.sh"; CHECKS_FAILED=$((CHECKS_FAILED + 1)); fi
  [ "$CHECKS_FAILED" -eq 0 ] || { checks_summary; exit 1; }
  work="$(mktemp -d)"
  kill_recorded_groups_on_exit CONTROL_PLANE_GROUPS
  trap 'kill_recorded_groups; rm -rf "$work"' EXIT
}

# show_logs DIR: the end of every process log, for a failed start.
show_logs() { for log in "$1"/*.log; do echo "--- $log"; tail -8 "$log"; done; }
