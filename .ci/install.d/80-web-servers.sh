#!/usr/bin/env bash
# Debian's nginx, php-fpm, php-cli and wrk for the web pod's real-server test and benchmark
# (tests/suites/80-web-servers.sh, tests/bench/web-servers.sh). Debian bookworm's own builds:
# nginx 1.22 (realip, stub_status and gzip compiled in), PHP 8.2 with OPcache, wrk 4.1.
# The image's /usr/sbin/policy-rc.d keeps the packages from starting their services as root.
source "$(dirname "$0")/../lib.sh"

apt_install nginx php-fpm php-cli wrk
