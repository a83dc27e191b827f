#!/usr/bin/env bash
# Debian's PHP 8.2 CLI (with the extensions Laravel 12 needs), Composer 2.5 and a real Laravel 12
# skeleton installed offline from ../shared/php-artifacts, for the app-contract seam tests
# (tests/suites/82-laravel-contract.sh). The skeleton lives in the cache, keyed by the artifact
# repo's versions.lock.txt, never in the clone.
source "$(dirname "$0")/../lib.sh"

apt_install php8.2-cli php8.2-mbstring php8.2-xml php8.2-curl php8.2-redis php8.2-zip php8.2-intl \
  php8.2-sqlite3 php8.2-bcmath php8.2-mysql composer unzip redis-server dash

bash "$REPO_ROOT/tests/integration/laravel/install-skeleton.sh" >/dev/null
