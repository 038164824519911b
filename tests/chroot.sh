#!/bin/sh
# tests/chroot.sh SERVER (or package), or tests/chroot.sh SUITE PACKAGE...: prints the
# path of the chroot of a test server (SERVER: mariadb11 is MariaDB 11.8
# from trixie, mysql is MySQL 9.x from sid), or of a Debian SUITE chroot
# (debootstrap --variant=minbase) holding PACKAGE..., building it on first
# use and caching it under $MS_CHROOT_CACHE (default /var/cache/myship-test)
# keyed by suite and package list, so a second call takes no time.  flock
# keeps concurrent tests from building the same chroot twice; a chroot is
# used only once its ".ready" stamp exists, so an interrupted build is
# redone rather than half used.  Servers run in it with `chroot DIR ...` on
# private ports and data directories (see tests/lib.sh); nothing in it is a
# service.  Needs root and Debian's mirror.
set -eu
case "$*" in
mariadb11) set -- trixie mariadb-server mariadb-client ;;
mysql) set -- sid mysql-server-core mysql-client ;;
# Building myship against MySQL's libmysqlclient (tests/mysqlclient.sh).
mysqlclient) set -- sid build-essential autoconf automake pkg-config \
    libmysqlclient-dev libcurl4-openssl-dev libarchive-dev libzstd-dev \
    libinih-dev libssl-dev libsodium-dev mysql-server-core mysql-client python3 zstd ;;
# Installing the .deb (tests/package.sh): Debian 12 with its run-time
# libraries and systemd (systemd-analyze, systemctl).
package) set -- bookworm systemd libmariadb3 libcurl4 libarchive13 libzstd1 \
    libinih1 libssl3 libsodium23 ;;
esac
[ $# -ge 2 ] || { echo "usage: $0 mariadb11|mysql|SUITE PACKAGE..." >&2; exit 2; }
suite=$1
shift
pkgs=$(printf '%s\n' "$@" | sort -u | tr '\n' ' ')
mirror=${MS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${MS_CHROOT_CACHE:-/var/cache/myship-test}
key=$(printf '%s %s' "$suite" "$pkgs" | sha256sum | cut -c1-12)
dir=$cache/$suite-$key
mkdir -p "$cache"
exec 9>"$cache/.$suite-$key.lock"
flock 9
if [ -f "$dir/.ready" ]; then
	echo "$dir"
	exit 0
fi
log=$cache/$suite-$key.log
: >"$log"
build() {
	rm -rf "$dir"
	debootstrap --variant=minbase "$suite" "$dir" "$mirror" >>"$log" 2>&1 ||
	    return 1
	cp /etc/resolv.conf "$dir/etc/resolv.conf"
	grep -q '^127.0.0.1[[:space:]].*localhost' "$dir/etc/hosts" 2>/dev/null ||
	    printf '127.0.0.1\tlocalhost\n' >>"$dir/etc/hosts"
	# Packages must never start a service in the chroot.
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod 755 "$dir/usr/sbin/policy-rc.d"
	# The mirror may be a frozen snapshot whose Release files have expired.
	printf 'Acquire::Check-Valid-Until "false";\n' \
	    >"$dir/etc/apt/apt.conf.d/99myship-test"
	# sid moves every day: one retry of a failed apt step.
	chroot "$dir" sh -c 'export DEBIAN_FRONTEND=noninteractive;
	    apt-get update -q && apt-get install -y -q --no-install-recommends '"$pkgs"' ||
	    { sleep 5; apt-get update -q &&
	    apt-get install -y -q --no-install-recommends '"$pkgs"'; }' \
	    >>"$log" 2>&1 || return 1
	chroot "$dir" apt-get clean >>"$log" 2>&1 || true
	mkdir -p "$dir/srv/ms"
	touch "$dir/.ready"
}
if ! build; then
	tail -n 30 "$log" >&2
	echo "chroot.sh: building the $suite chroot failed (log: $log)" >&2
	exit 1
fi
echo "$dir"
