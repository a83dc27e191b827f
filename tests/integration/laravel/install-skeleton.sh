#!/usr/bin/env bash
# Installs the real Laravel 12 skeleton (laravel/laravel + framework, runtime only) from the
# offline Composer artifact repository, once per versions.lock.txt, into
#   $PLATFORM_CACHE/laravel/<hash>/app
# and prints that path. Upstream code stays in the cache, never in the clone. Concurrent runs
# wait on one lock; a half-finished install is discarded and redone.
# Commands: ../shared/php-artifacts/README.md ("Offline install").
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
ARTIFACTS="${LARAVEL_ARTIFACTS:-$REPO_ROOT/../shared/php-artifacts}"
# A git worktree lives away from the main checkout: then shared/ is the main checkout's sibling.
if [ ! -d "$ARTIFACTS" ] && common="$(git -C "$REPO_ROOT" rev-parse --path-format=absolute --git-common-dir 2>/dev/null)"; then
  ARTIFACTS="$(dirname "$common")/../shared/php-artifacts"
fi
PLATFORM_CACHE="${PLATFORM_CACHE:-$HOME/.cache/marketplace-platform}"
[ -f "$ARTIFACTS/versions.lock.txt" ] || { echo "install-skeleton: no $ARTIFACTS/versions.lock.txt (the offline Composer repo)" >&2; exit 2; }
ARTIFACTS="$(cd "$ARTIFACTS" && pwd)"
SKELETON_VERSION="$(awk '$1 == "laravel/laravel" { print $2 }' "$ARTIFACTS/versions.lock.txt")"
HASH="$(sha256sum "$ARTIFACTS/versions.lock.txt" | cut -c1-12)"
DIR="$PLATFORM_CACHE/laravel/$HASH"
mkdir -p "$PLATFORM_CACHE/laravel"

(
  flock 7
  if [ ! -f "$DIR/.complete" ]; then
    rm -rf "$DIR" && mkdir -p "$DIR"
    export COMPOSER_HOME="$DIR/composer-home" COMPOSER_NO_INTERACTION=1 COMPOSER_DISABLE_NETWORK=0
    mkdir -p "$COMPOSER_HOME"
    echo '{"repositories":{"packagist.org":false}}' >"$COMPOSER_HOME/config.json"
    cd "$DIR"
    composer create-project -q laravel/laravel app "$SKELETON_VERSION" --no-install --no-scripts \
      --repository="{\"type\":\"artifact\",\"url\":\"$ARTIFACTS\"}"
    cd app
    composer config repositories.offline artifact "$ARTIFACTS"
    composer config repo.packagist false
    composer remove -q --dev --no-update --no-scripts fakerphp/faker laravel/pail laravel/pint \
      laravel/sail mockery/mockery nunomaduro/collision phpunit/phpunit
    composer update -q --no-dev --no-scripts --no-audit
    composer require -q --update-no-dev --no-scripts --no-audit pusher/pusher-php-server:^7.2 predis/predis:^3.6
    php artisan package:discover -q
    touch "$DIR/.complete"
  fi
) 7>"$DIR.lock" >&2

echo "$DIR/app"
