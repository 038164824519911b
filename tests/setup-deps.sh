#!/bin/sh
# tests/setup-deps.sh: installs everything myship needs to build and to run
# its whole test suite on Debian 12 (radosgw and stunnel4 included), then
# the S3 test server's npm packages (pinned by
# tests/s3server/package-lock.json).  Idempotent: apt is
# skipped when every package is already installed.  Needs root for apt.
set -eu

PKGS="build-essential autoconf automake pkg-config libmariadb-dev
libcurl4-openssl-dev libarchive-dev libzstd-dev libinih-dev libssl-dev libsodium-dev
mariadb-server mariadb-client zstd awscli nodejs npm python3 mandoc clang
mydumper curl debootstrap"
# Ceph radosgw, a second (real) S3 server for the tests, and a TLS front.
PKGS="$PKGS ceph-mon ceph-osd ceph-mgr radosgw ceph-common stunnel4"
# The Debian package (tests/package.sh) and the bash completion.
PKGS="$PKGS debhelper dpkg-dev lintian fakeroot bash-completion"
# The load generator of bench/load.sh (the application during a backup).
PKGS="$PKGS sysbench"

top=$(cd "$(dirname "$0")/.." && pwd)

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
	[ "$st" = installed ] && continue
	# NodeSource's nodejs bundles npm and conflicts with Debian's npm.
	[ "$p" = npm ] && command -v npm >/dev/null 2>&1 && continue
	missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "setup-deps: installing:$missing"
	if [ "$(id -u)" != 0 ]; then
		SUDO=sudo
	else
		SUDO=
	fi
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -q
	# The server package must not start (or keep) a system service for
	# us: the tests run their own private servers.
	$SUDO apt-get install -y -q --no-install-recommends $missing
else
	echo "setup-deps: all Debian packages present"
fi

if [ -d "$top/tests/s3server/node_modules/@20minutes/s3rver" ] &&
    [ "$top/tests/s3server/node_modules/.package-lock.json" -nt \
    "$top/tests/s3server/package-lock.json" ]; then
	echo "setup-deps: S3 test server packages present"
else
	echo "setup-deps: npm ci in tests/s3server"
	(cd "$top/tests/s3server" && npm ci --no-audit --no-fund --loglevel=error)
fi

# The MariaDB 11.8 and MySQL 9.x test servers run from Debian trixie and sid
# chroots (tests/chroot.sh builds each once and caches it).
for srv in mariadb11 mysql mysqlclient package; do
	echo "setup-deps: $srv chroot: $("$top/tests/chroot.sh" "$srv")"
done
