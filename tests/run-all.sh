#!/usr/bin/env bash
# Runs every test suite in tests/suites/ (name order) after installing the pinned tools they need:
# a suite's `# needs: <install.d names>` line lists them (`# needs: nothing` for none); a suite
# without that line gets every tool. Running all suites installs everything.
# Suites marked `# lane: control-plane` (they start a Kubernetes control plane and mostly wait on
# its controllers' timers) run one after another in a second lane, beside the others, which are
# mostly CPU-bound: the two cores stay busy and the run takes about the longer lane, not the sum.
# Each suite's output is printed whole when it ends. RUN_ALL_LANES=1 runs everything in one lane.
# Each suite prints, as its last line, "N passed, N failed"; this script adds them up and prints
# the total as its own last line. It exits non-zero when any suite fails or crashes.
#   bash tests/run-all.sh            all suites
#   bash tests/run-all.sh vitest k8s only suites whose file name contains one of the words
source "$(dirname "$0")/../.ci/lib.sh"
cd "$REPO_ROOT"

selected=()
for suite in tests/suites/[0-9][0-9]-*.sh; do
  name="$(basename "$suite" .sh)"
  if [ $# -gt 0 ]; then
    match=0
    for word in "$@"; do [[ "$name" == *"$word"* ]] && match=1; done
    [ "$match" = 1 ] || continue
  fi
  selected+=("$suite")
done
[ ${#selected[@]} -gt 0 ] || { echo "no suite in tests/suites/ matches: $*" >&2; echo "0 passed, 1 failed"; exit 1; }

# The install layers the selected suites need; every layer when one of them does not say.
needs=()
all_tools=0
for suite in "${selected[@]}"; do
  line="$(grep -m1 -E '^# needs:' "$suite" || true)"
  if [ -z "$line" ]; then all_tools=1; break; fi
  for word in ${line#\# needs:}; do [ "$word" = nothing ] || needs+=("$word"); done
done
if [ $# -eq 0 ] || [ "$all_tools" = 1 ]; then
  bash .ci/install-tools.sh
elif [ ${#needs[@]} -gt 0 ]; then
  bash .ci/install-tools.sh $(printf '%s\n' "${needs[@]}" | sort -u)
fi

results="$(mktemp -d)"
trap 'rm -rf "$results"' EXIT

# run_suite SUITE: runs it with its output kept, then prints the output whole (under a lock, so the
# two lanes' blocks do not interleave) and writes "passed failed" to $results/<name>.
run_suite() {
  local suite="$1" name out rc line p f
  name="$(basename "$suite" .sh)"
  out="$results/$name.out"
  local started=$SECONDS
  set +e
  bash "$suite" >"$out" 2>&1
  rc=$?
  set -e
  line="$(grep -E '^([A-Za-z-]+: )?[0-9]+ passed, [0-9]+ failed' "$out" | tail -1 || true)"
  if [ -z "$line" ]; then
    p=0; f=1
    echo "suite $name printed no 'N passed, N failed' line (exit $rc): counted as 1 failed" >>"$out"
  else
    p="$(sed -E 's/^([A-Za-z-]+: )?([0-9]+) passed.*/\2/' <<<"$line")"
    f="$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  fi
  echo "$p $f" >"$results/$name"
  (
    flock 9
    log "suite $name"
    cat "$out"
    log "suite $name: $p passed, $f failed ($((SECONDS - started)) s)"
  ) 9>"$results/.print.lock"
}

lane_a=(); lane_b=()
for suite in "${selected[@]}"; do
  if [ "${RUN_ALL_LANES:-2}" != 1 ] && grep -qE '^# lane: control-plane' "$suite"; then lane_b+=("$suite"); else lane_a+=("$suite"); fi
done
( for suite in ${lane_b[@]+"${lane_b[@]}"}; do run_suite "$suite"; done ) &
lane_b_pid=$!
for suite in ${lane_a[@]+"${lane_a[@]}"}; do run_suite "$suite"; done
wait "$lane_b_pid" || true

total_passed=0
total_failed=0
for suite in "${selected[@]}"; do
  name="$(basename "$suite" .sh)"
  read -r p f <"$results/$name" || { p=0; f=1; }
  total_passed=$((total_passed + p)); total_failed=$((total_failed + f))
done
echo "${total_passed} passed, ${total_failed} failed"
[ "$total_failed" -eq 0 ]
