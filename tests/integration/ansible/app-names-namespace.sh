#!/usr/bin/env bash
# Runs a command in a private mount namespace where NAMES resolve to IP and the app's CA sits at
# the path the pods use, so the machine's /etc/hosts and /etc stay untouched. /etc is overlaid
# with a tmpfs upper layer that exists only inside the namespace.
# Usage: app-names-namespace.sh IP CA_FILE CA_PATH_IN_POD "NAME..." COMMAND...
#        app-names-namespace.sh @HOSTS_FILE CA_FILE CA_PATH_IN_POD "" COMMAND...   (lines "IP NAME...")
set -euo pipefail
ip="$1" ca="$2" pod_ca="$3" names="$4"; shift 4
case "$pod_ca" in /etc/*) ;; *) echo "CA path $pod_ca is not under /etc" >&2; exit 2 ;; esac
exec unshare --mount --propagation private bash -s "$ip" "$ca" "$pod_ca" "$names" "$@" <<'INNER'
set -euo pipefail
ip="$1" ca="$2" pod_ca="$3" names="$4"; shift 4
layer="$(mktemp -d)"
mount -t tmpfs -o size=1m,mode=0755 tmpfs "$layer"
mkdir -p "$layer/upper/$(dirname "${pod_ca#/etc/}")" "$layer/work"
case "$ip" in
  @*) { cat /etc/hosts; cat "${ip#@}"; } >"$layer/upper/hosts" ;;
  *) { cat /etc/hosts; echo "$ip $names"; } >"$layer/upper/hosts" ;;
esac
# A CA certificate is public: readable by the unprivileged app processes too.
install -m 0644 "$ca" "$layer/upper/${pod_ca#/etc/}"
mount -t overlay overlay -o "lowerdir=/etc,upperdir=$layer/upper,workdir=$layer/work" /etc
"$@"
INNER
