#!/bin/bash
# myship verify: backups re-read from the repository (local and S3) without
# any server: a good backup is ok (exit 0) with every member read; one byte
# changed in one data member is one line naming that member (exit 7), and
# restore refuses the same backup naming the same member before any of it
# runs; a missing archive is exit 7, an unknown id exit 8; --json.  On S3
# the archive is read by ranged GETs in parallel (--json ranges, workers),
# every byte of it once; a changed tar header byte is caught by the digest.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

mariadb_start A
mariadb_start B
ms_sql A "CREATE DATABASE v; USE v;
CREATE TABLE v.t1 (id INT PRIMARY KEY, s VARCHAR(200));
INSERT INTO v.t1 SELECT seq, CONCAT('row ', seq, REPEAT(SHA2(seq, 256), 2)) FROM seq_1_to_20000;
CREATE TABLE v.t2 (id INT PRIMARY KEY, n BIGINT);
INSERT INTO v.t2 SELECT seq, seq * 7 FROM seq_1_to_3000;
CREATE VIEW v.vw AS SELECT id FROM v.t2;"
ms_s3_start s3rver

policy() {	# repository [s3 section]
	cat <<EOP
[global]
repository = $1
lock_file = $T/myship.lock
[backup]
databases = v
chunk_size = 64K
$2
$(ms_policy_host A)
$(ms_policy_host B)
EOP
}
policy "$T/repo" "" >"$T/local.ini"
policy s3 "$(ms_policy_s3)" >"$T/s3.ini"

json() {	# expression [argv...]: evaluated with d, the document on stdin
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$@"
}

for p in local s3; do
	ms_myship -c "$T/$p.ini" -q backup --host A
	ms_assert_eq "$MS_RC" 0 "backup ($p)"
	ms_myship -c "$T/$p.ini" verify --host A >"$T/$p.out"
	cat "$T/$p.out"
	ms_assert_eq "$MS_RC" 0 "verify of a good backup ($p)"
	grep -q '^A/[0-9]\{8\}T[0-9]\{6\}Z: ok: [0-9]* members' "$T/$p.out" ||
	    ms_fail "no ok line ($p)"
	ms_myship -c "$T/$p.ini" verify latest --host A --json >"$T/$p.json"
	ms_assert_eq "$MS_RC" 0 "verify --json ($p)"
	ms_assert_eq "$(json 'd[0]["ok"], d[0]["members"] == d[0]["expected"], d[0]["members"] > 4, d[0]["damage"]' <"$T/$p.json")" \
	    "(True, True, True, [])" "verify --json of a good backup ($p)"
done
ms_assert_eq "$(json 'd[0]["ranges"], d[0]["workers"]' <"$T/local.json")" \
    "(0, 0)" "a local repository is read as one stream"
ms_assert_eq "$(json 'd[0]["ranges"] > 1, d[0]["workers"] == min(4, d[0]["ranges"])' <"$T/s3.json")" \
    "(True, True)" "S3 is read by ranges in parallel"
echo "S3 verify: $(json 'd[0]["ranges"], d[0]["workers"], d[0]["bytes"]' <"$T/s3.json") (ranges, workers, bytes)"
id=$(json 'd[0]["id"]' <"$T/local.json")
tar=$T/repo/A/$id/backup.tar

# One byte of one data member changed.
flip() {	# archive member: prints the member's name
	python3 - "$1" "$2" <<'PY'
import sys, tarfile
path, want = sys.argv[1], sys.argv[2]
with tarfile.open(path) as t:
    m = [m for m in t.getmembers() if m.name.startswith(want)][0]
off = m.offset_data + m.size // 2
with open(path, 'r+b') as f:
    f.seek(off)
    b = f.read(1)
    f.seek(off)
    f.write(bytes([b[0] ^ 0x01]))
print(m.name)
PY
}
member=$(flip "$tar" 1-data/v/t1/000002)
ms_myship -c "$T/local.ini" verify "$id" --host A >"$T/bad.out"
cat "$T/bad.out"
ms_assert_eq "$MS_RC" 7 "verify of a damaged backup"
ms_assert_eq "$(grep -c ': damaged: ' "$T/bad.out")" 1 "one line per damaged member"
grep -qF "A/$id: damaged: member $member: SHA-256 mismatch" "$T/bad.out" ||
    ms_fail "the damaged member is not named"
grep -q "DAMAGED: 1 problem, " "$T/bad.out" || ms_fail "no DAMAGED summary"
ms_myship -c "$T/local.ini" verify "$id" --host A --json >"$T/bad.json"
ms_assert_eq "$MS_RC" 7 "verify --json of a damaged backup"
ms_assert_eq "$(json 'd[0]["ok"], len(d[0]["damage"]), sys.argv[2] in d[0]["damage"][0]' "$member" <"$T/bad.json")" \
    "(False, 1, True)" "verify --json names the damaged member"

# restore refuses it, naming the same member, and runs none of its rows.
ms_myship -c "$T/local.ini" restore "$id" --host A --target B
ms_assert_eq "$MS_RC" 7 "restore of a damaged backup"
grep -qF "member $member: SHA-256 mismatch" "$T/myship.err.last" ||
    ms_fail "restore does not name the damaged member"

# The same on S3: the object replaced by a damaged copy.
sid=$(json 'd[0]["id"]' <"$T/s3.json")
ms_aws s3 cp "s3://$S3_BUCKET/A/$sid/backup.tar" "$T/s3.tar" >/dev/null
ms_assert_eq "$(json 'd[0]["bytes"]' <"$T/s3.json")" "$(stat -c %s "$T/s3.tar")" \
    "the ranges read the S3 archive's every byte once"
cp "$T/s3.tar" "$T/s3good.tar"
smember=$(flip "$T/s3.tar" 1-data/v/t2/)
ms_aws s3 cp "$T/s3.tar" "s3://$S3_BUCKET/A/$sid/backup.tar" >/dev/null
ms_myship -c "$T/s3.ini" verify --host A >"$T/s3bad.out"
cat "$T/s3bad.out"
ms_assert_eq "$MS_RC" 7 "verify of a damaged backup on S3"
grep -qF "A/$sid: damaged: member $smember: SHA-256 mismatch" "$T/s3bad.out" ||
    ms_fail "the damaged member on S3 is not named"
ms_assert_eq "$(grep -c ': damaged: ' "$T/s3bad.out")" 1 "one line for the damaged member on S3"

# A tar header byte (a member's mtime) changed: only the digest sees it.
python3 - "$T/s3good.tar" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    m = [m for m in t.getmembers() if m.name.startswith('1-data/v/t1/')][3]
with open(sys.argv[1], 'r+b') as f:
    f.seek(m.offset + 137)
    b = f.read(1)
    f.seek(m.offset + 137)
    f.write(b'1' if b != b'1' else b'2')
PY
ms_aws s3 cp "$T/s3good.tar" "s3://$S3_BUCKET/A/$sid/backup.tar" >/dev/null
ms_myship -c "$T/s3.ini" verify --host A >"$T/s3hdr.out"
cat "$T/s3hdr.out"
ms_assert_eq "$MS_RC" 7 "verify of a changed tar header on S3"
grep -qF "A/$sid: damaged: archive A/$sid/backup.tar is damaged outside its members" "$T/s3hdr.out" ||
    ms_fail "a changed tar header on S3 is not caught"

# No archive at all; no such backup; a host without backups.
rm "$tar"
ms_myship -c "$T/local.ini" verify "$id" --host A >"$T/missing.out"
ms_assert_eq "$MS_RC" 7 "verify without the archive"
grep -q "^A: DAMAGED: backup A/$id: its archive backup.tar is missing" "$T/missing.out" ||
    ms_fail "a missing archive is not named"
ms_myship -c "$T/local.ini" verify 20200101T000000Z --host A
ms_assert_eq "$MS_RC" 8 "verify of an unknown id"
ms_myship -c "$T/s3.ini" verify --host A --host B >"$T/two.out"
ms_assert_eq "$MS_RC" 7 "damage decides over a host without backups"
grep -q "no complete backup B/latest" "$T/myship.err" ||
    ms_fail "the host without backups is not named"
echo "verify: ok, damaged members named (local $member, S3 $smember), missing archive, unknown id"
