#!/bin/bash
# Backup to S3 and restore from S3: the hard-case fixture plus
# incompressible rows (12 MiB), with 5 MiB parts, so the archive is a multipart
# upload of several parts.  The object must have the S3 multipart ETag of
# those parts; the Debian aws CLI must list it and download it byte for
# byte as the manifest describes it (size, SHA-256); the restore into a
# second server must give identical databases.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
[ -x /usr/bin/aws ] || ms_skip "/usr/bin/aws (Debian awscli) not installed"
FP="python3 $top_srcdir/tests/integration/fingerprint.py"

mariadb_start A
mariadb_start B
s3_start
ms_sql A <"$top_srcdir/tests/integration/hardcase.sql" >/dev/null
ms_sql A "CREATE DATABASE myship_bulk; CREATE TABLE myship_bulk.r
    (id INT PRIMARY KEY, b VARBINARY(1024)) ENGINE=InnoDB;
    USE myship_bulk; INSERT INTO r SELECT seq, RANDOM_BYTES(1024)
    FROM seq_1_to_12000;"

cat >"$T/policy.ini" <<EOF
[global]
repository = s3
lock_file = $T/myship.lock

[backup]
databases = myship_hard myship_bulk
threads = 2
chunk_size = 256K

$(ms_policy_s3)
prefix = nightly/db
part_size = 5M
parallel_uploads = 3
retries = 2

$(ms_policy_host A)
$(ms_policy_host B)
EOF

ms_myship -c "$T/policy.ini" backup --host A
ms_assert_eq "$MS_RC" 0 "backup exit status"
ms_myship -c "$T/policy.ini" list --host A --json >"$T/list.json"
ms_assert_eq "$MS_RC" 0 "list exit status"
id=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
v = d if isinstance(d, list) else d.get("backups", d)
print(v[0]["id"])' "$T/list.json") || ms_fail "list: no backup in $(cat "$T/list.json")"
grep -q '"complete"' "$T/list.json" || ms_fail "list: $id not complete"

# The aws CLI sees what myship wrote.
export AWS_CONFIG_FILE=$T/aws.cfg AWS_SHARED_CREDENTIALS_FILE=$T/aws.cred
printf '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n' \
    >"$AWS_CONFIG_FILE"
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >"$AWS_SHARED_CREDENTIALS_FILE"
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
key=nightly/db/A/$id
$AWS s3 ls --recursive "s3://$S3_BUCKET/nightly/" >"$T/ls.txt" ||
    ms_fail "aws s3 ls failed"
grep -q "$key/backup.tar\$" "$T/ls.txt" || ms_fail "aws does not list $key/backup.tar"
grep -q "$key/manifest.ini\$" "$T/ls.txt" || ms_fail "aws does not list the manifest"
$AWS s3 cp --quiet "s3://$S3_BUCKET/$key/backup.tar" "$T/backup.tar" ||
    ms_fail "aws s3 cp (download) failed"
$AWS s3 cp --quiet "s3://$S3_BUCKET/$key/manifest.ini" "$T/manifest.ini" ||
    ms_fail "aws s3 cp of the manifest failed"
$AWS s3api head-object --bucket "$S3_BUCKET" --key "$key/backup.tar" \
    >"$T/head.json" || ms_fail "aws s3api head-object failed"

# Parts of 5 MiB: the ETag is md5(md5(part 1) .. md5(part N))-N; the
# download has the size and SHA-256 the manifest records.
python3 - "$T/backup.tar" "$T/head.json" "$T/manifest.ini" <<'PY' ||
import hashlib, json, re, sys
data = open(sys.argv[1], "rb").read()
etag = json.load(open(sys.argv[2]))["ETag"].strip('"')
man = open(sys.argv[3]).read()
P = 5 << 20
parts = [data[i:i + P] for i in range(0, len(data), P)]
want = hashlib.md5(b"".join(hashlib.md5(p).digest() for p in parts)).hexdigest()
want += "-%d" % len(parts)
if len(parts) < 3:
    sys.exit("only %d parts: the test data is too small" % len(parts))
if etag != want:
    sys.exit("ETag %s, expected %s" % (etag, want))
sha = hashlib.sha256(data).hexdigest()
if sha not in man or not re.search(r"\b%d\b" % len(data), man):
    sys.exit("the download (%d bytes, sha256 %s) is not what the manifest "
             "describes" % (len(data), sha))
print("parts %d etag %s" % (len(parts), etag))
PY
    ms_fail "downloaded archive does not match ETag or manifest"
tar -tf "$T/backup.tar" >/dev/null || ms_fail "the download is not a tar"

# Restore from S3 into B, same names.
ms_myship -c "$T/policy.ini" restore "$id" --host A --target B
ms_assert_eq "$MS_RC" 0 "restore from S3 exit status"
for db in myship_hard myship_bulk; do
	$FP "$A_CNF" "$db" >"$T/$db.orig" 2>/dev/null
	$FP "$B_CNF" "$db" >"$T/$db.copy" 2>/dev/null ||
	    ms_fail "$db: not restored on B"
	diff "$T/$db.orig" "$T/$db.copy" >"$T/$db.diff" ||
	    ms_fail "$db: the restored copy differs ($T/$db.diff)"
done
# No multipart upload left behind.
s3_control stats | grep -q '"uploads":\[\]' || ms_fail "multipart uploads left"
exit 0
