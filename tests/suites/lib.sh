# Helpers for suite scripts. Source it after .ci/lib.sh.
# vitest_counts FILE: prints "N passed, N failed" from a vitest JSON report.
vitest_counts() {
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    // A file whose hooks failed (beforeAll threw) has only skipped tests: count it as a failure.
    const brokenFiles = (r.testResults ?? []).filter((f) => f.status === "failed" && !(f.assertionResults ?? []).some((a) => a.status === "failed")).length;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests + (r.numRuntimeErrors ?? 0) + brokenFiles} failed`);
  ' "$1"
}

# run_vitest ARGS...: runs vitest with ARGS and adds its test counts to the suite's checks.
# A run that leaves no report (vitest crashed before reporting) counts as one failure.
# VITEST_LAUNCHER (an array, optional) is a command vitest runs under (e.g. a namespace wrapper).
run_vitest() {
  local report counts failed
  report="$(mktemp)"
  ${VITEST_LAUNCHER[@]+"${VITEST_LAUNCHER[@]}"} npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || true
  if ! counts="$(vitest_counts "$report" 2>/dev/null)"; then
    echo "FAIL vitest $* left no report"; CHECKS_FAILED=$((CHECKS_FAILED + 1)); rm -f "$report"; return 0
  fi
  rm -f "$report"
  failed="${counts##*, }"
  CHECKS_PASSED=$((CHECKS_PASSED + ${counts%% passed*}))
  CHECKS_FAILED=$((CHECKS_FAILED + ${failed%% failed*}))
}

# check NAME COMMAND...: runs one check, counts it, prints PASS/FAIL with the output on failure.
CHECKS_PASSED=0
CHECKS_FAILED=0
check() {
  local name="$1"; shift
  local out
  if out="$("$@" 2>&1)"; then
    CHECKS_PASSED=$((CHECKS_PASSED + 1)); echo "PASS $name"
  else
    CHECKS_FAILED=$((CHECKS_FAILED + 1)); echo "FAIL $name"; echo "$out" | tail -40 | sed 's/^/    /'
  fi
}
# check_passes NAME COMMAND...: check, returning its result, for a suite that skips what depends
# on it (`if ! check_passes ...; then ...; continue; fi`); check itself returns 0 (suites run
# under set -e).
check_passes() {
  local before=$CHECKS_FAILED
  check "$@"
  [ "$CHECKS_FAILED" -eq "$before" ]
}
# checks_summary: the suite's last line; exit status follows the failures.
checks_summary() {
  echo "${CHECKS_PASSED} passed, ${CHECKS_FAILED} failed"
  [ "$CHECKS_FAILED" -eq 0 ]
}

# kill_recorded_groups_on_exit VAR...: exports each VAR as a fresh file in which the test harness
# records the process group of every server it starts (the harnesses append to it); on exit
# (also after a crashed vitest worker) each recorded group is killed, nothing else.
kill_recorded_groups_on_exit() {
  local var
  RECORDED_GROUP_FILES=()
  for var in "$@"; do
    export "$var=$(mktemp)"
    RECORDED_GROUP_FILES+=("${!var}")
  done
  trap kill_recorded_groups EXIT
}
# kill_recorded_groups: what kill_recorded_groups_on_exit runs on exit (call it from a suite's own
# EXIT trap when the suite replaces that one).
kill_recorded_groups() {
  cat "${RECORDED_GROUP_FILES[@]}" | while read -r pgid; do kill -KILL -- "-$pgid" 2>/dev/null || true; done
  rm -f "${RECORDED_GROUP_FILES[@]}"
}

# repo_copy DIR: the repository as a PR would change it, in DIR: every tracked file and every
# untracked one git does not ignore, node_modules linked (run from $REPO_ROOT).
repo_copy() {
  mkdir -p "$1"
  git ls-files -z | xargs -0 cp --parents -t "$1" 2>/dev/null || true
  git ls-files -z --others --exclude-standard | xargs -0 -r cp --parents -t "$1" 2>/dev/null || true
  ln -s "$REPO_ROOT/node_modules" "$1/node_modules"
}
