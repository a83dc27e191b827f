#!/usr/bin/env bash
# Synth is deterministic and the committed output is current:
#  1. a fresh synth into a temp dir equals the committed files (or the diff is printed);
#  2. a second synth is byte-identical to the first;
#  3. a broken environment stops synth with exit 1 and writes nothing;
#  4. the drift check itself fails on a stale copy.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Every path synth writes that is committed (dist/ is not).
committed_outputs() { (cd "$1" && find . -type f ! -path './dist/*' ! -path './.tmp/*' | sed 's|^\./||' | sort); }

npx tsx apps/main.ts --out "$work/a" >/dev/null
npx tsx apps/main.ts --out "$work/b" >/dev/null

# drift TREE: TREE holds exactly what a fresh synth renders (TREE is the repo, or a copy of it).
drift() {
  local tree="$1" status=0
  while read -r path; do
    if ! diff -u "$tree/$path" "$work/a/$path" >"$work/diff" 2>&1; then
      echo "stale: $path (run npm run synth and commit)"; head -40 "$work/diff"; status=1
    fi
  done < <(committed_outputs "$work/a")
  # Folders synth owns must not hold files it no longer renders.
  for dir in "$tree"/environments/*/apps "$tree"/environments/*/infrastructure; do
    local rel="${dir#"$tree"/}"
    while read -r f; do
      [ -f "$work/a/$rel/$f" ] || { echo "stale file not rendered any more: $rel/$f"; status=1; }
    done < <(cd "$dir" && find . -type f | sed 's|^\./||')
  done
  return $status
}
check "committed environments/ and generated files equal a fresh synth" drift "$REPO_ROOT"

# The drift check must catch an edited manifest and a leftover file (in a copy of the outputs).
catches_drift() {
  local copy="$work/stale"
  cp -r "$work/a" "$copy" && rm -rf "$copy/dist"
  sed -i 's/replicas: 1$/replicas: 2/' "$copy/environments/staging/apps/workloads/scheduler.yaml"
  touch "$copy/environments/production/infrastructure/controllers/removed-controller.yaml"
  local out
  if out="$(drift "$copy")"; then echo "drift passed on a stale copy"; return 1; fi
  grep -q 'stale: environments/staging/apps/workloads/scheduler.yaml' <<<"$out" &&
    grep -q 'stale file not rendered any more: environments/production/infrastructure/controllers/removed-controller.yaml' <<<"$out" ||
    { echo "$out"; return 1; }
}
check "the drift check fails on an edited manifest and a leftover file" catches_drift
check "a second synth is byte-identical" diff -r "$work/a" "$work/b"

# A broken environment: min above max. Nothing may be written to the output folder.
broken() {
  mkdir -p "$work/envs" "$work/out"
  cp apps/environments/base.ts "$work/envs/"
  sed 's/web: { replicas: { min: 1, max: 4 } }/web: { replicas: { min: 9, max: 4 } }/' apps/environments/staging.ts >"$work/envs/staging.ts"
  grep -q 'min: 9, max: 4' "$work/envs/staging.ts" || { echo "fixture edit did not apply"; return 1; }
  # base.ts imports ../config: give the copy the same relative layout.
  ln -sfn "$REPO_ROOT/apps/config" "$work/config"
  if npx tsx apps/main.ts --environments-dir "$work/envs" --out "$work/out" 2>"$work/err"; then
    echo "synth accepted a broken config"; return 1
  fi
  grep -q 'staging.ts' "$work/err" && grep -q 'web.replicas.min: min (9) is above max (4)' "$work/err" || { cat "$work/err"; return 1; }
  [ -z "$(ls -A "$work/out")" ] || { echo "synth wrote files despite the error:"; find "$work/out"; return 1; }
}
check "a broken environment fails synth, names file and field, writes nothing" broken
checks_summary
