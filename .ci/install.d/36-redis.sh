#!/usr/bin/env bash
# Debian's redis-server and redis-cli for the real-server test of the generated redis.conf
# (tests/suites/36-redis-conf.sh). Bookworm ships Redis 7.0; the config uses no directive newer
# than 7.0, so it is valid for the 7.4 image too. policy-rc.d keeps the service from starting.
source "$(dirname "$0")/../lib.sh"

apt_install redis-server redis-tools
