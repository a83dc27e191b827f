# Shared helpers for the install and test scripts. Source it; do not run it.
# Every tool is pinned and cached outside the clone, keyed by version, so a second run is fast
# and a fresh machine rebuilds exactly the same thing.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PLATFORM_CACHE="${PLATFORM_CACHE:-$HOME/.cache/marketplace-platform}"
TOOLS_BIN="$PLATFORM_CACHE/bin"
mkdir -p "$TOOLS_BIN"
export PATH="$TOOLS_BIN:$PATH"
export GOFLAGS="${GOFLAGS:--mod=mod}"
export GOTOOLCHAIN=local

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# go_tool NAME MODULE/PATH VERSION: builds a Go command once per version into the cache and
# links it as $TOOLS_BIN/NAME.
go_tool() {
  local name="$1" pkg="$2" version="$3"
  local dir="$PLATFORM_CACHE/go/$name-$version"
  mkdir -p "$PLATFORM_CACHE/go"
  (
    # One build per tool at a time, even when several test runs start together.
    flock 8
    if [ ! -x "$dir/bin/$name" ]; then
      log "building $name $version from the Go module proxy"
      GOBIN="$dir/.build" go install "$pkg@$version"
      local built
      built="$(ls "$dir/.build" | head -1)"
      mkdir -p "$dir/bin"
      mv "$dir/.build/$built" "$dir/bin/$name"
      rm -rf "$dir/.build"
    fi
  ) 8>"$dir.lock"
  ln -sfn "$dir/bin/$name" "$TOOLS_BIN/$name"
}

# go_wrapper_tools MODULE_DIR: builds every `tool` of a wrapper module (.ci/<name>/go.mod), and the
# module's own commands (its ./... packages, e.g. .ci/kube/node-simulator), with one `go build`, so
# the libraries they share compile once; cached under $PLATFORM_CACHE/go keyed by the module's
# go.mod + go.sum, its own .go files and the Go version. Prints the bin directory.
# GO_WRAPPER_TIME=FILE records the cold build's /usr/bin/time -v report (wall, CPU, peak RSS).
# GO_WRAPPER_LDFLAGS adds linker flags (e.g. -X version stamps; part of the cache key).
go_wrapper_tools() {
  local module="$1"
  local key dir ldflags="-s -w ${GO_WRAPPER_LDFLAGS:-}"
  key="$( (cat "$module/go.mod" "$module/go.sum"; find "$module" -name '*.go' | sort | xargs -r cat; go env GOVERSION; echo "$ldflags") | sha256sum | cut -c1-12)"
  dir="$PLATFORM_CACHE/go/$(basename "$module")-$key"
  mkdir -p "$PLATFORM_CACHE/go"
  (
    flock 9
    if [ ! -f "$dir/.complete" ]; then
      log "building the $(basename "$module") tools ($key) from the Go module proxy"
      rm -rf "$dir.build"
      local timer=()
      [ -n "${GO_WRAPPER_TIME:-}" ] && timer=(/usr/bin/time -v -o "$GO_WRAPPER_TIME")
      (
        cd "$module"
        local own=()
        [ -n "$(find . -name '*.go' -print -quit)" ] && own=(./...)
        GOFLAGS=-mod=readonly "${timer[@]}" go build -trimpath -ldflags="$ldflags" -o "$dir.build/bin/" tool "${own[@]}"
      ) >&2
      touch "$dir.build/.complete"
      rm -rf "$dir" && mv "$dir.build" "$dir"
    fi
  ) 9>"$dir.lock"
  echo "$dir/bin"
}

# apt_install PKG...: installs Debian packages that are missing (apt-get update once per run).
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "apt-get install ${missing[*]}"
  # One apt at a time: several install scripts may run concurrently on a developer machine.
  (
    flock 9
    if [ ! -f /tmp/.platform-apt-updated ]; then apt-get update -qq && touch /tmp/.platform-apt-updated; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  ) 9>/tmp/.platform-apt.lock
}

# python_venv NAME REQUIREMENTS_FILE: a venv per requirements hash; prints its path.
python_venv() {
  local name="$1" req="$2"
  local hash
  hash="$(sha256sum "$req" | cut -c1-12)"
  local venv="$PLATFORM_CACHE/venv/$name-$hash"
  if [ ! -x "$venv/bin/python" ] || [ ! -f "$venv/.complete" ]; then
    log "creating venv $name ($hash)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$req"
    touch "$venv/.complete"
  fi
  echo "$venv"
}
