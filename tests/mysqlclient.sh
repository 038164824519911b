#!/bin/sh
# tests/mysqlclient.sh: myship built against MySQL's libmysqlclient
# (./configure --with-mysql-client=mysql) in a Debian sid chroot that has
# libmysqlclient-dev (tests/chroot.sh mysqlclient), then its unit tests and
# the MySQL round trip, with the MySQL 9.x server of the same chroot.  The
# source tree is bind-mounted at /src in the chroot and unmounted on exit;
# the build tree is BUILD (default _build/mysqlclient under the source).
# Needs root.  CI runs it once (tests/ci.sh).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-_build/mysqlclient}
jobs=${CI_JOBS:-2}
ch=$("$top/tests/chroot.sh" mysqlclient)
mkdir -p "$ch/src" "$ch/proc"
mount --bind "$top" "$ch/src"
mounted_proc=
if ! mountpoint -q "$ch/proc"; then
	mount -t proc proc "$ch/proc"
	mounted_proc=1
fi
cleanup() {
	umount "$ch/src" || true
	[ -z "$mounted_proc" ] || umount "$ch/proc" || true
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
chroot "$ch" env CI="${CI:-}" MS_SERVER=mysql MS_CHROOT=none \
    MS_SQL_CLIENT=mysql PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c '
	set -e
	rm -rf "/src/'"$build"'"
	mkdir -p "/src/'"$build"'"
	cd "/src/'"$build"'"
	/src/configure --with-mysql-client=mysql --enable-werror >configure.out ||
	    { tail -n 30 config.log; exit 1; }
	make -j'"$jobs"' >make.out 2>&1 || { tail -n 40 make.out; exit 1; }
	ldd myship | grep -q libmysqlclient ||
	    { echo "mysqlclient: myship does not link libmysqlclient"; exit 1; }
	make -j'"$jobs"' check TESTS="\$(UNIT_TESTS) tests/integration/roundtrip.sh tests/integration/consistency.sh" ||
	    { for f in tests/*/*.log; do grep -qE "^(FAIL|ERROR)" "$f" &&
	      { echo "==== $f"; tail -n 60 "$f"; }; done; exit 1; }
'
echo "mysqlclient: unit tests and the MySQL round trip pass with libmysqlclient"
