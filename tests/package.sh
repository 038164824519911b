#!/bin/sh
# tests/package.sh: the Debian package, built and used as an admin would.
# `dpkg-buildpackage -us -uc -b` on a copy of the source tree, lintian with
# no errors, then the .deb installed with dpkg into a Debian 12 chroot
# (tests/chroot.sh package, cached; mounted here as an overlay so the cache
# stays clean), where myship --version, --help and `check` against a
# private MariaDB on the host work, the policy is a root-only conffile, the
# timer is enabled, systemd-analyze accepts both units, the cron entry does
# nothing while the timer is enabled and runs myship once it is disabled,
# the installed completion answers, and remove keeps the policy while purge
# removes it.  Needs root.  CI runs it once (tests/ci.sh); the unit tests
# are not run again in the package build (DEB_BUILD_OPTIONS=nocheck).
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/tests/lib.sh"
set -eu
ms_tmpdir

for c in dpkg-buildpackage dh lintian fakeroot; do
	command -v "$c" >/dev/null ||
	    ms_skip "$c missing (tests/setup-deps.sh installs it)"
done
version=$(sed -n 's/^AC_INIT(\[myship\], \[\([^]]*\)\].*/\1/p' \
    "$top_srcdir/configure.ac")
[ -n "$version" ] || ms_fail "no version in configure.ac"
head -n 1 "$top_srcdir/debian/changelog" | grep -qF "myship ($version)" ||
    ms_fail "debian/changelog's version is not configure.ac's $version"

# Build from a copy: the package build must not touch the working tree.
mkdir "$T/src"
tar -C "$top_srcdir" --exclude=./_build --exclude=./.git \
    --exclude=node_modules --exclude=./autom4te.cache -cf - . |
    tar -C "$T/src" -xf -
(cd "$T/src" && DEB_BUILD_OPTIONS=nocheck dpkg-buildpackage -us -uc -b) \
    >"$T/build.log" 2>&1 || { tail -n 40 "$T/build.log"; ms_fail "dpkg-buildpackage failed"; }
deb=$T/myship_${version}_$(dpkg --print-architecture).deb
[ -f "$deb" ] || ms_fail "no $deb"
lintian --fail-on error "$T"/myship_"$version"_*.changes >"$T/lintian.out" 2>&1 ||
    { cat "$T/lintian.out"; ms_fail "lintian reports errors"; }
echo "package: built $(basename "$deb"), lintian: $(grep -c '^[EW]:' "$T/lintian.out" || :) errors and warnings"

# The chroot, as an overlay over the cached one.
base=$("$top_srcdir/tests/chroot.sh" package)
R=$T/root
mkdir -p "$T/up" "$T/work" "$R"
mount -t overlay overlay -o "lowerdir=$base,upperdir=$T/up,workdir=$T/work" "$R" ||
    ms_fail "cannot mount an overlay over $base"
mounted="$R"
mount -t proc proc "$R/proc" && mounted="$R/proc $mounted"
pkg_cleanup() {
	local rc=$? m
	for m in $mounted; do umount "$m" 2>/dev/null || umount -l "$m" || :; done
	(exit "$rc")
	ms__cleanup
}
trap pkg_cleanup EXIT
# SYSTEMD_OFFLINE=1: no systemd runs in the chroot, so systemctl works on
# the unit files on disk even where /run/systemd/system says otherwise.
in_root() {
	chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
	    SYSTEMD_OFFLINE=1 "$@"
}

cp "$deb" "$R/tmp/"
in_root dpkg -i "/tmp/$(basename "$deb")" >"$T/dpkg.out" 2>&1 ||
    { cat "$T/dpkg.out"; ms_fail "dpkg -i failed"; }
ms_assert_eq "$(in_root myship --version)" "myship $version" "myship --version"
in_root myship --help | grep -q '^  restore ' || ms_fail "myship --help lists no restore"
in_root man -w myship 2>/dev/null || [ -f "$R/usr/share/man/man8/myship.8.gz" ] ||
    ms_fail "myship(8) not installed"
[ -f "$R/usr/share/man/man5/myship.ini.5.gz" ] || ms_fail "myship.ini(5) not installed"
ms_assert_eq "$(stat -c '%a %U' "$R/etc/myship/myship.ini")" "600 root" \
    "the policy's mode and owner"
conf=$(in_root dpkg-query -W -f='${Conffiles}' myship)
for f in /etc/myship/myship.ini /etc/cron.d/myship; do
	printf '%s\n' "$conf" | grep -q " $f " || ms_fail "$f is not a conffile"
done

# systemd: both units verify, the timer is enabled at installation.
in_root systemd-analyze verify --man=no /lib/systemd/system/myship.service \
    /lib/systemd/system/myship.timer || ms_fail "systemd-analyze verify"
in_root systemctl -q is-enabled myship.timer || ms_fail "myship.timer not enabled"
grep -q '^ExecStart=/usr/sbin/myship -q run$' "$R/lib/systemd/system/myship.service" ||
    ms_fail "the service does not run /usr/sbin/myship -q run"

# check against a private server on the host, with a policy of the test's.
mariadb_start A
cp "$A_PASSFILE" "$R/etc/myship/A.pass"
cat >"$R/etc/myship/test.ini" <<EOI
[global]
repository = /var/backups/myship
lock_file = /run/lock/myship-test.lock
$(ms_policy_host A | sed 's|^password_file = .*|password_file = /etc/myship/A.pass|')
EOI
chmod 600 "$R/etc/myship/test.ini" "$R/etc/myship/A.pass"
mkdir -p "$R/run/lock" "$R/var/backups/myship"
in_root myship -c /etc/myship/test.ini check >"$T/check.out" 2>&1 ||
    { cat "$T/check.out"; ms_fail "myship check in the chroot failed"; }
echo "package: check in the chroot: $(tail -n 1 "$T/check.out")"

# The cron entry: nothing while the timer is enabled under systemd; myship
# itself once the timer is disabled (the example policy then fails to
# reach its example hosts, which proves that it ran).  /run/systemd/system
# stands for a running systemd, as the entry tests it.
line=$(grep -v '^#' "$R/etc/cron.d/myship" | grep ' root ' | head -n 1)
cmd=$(printf '%s\n' "$line" | cut -d' ' -f7-)
[ -n "$cmd" ] || ms_fail "no command in /etc/cron.d/myship"
mkdir -p "$R/run/systemd/system"
rc=0
out=$(in_root sh -c "$cmd" 2>&1) || rc=$?
ms_assert_eq "$rc:$out" "0:" "cron entry with the timer enabled"
in_root systemctl -q disable myship.timer || ms_fail "systemctl disable"
rc=0
out=$(in_root sh -c "$cmd" 2>&1) || rc=$?
[ "$rc" != 0 ] && printf '%s\n' "$out" | grep -q 'myship' ||
    ms_fail "cron entry with the timer disabled did not run myship (rc $rc: $out)"
in_root systemctl -q enable myship.timer || ms_fail "systemctl enable"

# The installed completion, with the installed binary.
got=$(in_root bash -c '. /usr/share/bash-completion/completions/myship
	COMP_WORDS=(myship re); COMP_CWORD=1; _myship; echo "${COMPREPLY[*]}"')
ms_assert_eq "$got" "restore" "installed completion of 'myship re'"

# remove keeps the policy (a conffile), purge removes it.
in_root dpkg -r myship >/dev/null 2>&1 || ms_fail "dpkg -r failed"
[ ! -e "$R/usr/sbin/myship" ] || ms_fail "the binary survived dpkg -r"
[ -f "$R/etc/myship/myship.ini" ] || ms_fail "dpkg -r removed the policy"
in_root dpkg -P myship >/dev/null 2>&1 || ms_fail "dpkg -P failed"
[ ! -e "$R/etc/myship/myship.ini" ] || ms_fail "dpkg -P left the policy"
[ ! -e "$R/etc/cron.d/myship" ] || ms_fail "dpkg -P left the cron entry"
[ ! -e "$R/etc/systemd/system/timers.target.wants/myship.timer" ] ||
    ms_fail "dpkg -P left the timer enabled"
echo "package: installed, checked, removed and purged in a Debian 12 chroot"
