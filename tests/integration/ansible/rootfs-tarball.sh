#!/usr/bin/env bash
# Prints the path of a cached Debian 13 (trixie) root filesystem tarball, building it with
# debootstrap from Debian's mirror when missing. Keyed by suite, package list and month, so a
# warm run reuses it and the cache still picks up a month's security updates.
# Usage: rootfs-tarball.sh   (needs root and debootstrap; source .ci/lib.sh first for PLATFORM_CACHE)
set -euo pipefail
: "${PLATFORM_CACHE:=$HOME/.cache/marketplace-platform}"

SUITE=trixie
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Only what Ansible needs to run its modules; everything else is installed by the roles themselves.
INCLUDE=python3,python3-apt
KEY="$SUITE-minbase-$(printf '%s %s v1' "$INCLUDE" "$MIRROR" | sha256sum | cut -c1-8)-$(date -u +%Y%m)"
DIR="$PLATFORM_CACHE/rootfs"
TARBALL="$DIR/$KEY.tar.gz"

if [ ! -s "$TARBALL" ]; then
  mkdir -p "$DIR"
  work="$(mktemp -d "$DIR/build.XXXXXX")"
  trap 'umount -R "$work/root/proc" 2>/dev/null || true; rm -rf "$work"' EXIT
  echo "debootstrap $SUITE into $work (once per month)" >&2
  debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$work/root" "$MIRROR" >"$work/log" 2>&1 \
    || { tail -30 "$work/log" >&2; exit 1; }
  # A chroot must never start services from package scripts (they would land in the host's
  # namespaces); the roles start what they need explicitly.
  printf '#!/bin/sh\nexit 101\n' >"$work/root/usr/sbin/policy-rc.d"
  chmod 755 "$work/root/usr/sbin/policy-rc.d"
  chroot "$work/root" apt-get update -qq
  chroot "$work/root" apt-get clean
  tar -C "$work/root" --numeric-owner -czf "$work/rootfs.tar.gz" .
  mv "$work/rootfs.tar.gz" "$TARBALL"
  # Older months are dead weight.
  find "$DIR" -maxdepth 1 -name "$SUITE-minbase-*.tar.gz" ! -name "$KEY.tar.gz" -delete
fi
echo "$TARBALL"
