#!/usr/bin/env bash
# Database audit layer: a real MariaDB server for the audit fixture (Debian 12 ships 10.11 LTS,
# the version the ansible layer deploys) and percona-toolkit for the pt-query-digest baseline.
# Both come from Debian's mirror; the suite starts its own mysqld with a temporary datadir, so
# the packaged service is never started (Debian images carry a policy-rc.d that forbids it; on a
# machine without one, the suite still never touches the default instance).
source "$(dirname "$0")/../lib.sh"

apt_install mariadb-server mariadb-client percona-toolkit
command -v mariadbd >/dev/null
command -v pt-query-digest >/dev/null
