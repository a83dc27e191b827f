#!/usr/bin/env bash
# Synth is deterministic and the committed output is current:
#  1. a fresh synth into a temp dir equals the committed files (or the diff is printed);
#  2. a second synth is byte-identical to the first;
#  3. a broken environment stops synth with exit 1 and writes nothing.
source "$(dirname "$0")/../../.ci/lib.sh"
source "$REPO_ROOT/tests/suites/lib.sh"
cd "$REPO_ROOT"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Every path synth writes that is committed (dist/ is not).
committed_outputs() { (cd "$1" && find . -type f ! -path './dist/*' ! -path './.tmp/*' | sed 's|^\./||' | sort); }

npx tsx apps/main.ts --out "$work/a" >/dev/null
npx tsx apps/main.ts --out "$work/b" >/dev/null

drift() {
  local status=0
  while read -r path; do
    if ! diff -u "$REPO_ROOT/$path" "$work/a/$path" >"$work/diff" 2>&1; then
      echo "stale: $path (run npm run synth and commit)"; head -40 "$work/diff"; status=1
    fi
  done < <(committed_outputs "$work/a")
  # Generated folders must not hold files synth no longer renders.
  for dir in environments/*/apps; do
    while read -r f; do
      [ -f "$work/a/$dir/$f" ] || { echo "stale file not rendered any more: $dir/$f"; status=1; }
    done < <(cd "$dir" && find . -type f | sed 's|^\./||')
  done
  return $status
}
check "committed environments/ and generated files equal a fresh synth" drift
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
