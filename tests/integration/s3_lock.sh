#!/bin/bash
# S3 features the test server lacks, against Ceph's radosgw only (one
# start; deliberately outside the MS_S3 matrix: s3rver has no SSE, no
# versioning and no Object Lock, so MS_S3=s3rver does not skip it).
# 1. Object Lock (a bucket created with it): two backups with
#    object_lock_days = 1, in governance then compliance mode, carry that
#    retention (get-object-retention), the multipart archive too;
#    prune with keep_last = 1 keeps the older one, reported retained until
#    the date, exit 0; with a clock (--now) past the date the server's
#    refusal of the DELETE is reported retained too, and nothing is lost.
# 2. Versioning (an unlocked bucket with it Enabled): prune of an old and
#    of an incomplete backup leaves no version and no delete marker of
#    them; check leaves no version of its test object.
# 3. SSE-KMS (radosgw's test key store): a multipart archive (5 MiB parts)
#    and the manifest are stored encrypted with the key asked for
#    (head-object) and restore to identical data; sse = AES256, which
#    radosgw 16 (Pacific) accepts but ignores, fails with exit 6 and one
#    line naming the object and the header, leaving nothing behind.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
[ -x /usr/bin/aws ] || ms_skip "/usr/bin/aws (Debian awscli) not installed"
FP="python3 $top_srcdir/tests/integration/fingerprint.py"

mariadb_start A
ms_sql A "CREATE DATABASE shop; CREATE TABLE shop.r
    (id INT PRIMARY KEY, b VARBINARY(1024)) ENGINE=InnoDB;
    USE shop; INSERT INTO r SELECT seq, RANDOM_BYTES(1024) FROM seq_1_to_7000;"
$FP "$A_CNF" shop >"$T/shop.orig" 2>/dev/null
rgw_start
B0=$S3_BUCKET

# policy BUCKET [s3 lines...]
policy()
{
	local b=$1
	shift
	cat <<EOP
[global]
repository = s3
lock_file = $T/myship.lock
[backup]
databases = shop
[retention]
keep_last = 1
$(S3_BUCKET=$b ms_policy_s3)
part_size = 5M
retries = 1
$(printf '%s\n' "$@")
$(ms_policy_host A)
EOP
}

ids()
{
	ms_myship -c "$1" list --host A --json >"$T/list.json"
	ms_assert_eq "$MS_RC" 0 "list exit status"
	python3 -c 'import json, sys
d = json.load(sys.stdin)
rows = d["backups"] if isinstance(d, dict) else d
print(" ".join(sorted(b["id"] + ("" if b["state"] == "complete" else "!")
    for b in rows)))' <"$T/list.json"
}

# versions BUCKET PREFIX: "V D", the versions and delete markers under it.
versions()
{
	ms_aws s3api list-object-versions --bucket "$1" --prefix "$2" \
	    >"$T/versions.json" || ms_fail "list-object-versions failed"
	python3 -c 'import json, sys
t = sys.stdin.read().strip()
d = json.loads(t) if t else {}
print(len(d.get("Versions", [])), len(d.get("DeleteMarkers", [])))' \
	    <"$T/versions.json"
}

# --- 1. Object Lock
BL=myship-locked
ms_aws s3api create-bucket --bucket "$BL" --object-lock-enabled-for-bucket \
    >/dev/null || ms_fail "create-bucket with Object Lock failed"
P=$T/lock.ini
# The first backup in governance mode, the second in compliance (the
# default).
for mode in governance compliance; do
	policy "$BL" "object_lock_days = 1" "object_lock_mode = $mode" >"$P"
	ms_myship -c "$P" backup --host A
	ms_assert_eq "$MS_RC" 0 "backup into the locked bucket ($mode)"
	sleep 1
done
all=$(ids "$P")
old=${all%% *}
new=${all##* }
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
for b in "$old GOVERNANCE" "$new COMPLIANCE"; do
	for o in backup.tar manifest.ini; do
		k=A/${b%% *}/$o
		ms_aws s3api get-object-retention --bucket "$BL" --key "$k" \
		    >"$T/ret.json" || ms_fail "get-object-retention $k failed"
		ms_assert_eq "$(python3 -c 'import json, sys
r = json.load(sys.stdin)["Retention"]
print(r["Mode"], r["RetainUntilDate"][:10])' <"$T/ret.json")" \
		    "${b#* } $tomorrow" "$k retention"
	done
done
ms_myship -c "$P" prune >"$T/prune.out"
cat "$T/prune.out"
ms_assert_eq "$MS_RC" 0 "prune of the locked bucket"
grep -q "^  $old .* retain  retained by the bucket's lock until $tomorrow" \
    "$T/prune.out" || ms_fail "the locked backup is not reported retained"
ms_assert_eq "$(ids "$P")" "$all" "backups left in the locked bucket"

# Three days on (--now), myship's clock says the lock has passed but the
# server's does not: the DELETE is refused (AccessDenied), reported
# retained, exit 0, and nothing of the backup is gone.
ms_myship -c "$P" --now "$(( $(date +%s) + 3 * 86400 ))" prune >"$T/prune.out"
cat "$T/prune.out"
ms_assert_eq "$MS_RC" 0 "prune of a backup the server still locks"
grep -q "^  $old  *retained by the bucket's lock: a retention lock protects .*AccessDenied" \
    "$T/prune.out" || ms_fail "the refused DELETE is not reported retained"
ms_assert_eq "$(ids "$P")" "$all" "backups left after the refused DELETE"
ms_assert_eq "$(versions "$BL" "A/$old/")" "2 0" \
    "versions of the locked backup"

# --- 2. Versioning without a lock
BV=myship-versioned
ms_aws s3api create-bucket --bucket "$BV" >/dev/null ||
    ms_fail "create-bucket $BV failed"
ms_aws s3api put-bucket-versioning --bucket "$BV" \
    --versioning-configuration Status=Enabled ||
    ms_fail "put-bucket-versioning failed"
P=$T/versioned.ini
policy "$BV" >"$P"
ms_myship -c "$P" check --host A >/dev/null
ms_assert_eq "$MS_RC" 0 "check of the versioned bucket"
ms_assert_eq "$(versions "$BV" .myship-check)" "0 0" \
    "versions of check's test object"
for i in 1 2; do
	ms_myship -c "$P" backup --host A
	ms_assert_eq "$MS_RC" 0 "backup $i into the versioned bucket"
	sleep 1
done
all=$(ids "$P")
old=${all%% *}
new=${all##* }
# A leftover: an archive without its manifest, overwritten once.
for i in 1 2; do
	ms_aws s3 cp --quiet "$T/shop.orig" \
	    "s3://$BV/A/20240101T000000Z/backup.tar" || ms_fail "aws s3 cp failed"
done
ms_assert_eq "$(versions "$BV" A/20240101T000000Z/)" "2 0" "leftover versions"
ms_myship -c "$P" --now "$(( $(date +%s) + 2 * 86400 ))" prune >"$T/prune.out"
cat "$T/prune.out"
ms_assert_eq "$MS_RC" 0 "prune of the versioned bucket"
ms_assert_eq "$(versions "$BV" "A/$old/")" "0 0" "versions of the pruned backup"
ms_assert_eq "$(versions "$BV" A/20240101T000000Z/)" "0 0" \
    "versions of the pruned leftover"
ms_assert_eq "$(versions "$BV" "A/$new/")" "2 0" "versions of the kept backup"
ms_assert_eq "$(ids "$P")" "$new" "backups left in the versioned bucket"
# --- 3. SSE-KMS
P=$T/sse.ini
policy "$B0" "sse = aws:kms" "sse_kms_key_id = $RGW_KMS_KEY" >"$P"
ms_myship -c "$P" backup --host A
ms_assert_eq "$MS_RC" 0 "backup with sse = aws:kms"
id=$(ids "$P")
for o in backup.tar manifest.ini; do
	ms_aws s3api head-object --bucket "$B0" --key "A/$id/$o" \
	    >"$T/head.json" || ms_fail "head-object A/$id/$o failed"
	ms_assert_eq "$(python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d.get("ServerSideEncryption"), d.get("SSEKMSKeyId"))' <"$T/head.json")" \
	    "aws:kms $RGW_KMS_KEY" "A/$id/$o encryption"
done
# The archive went as a multipart upload (over 5 MiB in 5 MiB parts).
ms_aws s3api head-object --bucket "$B0" --key "A/$id/backup.tar" \
    >"$T/head.json" || ms_fail "head-object of the archive failed"
python3 -c 'import json, sys
d = json.load(sys.stdin)
sys.exit(d["ContentLength"] <= 5 << 20)' <"$T/head.json" ||
    ms_fail "the SSE-KMS archive is not a multipart upload"
ms_sql A "DROP DATABASE shop"
ms_myship -c "$P" restore "$id" --host A
ms_assert_eq "$MS_RC" 0 "restore of the SSE-KMS backup"
$FP "$A_CNF" shop >"$T/shop.copy" 2>/dev/null || ms_fail "shop not restored"
diff "$T/shop.orig" "$T/shop.copy" >/dev/null ||
    ms_fail "the restored SSE-KMS copy differs"

policy "$B0" "sse = AES256" >"$T/aes.ini"
ms_myship -c "$T/aes.ini" backup --host A
ms_assert_eq "$MS_RC" 6 "backup with sse = AES256 on radosgw Pacific"
refusal=$(cat "$T/myship.err.last")
grep -q "refused the encryption header \"x-amz-server-side-encryption: AES256\"" \
    "$T/myship.err.last" || ms_fail "AES256 refusal not explained"
grep -q "s3 [A-Z]* s3://$B0/A/[0-9TZ]*/backup.tar: " "$T/myship.err.last" ||
    ms_fail "AES256 refusal does not name the object"
ms_assert_eq "$(grep -c . "$T/myship.err.last")" 1 "lines of the AES256 refusal"
# Nothing of it is left: no backup, no multipart upload.
ms_assert_eq "$(ids "$P")" "$id" "backups after the AES256 refusal"
ms_aws s3api list-multipart-uploads --bucket "$B0" >"$T/uploads.json" ||
    ms_fail "list-multipart-uploads failed"
! grep -q UploadId "$T/uploads.json" || ms_fail "AES256: an upload is left"
ms__log "SSE-KMS round trip of $id ok; AES256 refused: $refusal"

exit 0
