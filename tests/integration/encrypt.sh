#!/bin/bash
# Client-side encryption: `myship keygen`; a backup with [backup]
# encrypt_to holds no readable SQL (members *.enc, no row text in the
# archive), the manifest names the key id; verify needs no key (checked as
# stored) and with the identity decrypts too; restore without the identity,
# or with another one, is refused in one line before the target is
# touched; with it the data comes back identical (fingerprint.py); a
# tampered byte is named by verify and by restore and none of it runs;
# `myship decrypt` gives the archive the stock tools restore; on S3 too.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077
FP="python3 $top_srcdir/tests/integration/fingerprint.py"

mariadb_start A
mariadb_start B
ms_sql A "CREATE DATABASE sec; USE sec;
CREATE TABLE t (id INT PRIMARY KEY, secret VARCHAR(100), b BLOB);
INSERT INTO t SELECT seq, CONCAT('TOPSECRET-', seq), UNHEX(SHA2(seq, 256)) FROM seq_1_to_30000;
CREATE TABLE small (id INT PRIMARY KEY, v TEXT);
INSERT INTO small VALUES (1, 'TOPSECRET-small');
CREATE VIEW vw AS SELECT id FROM small;
CREATE PROCEDURE p() SELECT 'TOPSECRET-body';"
ms_s3_start s3rver

ms_myship keygen "$T/key"
ms_assert_eq "$MS_RC" 0 "keygen"
ms_myship keygen "$T/other"
ms_assert_eq "$(stat -c %a "$T/key")" 600 "the identity's mode"
ms_myship keygen "$T/key"
ms_assert_eq "$MS_RC" 3 "keygen never writes over a key"
kid=$(sed -n 's/.*key-id-\([0-9a-f]*\)$/\1/p' "$T/key.pub")
[ ${#kid} = 16 ] || ms_fail "no key id in key.pub"

policy() {	# repository identity [s3 section]
	cat <<EOP
[global]
repository = $1
lock_file = $T/myship.lock
[backup]
databases = sec
chunk_size = 128K
encrypt_to = $T/key.pub
[restore]
$2
$3
$(ms_policy_host A)
$(ms_policy_host B)
EOP
}
policy "$T/repo" "" "" >"$T/nokey.ini"
policy "$T/repo" "identity_file = $T/key" "" >"$T/key.ini"
policy s3 "identity_file = $T/key" "$(ms_policy_s3)" >"$T/s3.ini"

ms_myship -c "$T/nokey.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "encrypted backup"
id=$(ls "$T/repo/A")
tar=$T/repo/A/$id/backup.tar
grep -q "^encrypted_to = $kid$" "$T/repo/A/$id/manifest.ini" ||
    ms_fail "the manifest does not name the key id"
! tar -tf "$tar" | grep -v '\.enc$' || ms_fail "a member is not encrypted"
! grep -aq TOPSECRET "$tar" || ms_fail "the archive holds readable rows"

# verify: no key needed; with the identity, decrypted too.
ms_myship -c "$T/nokey.ini" verify --host A >"$T/v1.out"
ms_assert_eq "$MS_RC" 0 "verify without the key"
grep -q ": ok: .*(encrypted: checked as stored, not decrypted)" "$T/v1.out" ||
    ms_fail "verify does not say it did not decrypt"
ms_myship -c "$T/key.ini" verify --host A >"$T/v2.out"
ms_assert_eq "$MS_RC" 0 "verify with the identity"
! grep -q "not decrypted" "$T/v2.out" || ms_fail "verify with the key did not decrypt"

# restore: refused without the identity or with another, before anything.
ms_myship -c "$T/nokey.ini" restore latest --host A --target B
ms_assert_eq "$MS_RC" 3 "restore without the identity"
grep -q "is encrypted (to key id $kid): give its identity" "$T/myship.err.last" ||
    ms_fail "no clear line without the identity"
ms_myship -c "$T/nokey.ini" restore latest --host A --target B --identity "$T/other"
ms_assert_eq "$MS_RC" 3 "restore with another identity"
grep -q "encrypted to key id $kid, not to the identity's" "$T/myship.err.last" ||
    ms_fail "no clear line for another identity"
ms_assert_eq "$(ms_sql B "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'sec'")" 0 \
    "nothing created by the refused restores"
chmod 644 "$T/key"
ms_myship -c "$T/key.ini" restore latest --host A --target B
ms_assert_eq "$MS_RC" 3 "an identity readable by others is refused"
chmod 600 "$T/key"
ms_myship -c "$T/key.ini" -q restore latest --host A --target B
ms_assert_eq "$MS_RC" 0 "restore with the identity"
$FP "$A_CNF" sec >"$T/a.fp"
$FP "$B_CNF" sec >"$T/b.fp"
cmp -s "$T/a.fp" "$T/b.fp" || { diff "$T/a.fp" "$T/b.fp" | head; ms_fail "restored copy differs"; }

# decrypt: the stock tools restore what it writes.
ms_myship -c "$T/key.ini" decrypt latest --host A >"$T/plain.tar"
ms_assert_eq "$MS_RC" 0 "decrypt"
! tar -tf "$T/plain.tar" | grep -q '\.enc$' || ms_fail "decrypt left .enc names"
ms_sql B "DROP DATABASE sec"
tar -xOf "$T/plain.tar" | zstd -dcq | ms_stock_client B client.cnf --binary-mode --comments ||
    ms_fail "the stock tools cannot restore the decrypted archive"
$FP "$B_CNF" sec >"$T/c.fp"
cmp -s "$T/a.fp" "$T/c.fp" || ms_fail "the stock-tools copy differs"

# Level 0: members .sql.enc, decrypted straight to SQL.
sed -e "s|^repository = .*|repository = $T/repo0|" \
    -e 's|^chunk_size = .*|&\ncompression_level = 0|' "$T/key.ini" >"$T/level0.ini"
ms_myship -c "$T/level0.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "encrypted backup at level 0"
tar -tf "$T/repo0/A/"*/backup.tar | grep -q '^1-data/sec/t/000001\.sql\.enc$' ||
    ms_fail "level 0 members are not named .sql.enc"
ms_myship -c "$T/level0.ini" decrypt latest --host A >"$T/plain0.tar"
ms_assert_eq "$MS_RC" 0 "decrypt at level 0"
ms_sql B "DROP DATABASE sec"
tar -xOf "$T/plain0.tar" | ms_stock_client B client.cnf --binary-mode --comments ||
    ms_fail "the stock tools cannot restore the decrypted level-0 archive"
$FP "$B_CNF" sec >"$T/e.fp"
cmp -s "$T/a.fp" "$T/e.fp" || ms_fail "the level-0 stock-tools copy differs"

# One changed byte: named by verify (with and without the key) and restore.
member=$(python3 - "$tar" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1]) as t:
    m = [m for m in t.getmembers() if m.name.startswith('1-data/sec/t/')][1]
with open(sys.argv[1], 'r+b') as f:
    f.seek(m.offset_data + m.size // 2); b = f.read(1)
    f.seek(m.offset_data + m.size // 2); f.write(bytes([b[0] ^ 1]))
print(m.name)
PY
)
for p in nokey key; do
	ms_myship -c "$T/$p.ini" verify --host A >"$T/bad.out"
	ms_assert_eq "$MS_RC" 7 "verify of a tampered member ($p)"
	grep -qF "damaged: member $member: SHA-256 mismatch" "$T/bad.out" ||
	    ms_fail "verify does not name the tampered member ($p)"
done
ms_sql B "DROP DATABASE sec"
ms_myship -c "$T/key.ini" restore latest --host A --target B
ms_assert_eq "$MS_RC" 7 "restore of a tampered member"
grep -qF "member $member: SHA-256 mismatch" "$T/myship.err.last" ||
    ms_fail "restore does not name the tampered member"

# The same backup through S3 (the key travels nowhere but the identity file).
ms_myship -c "$T/s3.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "encrypted backup to S3"
ms_myship -c "$T/s3.ini" verify --host A >"$T/s3v.out"
ms_assert_eq "$MS_RC" 0 "verify on S3 with the identity"
ms_sql B "DROP DATABASE IF EXISTS sec"
ms_myship -c "$T/s3.ini" -q restore latest --host A --target B
ms_assert_eq "$MS_RC" 0 "restore from S3 with the identity"
$FP "$B_CNF" sec >"$T/d.fp"
cmp -s "$T/a.fp" "$T/d.fp" || ms_fail "the copy restored from S3 differs"
echo "encrypt: key id $kid; verify, restore, decrypt and tamper checks passed, local and S3"
