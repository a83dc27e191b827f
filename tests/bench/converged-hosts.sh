#!/usr/bin/env bash
# Runs a benchmark against the MariaDB primary and replicas converged by the Ansible role (the
# converge suite's chroot hosts 127.0.0.2-4, TLS required), inside the rehearsal's name namespace
# (tests/rehearsal/run.sh): the app dials the Service names the pods dial. Holds
# /tmp/converge-hosts.lock for the whole run (the converge suite and the rehearsal use the same hosts).
#   bash tests/bench/converged-hosts.sh COMMAND...     (COMMAND sees REHEARSAL_DB_WORK and secrets)
source "$(dirname "$0")/../../.ci/lib.sh"
[ $# -gt 0 ] || { echo "usage: $0 COMMAND..." >&2; exit 2; }
if [ "${CONVERGE_HOSTS_LOCKED:-}" != 1 ]; then
  CONVERGE_HOSTS_LOCKED=1 exec flock /tmp/converge-hosts.lock bash "$0" "$@"
fi
source "$REPO_ROOT/tests/integration/ansible/chroot-hosts.sh"
HERE="$REPO_ROOT/tests/integration/ansible"
bash "$REPO_ROOT/.ci/install.d/60-ansible.sh" >/dev/null
bash "$REPO_ROOT/.ci/install.d/82-laravel.sh" >/dev/null
bash "$REPO_ROOT/.ci/install.d/80-web-servers.sh" >/dev/null
export ANSIBLE_CONFIG="$REPO_ROOT/ansible/ansible.cfg" ANSIBLE_NOCOLOR=1
export DEB_CACHE="$PLATFORM_CACHE/apt/trixie-archives"
mkdir -p "$DEB_CACHE"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-converge.XXXXXX")"
trap 'chroot_hosts_down "$WORK"' EXIT
tarball="$("$HERE/rootfs-tarball.sh")"
for h in primary replica1 replica2; do
  chroot_host_up "$WORK" "$h" "$tarball"
  cp -l "$DEB_CACHE"/*.deb "$WORK/$h/var/cache/apt/archives/" 2>/dev/null || cp "$DEB_CACHE"/*.deb "$WORK/$h/var/cache/apt/archives/" 2>/dev/null || true
done
"$HERE/write-test-inventory.sh" "$WORK"
t0=$SECONDS
if ! ansible-playbook -i "$WORK/inventory/hosts.yml" --vault-password-file "$WORK/vault-pass" "$REPO_ROOT/ansible/site.yml" >"$WORK/converge.log" 2>&1; then
  tail -40 "$WORK/converge.log"; exit 1
fi
cp -n "$WORK"/*/var/cache/apt/archives/*.deb "$DEB_CACHE/" 2>/dev/null || true
log "converged primary + 2 replicas in $((SECONDS - t0)) s"
bash "$REPO_ROOT/tests/rehearsal/run.sh" "$WORK" "$@"
