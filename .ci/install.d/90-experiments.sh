#!/usr/bin/env bash
# Tools of the open-connections experiment (tests/experiments/mysql-connections/): Debian's
# php-fpm with the MySQL PDO driver, a real MariaDB server, and cgi-fcgi to speak FastCGI to
# php-fpm directly. Versions are Debian 12's (php 8.2, MariaDB 10.11); apt_install holds the
# shared apt lock. The experiment starts its own daemons from temp dirs, never the packaged ones.
source "$(dirname "$0")/../lib.sh"

apt_install php-fpm php-cli php-mysql mariadb-server mariadb-client libfcgi-bin
