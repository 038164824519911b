#!/bin/sh
# myship list: complete backups with the manifest's start, duration and
# size; a backup without manifest is "incomplete" and one whose manifest
# does not parse is "damaged", never shown as good; --host, --json, junk in
# the repository ignored.  Needs no server: the repository is built by hand.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir

cat >"$T/policy.ini" <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock
[host h]
host = 127.0.0.1
user = root
EOP
chmod 600 "$T/policy.ini"

# An empty (even missing) repository lists nothing.
ms_myship -c "$T/policy.ini" list --json >"$T/empty.json"
ms_assert_eq "$MS_RC" 0 "list exit on a missing repository"
ms_assert_eq "$(cat "$T/empty.json")" "[]" "json of an empty repository"

umask 077
good=$T/repo/h/20240101T000000Z
mkdir -p "$good" "$T/repo/h/20240102T000000Z" "$T/repo/other/20240103T000000Z" \
    "$T/repo/bad host/20240104T000000Z" "$T/repo/h/not-an-id"
sed -e 's/^started = .*/started = 2024-01-01T00:00:05Z/' \
    -e 's/^duration = .*/duration = 75.000/' \
    -e 's/^archive_bytes = .*/archive_bytes = 2048/' \
    "$top_srcdir/tests/fuzz/corpus/manifest/small.ini" >"$good/manifest.ini"
head -c 2048 /dev/zero >"$good/backup.tar"
head -c 1000 /dev/zero >"$T/repo/h/20240102T000000Z/backup.tar.partial"
printf '[backup]\nformat = 99\n' >"$T/repo/other/20240103T000000Z/manifest.ini"
: >"$T/repo/README"

ms_myship -c "$T/policy.ini" list >"$T/list.out"
ms_assert_eq "$MS_RC" 0 "list exit status"
cat "$T/list.out"
ms_assert_eq "$(wc -l <"$T/list.out")" 4 "header and three backups"
grep -q '^ID  *HOST  *STARTED (UTC)  *DURATION  *SIZE  *STATE$' "$T/list.out" ||
    ms_fail "header line"
grep -q '^20240101T000000Z  *h  *2024-01-01 00:00:05  *1m15s  *2.0 KiB  *complete$' \
    "$T/list.out" || ms_fail "complete backup line"
grep -q '^20240102T000000Z  *h  *2024-01-02 00:00:00  *-  *-  *incomplete$' \
    "$T/list.out" || ms_fail "incomplete backup line"
grep -q '^20240103T000000Z  *other  .*damaged$' "$T/list.out" ||
    ms_fail "damaged backup line"
grep -q 'manifest other/20240103T000000Z/manifest.ini:2: unsupported manifest format 99' \
    "$T/myship.err.last" ||
    ms_fail "warning about the damaged manifest"

json()
{
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
ms_myship -c "$T/policy.ini" list --json --host h >"$T/list.json"
ms_assert_eq "$MS_RC" 0 "list --json exit status"
cat "$T/list.json"
ms_assert_eq "$(json 'len(d), d[0]["id"], d[0]["host"], d[0]["started"], d[0]["duration_seconds"], d[0]["bytes"], d[0]["state"]' <"$T/list.json")" \
    "(2, '20240101T000000Z', 'h', '2024-01-01T00:00:05Z', 75.0, 2048, 'complete')" \
    "json of the complete backup"
ms_assert_eq "$(json 'd[1]["state"], d[1]["duration_seconds"], d[1]["bytes"]' <"$T/list.json")" \
    "('incomplete', None, None)" "json of the incomplete backup"

ms_myship -c "$T/policy.ini" list --help >"$T/help.out"
ms_assert_eq "$MS_RC" 0 "list --help exit status"
grep -q '^usage: myship list' "$T/help.out" || ms_fail "list --help prints usage"
ms_myship -c "$T/policy.ini" list --bogus
ms_assert_eq "$MS_RC" 2 "list with an unknown option"
ms_myship -c "$T/policy.ini" list --host ../etc
ms_assert_eq "$MS_RC" 2 "list with an invalid host name"

# Listing changed nothing.
test -f "$T/repo/h/20240102T000000Z/backup.tar.partial" ||
    ms_fail "list touched a backup in progress"
echo "list: all checks passed"
