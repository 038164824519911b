#!/bin/bash
# The harness itself: a private MariaDB answers over TCP with the password
# file, and the S3 test server behaves like S3 where myship depends on it
# (multipart ETag, abort, upload listing, faults), checked with awscli.
. "$top_srcdir/tests/lib.sh"
set -eu

mariadb_start A
ms_assert_eq "$(stat -c %a "$A_PASSFILE")" 600 "password file mode"
ms_assert_eq "$(ms_sql A 'SELECT @@log_bin, USER()')" \
    "$(printf '1\troot@127.0.0.1')" "binlog on, root over TCP"
# A wrong password must be refused: the password really is set.
MS_SQL_MAY_FAIL=1
if mariadb --no-defaults -h127.0.0.1 -P"$A_PORT" -uroot -pwrong \
    -e 'SELECT 1' >/dev/null 2>&1; then
	ms_fail "root logs in with a wrong password"
fi
MS_SQL_MAY_FAIL=0

s3_start
AWS=/usr/bin/aws
[ -x "$AWS" ] || AWS=$(command -v aws) || ms_skip "awscli not installed"
printf '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n' >"$T/aws.cfg"
export AWS_CONFIG_FILE=$T/aws.cfg AWS_SHARED_CREDENTIALS_FILE=/dev/null
export AWS_ACCESS_KEY_ID=$S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$S3_SECRET_KEY
export AWS_EC2_METADATA_DISABLED=true
api() { "$AWS" --endpoint-url "$S3_ENDPOINT" s3api "$@" --output text; }

# Multipart: 5 MiB + 1 MiB gives the S3 ETag md5(md5(p1)||md5(p2))-2.
head -c 5242880 /dev/urandom >"$T/p1"
head -c 1048576 /dev/urandom >"$T/p2"
up=$(api create-multipart-upload --bucket "$S3_BUCKET" --key a/obj \
    --query UploadId)
e1=$(api upload-part --bucket "$S3_BUCKET" --key a/obj --upload-id "$up" \
    --part-number 1 --body "$T/p1" --query ETag)
e2=$(api upload-part --bucket "$S3_BUCKET" --key a/obj --upload-id "$up" \
    --part-number 2 --body "$T/p2" --query ETag)
ms_assert_eq "$(api list-multipart-uploads --bucket "$S3_BUCKET" \
    --query 'Uploads[].UploadId')" "$up" "upload listed"
ms_assert_eq "$(api list-parts --bucket "$S3_BUCKET" --key a/obj \
    --upload-id "$up" --query 'Parts[].PartNumber')" "$(printf '1\t2')" \
    "parts listed"
printf '{"Parts":[{"PartNumber":1,"ETag":%s},{"PartNumber":2,"ETag":%s}]}' \
    "$e1" "$e2" >"$T/parts.json"
etag=$(api complete-multipart-upload --bucket "$S3_BUCKET" --key a/obj \
    --upload-id "$up" --multipart-upload "file://$T/parts.json" --query ETag)
want=$(python3 -c '
import hashlib, sys
d = b"".join(hashlib.md5(open(f, "rb").read()).digest() for f in sys.argv[1:])
print("\"%s-2\"" % hashlib.md5(d).hexdigest())' "$T/p1" "$T/p2")
ms_assert_eq "$etag" "$want" "multipart ETag"
ms_assert_eq "$(api head-object --bucket "$S3_BUCKET" --key a/obj \
    --query ETag)" "$want" "HEAD ETag after multipart"
api get-object --bucket "$S3_BUCKET" --key a/obj "$T/back" >/dev/null
cat "$T/p1" "$T/p2" | cmp - "$T/back" || ms_fail "multipart object differs"

# Abort answers 204 and drops the upload; a second abort is 404.
up=$(api create-multipart-upload --bucket "$S3_BUCKET" --key b --query UploadId)
api upload-part --bucket "$S3_BUCKET" --key b --upload-id "$up" \
    --part-number 1 --body "$T/p2" >/dev/null
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE \
    --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
    "$S3_ENDPOINT/$S3_BUCKET/b?uploadId=$up")
ms_assert_eq "$code" 204 "abort status"
[ ! -e "$S3_DIR/$S3_BUCKET/._S3rver_uploads/$up" ] ||
    ms_fail "aborted upload still on disk"
code=$(curl -s -o /dev/null -w '%{http_code}' -X DELETE \
    --aws-sigv4 "aws:amz:us-east-1:s3" \
    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
    "$S3_ENDPOINT/$S3_BUCKET/b?uploadId=$up")
ms_assert_eq "$code" 404 "second abort status"

# Wrong ETag on complete: InvalidPart.
up=$(api create-multipart-upload --bucket "$S3_BUCKET" --key c --query UploadId)
api upload-part --bucket "$S3_BUCKET" --key c --upload-id "$up" \
    --part-number 1 --body "$T/p2" >/dev/null
printf '{"Parts":[{"PartNumber":1,"ETag":"\\"0123456789abcdef0123456789abcdef\\""}]}' \
    >"$T/bad.json"
if api complete-multipart-upload --bucket "$S3_BUCKET" --key c \
    --upload-id "$up" --multipart-upload "file://$T/bad.json" \
    >/dev/null 2>"$T/err"; then
	ms_fail "complete with a wrong ETag succeeded"
fi
grep -q InvalidPart "$T/err" || ms_fail "no InvalidPart: $(cat "$T/err")"

# Wrong secret: 403.
if AWS_SECRET_ACCESS_KEY=nope api list-objects-v2 --bucket "$S3_BUCKET" \
    >/dev/null 2>"$T/err"; then
	ms_fail "a wrong secret was accepted"
fi
grep -q SignatureDoesNotMatch "$T/err" || ms_fail "wrong secret: $(cat "$T/err")"

# Faults: the 2nd UploadPart fails with 500 once, then works.
s3_control 'set?fail-part=2' >/dev/null
up=$(api create-multipart-upload --bucket "$S3_BUCKET" --key d --query UploadId)
curl_part() {
	curl -s -o /dev/null -w '%{http_code}' -X PUT -T "$T/p2" -m 30 \
	    --aws-sigv4 "aws:amz:us-east-1:s3" \
	    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" \
	    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' \
	    "$S3_ENDPOINT/$S3_BUCKET/d?partNumber=$1&uploadId=$up"
}
ms_assert_eq "$(curl_part 1)" 200 "part before the fault"
ms_assert_eq "$(curl_part 2)" 500 "faulty part"
ms_assert_eq "$(curl_part 2)" 200 "part after the fault"
s3_control 'set?drop-part=1' >/dev/null
rc=0; curl_part 3 >/dev/null || rc=$?
[ "$rc" != 0 ] || ms_fail "dropped connection: curl succeeded"
ms_assert_eq "$(curl_part 3)" 200 "part after the drop"
s3_control stats | grep -q '"fired":\["fail-part=2","drop-part=1"\]' ||
    ms_fail "stats: $(s3_control stats)"
echo "harness: ok"
