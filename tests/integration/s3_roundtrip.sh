#!/bin/bash
# Backup to S3 and restore from S3, against the S3 test server and Ceph's
# radosgw (a real S3 implementation): the hard-case fixture plus
# incompressible rows (12 MiB), with 5 MiB parts, so the archive is a
# multipart upload of several parts.  check finds the bucket writable and
# leaves nothing behind; the object must have the S3 multipart ETag of
# those parts; the Debian aws CLI must list it and download it byte for
# byte as the manifest describes it (size, SHA-256); list shows it
# complete and an archive without manifest incomplete; the restore into a
# second server must give identical databases; no multipart upload stays.
# The policy says what users type: prefix = /nightly/db/ (keys
# nightly/db/HOST/...), and no path_style with an endpoint of 127.0.0.1.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
[ -x /usr/bin/aws ] || ms_skip "/usr/bin/aws (Debian awscli) not installed"
FP="python3 $top_srcdir/tests/integration/fingerprint.py"

mariadb_start A
mariadb_start B
ms_sql A <"$MS_HARDCASE" >/dev/null
ms_sql A "CREATE DATABASE myship_bulk; CREATE TABLE myship_bulk.r
    (id INT PRIMARY KEY, b VARBINARY(1024)) ENGINE=InnoDB;
    USE myship_bulk; INSERT INTO r SELECT seq, RANDOM_BYTES(1024)
    FROM seq_1_to_12000;"
for db in myship_hard myship_bulk; do
	$FP "$A_CNF" "$db" >"$T/$db.orig" 2>/dev/null
done

policy()
{
	cat <<EOP
[global]
repository = s3
lock_file = $T/myship.lock

[backup]
databases = myship_hard myship_bulk
threads = 2
chunk_size = 256K

$(ms_policy_s3 | grep -v '^path_style')
prefix = /nightly/db/
part_size = 5M
parallel_uploads = 3
retries = 2

$(ms_policy_host A)
$(ms_policy_host B)
EOP
}

# Parts of 5 MiB: the ETag is md5(md5(part 1) .. md5(part N))-N; the
# download has the size and SHA-256 the manifest records.
check_download()
{
	python3 - "$1/backup.tar" "$1/head.json" "$1/manifest.ini" <<'PY'
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
# The archive digest (stream/digest.h), computed apart: the tar with
# each member's body replaced by the 32 bytes of its SHA-256.
import io, tarfile
skel, pos = b"", 0
for ti in tarfile.open(fileobj=io.BytesIO(data)):
    body = data[ti.offset_data:ti.offset_data + ti.size]
    skel += data[pos:ti.offset_data] + hashlib.sha256(body).digest()
    pos = ti.offset_data + ti.size
sha = hashlib.sha256(skel + data[pos:]).hexdigest()
if "archive_digest = " + sha not in man or \
        not re.search(r"\b%d\b" % len(data), man):
    sys.exit("the download (%d bytes, digest %s) is not what the manifest "
             "describes" % (len(data), sha))
print("parts %d etag %s" % (len(parts), etag))
PY
}

roundtrip()
{
	local srv=$1 d=$T/$1 id key db
	mkdir -p "$d"
	policy >"$d/policy.ini"

	ms_myship -c "$d/policy.ini" check --host A >"$d/check.out"
	ms_assert_eq "$MS_RC" 0 "$srv: check exit status"
	grep -q "^repository s3://$S3_BUCKET/nightly/db: ok (writable)" \
	    "$d/check.out" || ms_fail "$srv: check: $(cat "$d/check.out")"

	ms_myship -c "$d/policy.ini" backup --host A
	ms_assert_eq "$MS_RC" 0 "$srv: backup exit status"
	ms_myship -c "$d/policy.ini" list --host A --json >"$d/list.json"
	ms_assert_eq "$MS_RC" 0 "$srv: list exit status"
	id=$(python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
v = d if isinstance(d, list) else d.get("backups", d)
assert len(v) == 1 and v[0]["state"] == "complete", v
print(v[0]["id"])' "$d/list.json") ||
	    ms_fail "$srv: list: not one complete backup: $(cat "$d/list.json")"

	# The aws CLI sees what myship wrote, and nothing else: check
	# removed its test object.
	key=nightly/db/A/$id
	ms_aws s3 ls --recursive "s3://$S3_BUCKET/" >"$d/ls.txt" ||
	    ms_fail "$srv: aws s3 ls failed"
	ms_assert_eq "$(awk '{print $4}' "$d/ls.txt" | sort | tr '\n' ' ')" \
	    "$key/backup.tar $key/manifest.ini " "$srv: objects in the bucket"
	ms_aws s3 cp --quiet "s3://$S3_BUCKET/$key/backup.tar" \
	    "$d/backup.tar" || ms_fail "$srv: aws s3 cp (download) failed"
	ms_aws s3 cp --quiet "s3://$S3_BUCKET/$key/manifest.ini" \
	    "$d/manifest.ini" || ms_fail "$srv: aws s3 cp of the manifest failed"
	ms_aws s3api head-object --bucket "$S3_BUCKET" \
	    --key "$key/backup.tar" >"$d/head.json" ||
	    ms_fail "$srv: aws s3api head-object failed"
	check_download "$d" ||
	    ms_fail "$srv: downloaded archive does not match ETag or manifest"
	tar -tf "$d/backup.tar" >/dev/null || ms_fail "$srv: the download is not a tar"

	# An archive without a manifest is listed, as incomplete.
	ms_aws s3 cp --quiet "$d/manifest.ini" \
	    "s3://$S3_BUCKET/nightly/db/A/20240101T000000Z/backup.tar" ||
	    ms_fail "$srv: aws s3 cp (upload) failed"
	ms_myship -c "$d/policy.ini" list --host A >"$d/list.out"
	ms_assert_eq "$MS_RC" 0 "$srv: list exit status"
	grep -q "^20240101T000000Z  *A  .*incomplete\$" "$d/list.out" ||
	    ms_fail "$srv: list: $(cat "$d/list.out")"
	grep -q "^$id  *A  .*complete\$" "$d/list.out" ||
	    ms_fail "$srv: list: $(cat "$d/list.out")"

	# Restore from S3 into B, same names.
	ms_sql B "DROP DATABASE IF EXISTS myship_hard;
	    DROP DATABASE IF EXISTS myship_bulk"
	ms_myship -c "$d/policy.ini" restore "$id" --host A --target B
	ms_assert_eq "$MS_RC" 0 "$srv: restore from S3 exit status"
	for db in myship_hard myship_bulk; do
		$FP "$B_CNF" "$db" >"$d/$db.copy" 2>/dev/null ||
		    ms_fail "$srv: $db: not restored on B"
		diff "$T/$db.orig" "$d/$db.copy" >"$d/$db.diff" ||
		    ms_fail "$srv: $db: the restored copy differs ($d/$db.diff)"
	done
	# No multipart upload left behind.
	ms_aws s3api list-multipart-uploads --bucket "$S3_BUCKET" \
	    >"$d/uploads.json" || ms_fail "$srv: list-multipart-uploads failed"
	! grep -q UploadId "$d/uploads.json" ||
	    ms_fail "$srv: multipart uploads left: $(cat "$d/uploads.json")"
	if [ -n "$S3_CONTROL" ]; then
		s3_control stats | grep -q '"uploads":\[\]' ||
		    ms_fail "$srv: multipart uploads left"
	fi
	ms__log "$srv: round trip of $id ok"
}

for srv in $(ms_s3_servers); do
	ms_s3_start "$srv"
	roundtrip "$srv"
done
exit 0
