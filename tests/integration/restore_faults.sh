#!/bin/bash
# Restore faults: damaged, truncated, hostile and incomplete backups are
# refused with exit 7 and one line naming what is wrong; an occupied target
# needs --force (11 without); --dry-run changes nothing; unknown ids and
# databases are 8.  Each damaged backup is a copy of a good one under an
# older id, so the good backup must come through every case intact: still
# listed complete and restorable, with the same data.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
mariadb_start A
ms_sql A "CREATE DATABASE shop; USE shop;
    CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(200));
    INSERT INTO shop.t SELECT seq, CONCAT('row ', seq, REPEAT('x', 90))
        FROM seq_1_to_6000;
    CREATE TABLE shop.u (id INT PRIMARY KEY, b BLOB);
    INSERT INTO shop.u SELECT seq, RANDOM_BYTES(64) FROM seq_1_to_500;
    CREATE VIEW shop.w AS SELECT COUNT(*) AS n FROM shop.t;"

cat >"$T/policy.ini" <<EOF
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = shop
chunk_size = 64K
compression_level = 3

$(ms_policy_host A)
EOF
P="-c $T/policy.ini"

ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup exit status"
good=$(ls "$T/repo/A")
sum() {	# db: the checksums of both tables, one line
	ms_sql A "CHECKSUM TABLE \`$1\`.t, \`$1\`.u" | awk '{print $2}' | tr '\n' ' '
}
want=$(sum shop)

# mkcase: id = a copy of the good backup under an older id, so `latest`
# stays the good one.
n=0
mkcase() {
	n=$((n + 1))
	id=$(printf '20000101T0000%02dZ' "$n")
	cp -a "$T/repo/A/$good" "$T/repo/A/$id"
	sed -i "s/^id = $good\$/id = $id/" "$T/repo/A/$id/manifest.ini"
}
# offset FILE MEMBER: where the member's data starts in the tar.
offset() {
	python3 -c 'import sys, tarfile
t = tarfile.open(sys.argv[1])
m = [x for x in t if x.name == sys.argv[2]][0]
print(m.offset_data, m.size)' "$1" "$2"
}

fails=0
# expect CODE "what" PATTERN ARGS...: exit status, and the last stderr line
# is one "myship: " error containing PATTERN (a fixed string).
expect() {
	local code=$1 what=$2 pat=$3 last
	shift 3
	"$MYSHIP" "$@" >"$T/out" 2>"$T/err" && rc=0 || rc=$?
	last=$(tail -n 1 "$T/err")
	printf 'restore_faults: %-30s exit %-3s %s\n' "$what" "$rc" "$last"
	if [ "$rc" != "$code" ]; then
		echo "restore_faults: FAIL: $what: exit $rc, expected $code" >&2
		fails=$((fails + 1))
	elif [ "$(grep -c '^myship: ' "$T/err")" != 1 ] ||
	    ! printf '%s\n' "$last" | grep -qF -- "$pat"; then
		echo "restore_faults: FAIL: $what: want one error line with" \
		    "\"$pat\"" >&2
		sed 's/^/    stderr: /' "$T/err" >&2
		fails=$((fails + 1))
	fi
	return 0
}

member=1-data/shop/t/000002.sql.zst
# One byte flipped in the middle of a data member.
mkcase
set -- $(offset "$T/repo/A/$id/backup.tar" "$member")
python3 -c 'import sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2])); b = f.read(1)
f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0x10]))' \
    "$T/repo/A/$id/backup.tar" $(($1 + $2 / 2))
expect 7 "one byte flipped in a chunk" "member $member" \
    $P restore "$id" --host A --database shop:c_flip

# One byte flipped in the schema member (covered by its zstd checksum).
mkcase
set -- $(offset "$T/repo/A/$id/backup.tar" 0-schema/shop.sql.zst)
python3 -c 'import sys
f = open(sys.argv[1], "r+b"); f.seek(int(sys.argv[2])); b = f.read(1)
f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0x01]))' \
    "$T/repo/A/$id/backup.tar" $(($1 + $2 / 2))
expect 7 "one byte flipped in the schema" "member 0-schema/shop.sql.zst" \
    $P restore "$id" --host A --database shop:c_flip2
[ -z "$(ms_sql A "SHOW DATABASES LIKE 'c\\_flip2'")" ] ||
    ms_fail "a damaged schema member ran"

# Truncated inside a data member.
mkcase
set -- $(offset "$T/repo/A/$id/backup.tar" "$member")
truncate -s $(($1 + $2 / 2)) "$T/repo/A/$id/backup.tar"
expect 7 "truncated in a chunk" "member $member" \
    $P restore "$id" --host A --database shop:c_trunc

# A member named ../x, and one the manifest does not list.
for bad in ../x 1-data/shop/t/999999.sql.zst; do
	mkcase
	python3 -c 'import io, sys, tarfile
src, dst, name = sys.argv[1:4]
t = tarfile.open(src)
out = tarfile.open(dst, "w", format=tarfile.PAX_FORMAT)
for m in t:
	out.addfile(m, t.extractfile(m))
m = tarfile.TarInfo(name); m.size = 3
out.addfile(m, io.BytesIO(b"bad"))
out.close()' "$T/repo/A/$good/backup.tar" "$T/repo/A/$id/backup.tar" "$bad"
	expect 7 "a member named $bad" "$bad" \
	    $P restore "$id" --host A --database shop:c_hostile$n
done

# A member the manifest lists is missing from the archive.
mkcase
python3 -c 'import sys, tarfile
src, dst, skip = sys.argv[1:4]
t = tarfile.open(src)
out = tarfile.open(dst, "w", format=tarfile.PAX_FORMAT)
for m in t:
	if m.name != skip:
		out.addfile(m, t.extractfile(m))
out.close()' "$T/repo/A/$good/backup.tar" "$T/repo/A/$id/backup.tar" "$member"
expect 7 "a member missing" "member $member listed in the manifest is missing" \
    $P restore "$id" --host A --database shop:c_missing

# No manifest: incomplete, refused before anything runs.
mkcase
rm "$T/repo/A/$id/manifest.ini"
expect 7 "no manifest" "backup A/$id is incomplete (no manifest)" \
    $P restore "$id" --host A --database shop:c_nomanifest

# Unknown id, unknown database: 8.
expect 8 "unknown id" "A/19990101T000000Z" \
    $P restore 19990101T000000Z --host A --database shop:c_x
expect 8 "unknown database" "database nosuch is not in backup" \
    $P restore latest --host A --database nosuch:c_x

# --dry-run: prints the plan, changes nothing.
before=$(ms_sql A "SHOW DATABASES")
"$MYSHIP" $P restore latest --host A --database shop:c_dry --dry-run \
    >"$T/dry" 2>"$T/dry.err" || ms_fail "dry run failed: $(cat "$T/dry.err")"
grep -q "database shop as c_dry: 2 tables, 6500 rows" "$T/dry" ||
    ms_fail "dry run output: $(cat "$T/dry")"
grep -q "table t: 6000 rows" "$T/dry" || ms_fail "dry run: no table line"
ms_assert_eq "$(ms_sql A "SHOW DATABASES")" "$before" "databases after --dry-run"

# An occupied target: 11 without --force (also for --dry-run), replaced with it.
expect 11 "target not empty" "database shop on host A exists and is not empty" \
    $P restore latest --host A
expect 11 "target not empty, dry run" "database shop on host A" \
    $P restore latest --host A --dry-run
ms_sql A "CREATE DATABASE c_force; CREATE TABLE c_force.junk (i INT)"
ms_myship $P -q restore latest --host A --database shop:c_force --force
ms_assert_eq "$MS_RC" 0 "restore --force"
ms_assert_eq "$(sum c_force)" "$want" "data after --force"
ms_assert_eq "$(ms_sql A "SHOW TABLES FROM c_force" | tr '\n' ' ')" "t u w " \
    "tables after --force"

# The good backup came through all of it.
ms_myship $P list --host A --json >"$T/list.json"
ms_assert_eq "$MS_RC" 0 "list after the failures"
python3 - "$T/list.json" "$good" <<'EOF' || ms_fail "$good not listed complete"
import json, sys
rows = json.load(open(sys.argv[1]))
if isinstance(rows, dict):
    rows = rows.get("backups", [])
sys.exit(0 if [r for r in rows if r.get("id") == sys.argv[2]
               and r.get("state") == "complete"] else 1)
EOF
ms_myship $P -q restore latest --host A --database shop:c_good --threads 3
ms_assert_eq "$MS_RC" 0 "restore of the good backup"
ms_assert_eq "$(sum c_good)" "$want" "data of the good backup"
ms_assert_eq "$(ms_sql A 'SELECT n FROM c_good.w')" 6000 "view of the good backup"
# Level 0 (plain .sql members) restores the same, and a flipped byte in a
# plain member is still caught by its SHA-256.
sed -e "s|^repository = .*|repository = $T/repo0|" \
    -e "s|^compression_level = .*|compression_level = 0|" \
    "$T/policy.ini" >"$T/plain.ini"
ms_myship -c "$T/plain.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "level 0 backup"
plain=$(ls "$T/repo0/A")
ms_myship -c "$T/plain.ini" -q restore "$plain" --host A \
    --database shop:c_plain --threads 2
ms_assert_eq "$MS_RC" 0 "restore of the level 0 backup"
ms_assert_eq "$(sum c_plain)" "$want" "data of the level 0 backup"
cp -a "$T/repo0/A/$plain" "$T/repo0/A/20000101T000000Z"
sed -i "s/^id = $plain\$/id = 20000101T000000Z/" \
    "$T/repo0/A/20000101T000000Z/manifest.ini"
set -- $(offset "$T/repo0/A/20000101T000000Z/backup.tar" \
    1-data/shop/t/000002.sql)
printf 'Z' | dd of="$T/repo0/A/20000101T000000Z/backup.tar" bs=1 \
    seek=$(($1 + $2 / 2)) conv=notrunc status=none
expect 7 "one byte changed, level 0" "member 1-data/shop/t/000002.sql" \
    -c "$T/plain.ini" restore 20000101T000000Z --host A --database shop:c_p2
# A plain schema member has no zstd checksum: its SHA-256 in the manifest
# must stop it before any of its statements runs.
cp -a "$T/repo0/A/$plain" "$T/repo0/A/20000102T000000Z"
sed -i "s/^id = $plain\$/id = 20000102T000000Z/" \
    "$T/repo0/A/20000102T000000Z/manifest.ini"
set -- $(offset "$T/repo0/A/20000102T000000Z/backup.tar" 0-schema/shop.sql)
printf 'Z' | dd of="$T/repo0/A/20000102T000000Z/backup.tar" bs=1 \
    seek=$(($1 + $2 / 2)) conv=notrunc status=none
expect 7 "one byte changed in a plain schema member" \
    "member 0-schema/shop.sql: SHA-256 mismatch" \
    -c "$T/plain.ini" restore 20000102T000000Z --host A --database shop:c_p3
[ -z "$(ms_sql A "SHOW DATABASES LIKE 'c\\_p3'")" ] ||
    ms_fail "a damaged plain schema member ran"
[ "$fails" = 0 ] || ms_fail "$fails restore fault checks failed"
echo "restore_faults: ok"
