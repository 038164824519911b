#!/bin/bash
# The container credentials provider (ECS, EKS Pod Identity) on loopback:
# AWS_CONTAINER_CREDENTIALS_FULL_URI names creds_endpoint.py, which hands
# out temporary keys that the S3 test server accepts only with their token
# and only until they expire (s3rver always: temporary keys are its
# control endpoint's; radosgw has no such keys without STS).
#   - a backup whose upload (parts held 1.5 s each) outlasts the 4 s
#     credentials: refreshed between requests, complete, no request refused
#     as expired, the endpoint asked several times, always with the token;
#     no secret or token in the output, even at -vv;
#   - the endpoint says 1 h but the server expires them after 3 s: the
#     upload fails with ExpiredToken (the server's check is real), exit 6;
#   - AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE wins over the variable: the
#     restore reads the token from the file and restores the same rows;
#   - a wrong token: the endpoint's bare 401 named, exit 6, fast;
#   - http to a host that is not loopback: refused (exit 3), nothing sent;
#   - credentials already expired when received: exit 6.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
    AWS_SHARED_CREDENTIALS_FILE AWS_PROFILE AWS_CONTAINER_CREDENTIALS_FULL_URI \
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_AUTHORIZATION_TOKEN \
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE

mariadb_start A
s3_start
ms_sql A "CREATE DATABASE myship_bulk; USE myship_bulk;
    CREATE TABLE r (id INT PRIMARY KEY, b VARBINARY(1024)) ENGINE=InnoDB;
    INSERT INTO r SELECT seq, RANDOM_BYTES(1024) FROM seq_1_to_20000;"

mkdir -p "$T/home"
echo 4 >"$T/life"
token=tok-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
S3_CONTROL=$S3_CONTROL CREDS_TOKEN=$token python3 \
    "$top_srcdir/tests/integration/creds_endpoint.py" "$T/creds.log" \
    "$T/creds.port" "$T/life" 2>"$T/creds.err" &
ms_track_pid $! creds_endpoint
for i in $(seq 50); do [ -s "$T/creds.port" ] && break; sleep 0.1; done
[ -s "$T/creds.port" ] || ms_fail "credentials endpoint did not start"
: >"$T/creds.log"
uri=http://127.0.0.1:$(cat "$T/creds.port")/v1/credentials

{
	printf '[global]\nrepository = s3\nlock_file = %s\n\n' "$T/lock"
	printf '[backup]\ndatabases = myship_bulk\nchunk_size = 1M\n\n'
	printf '[retention]\nincomplete_grace = 1h\n\n'
	printf '[s3]\nendpoint = %s\nregion = us-east-1\nbucket = %s\n' \
	    "$S3_ENDPOINT" "$S3_BUCKET"
	printf 'part_size = 5M\nparallel_uploads = 1\nretries = 1\n\n'
	ms_policy_host A
} >"$T/policy.ini"

# Runs myship with only the container provider to find credentials.
cmyship() {
	HOME=$T/home AWS_CONTAINER_CREDENTIALS_FULL_URI=${URI:-$uri} \
	    AWS_CONTAINER_AUTHORIZATION_TOKEN=${TOKEN-$token} ms_myship "$@"
}
hits() { grep -c " ok$" "$T/creds.log" || :; }
stat_field() {
	s3_control stats | python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"
}
no_secrets() {	# what
	grep -qF -- "$token" "$T/myship.err" && ms_fail "token in the output: $1"
	if [ -s "$T/creds.log.secrets" ] &&
	    grep -qF -f "$T/creds.log.secrets" "$T/myship.err"; then
		ms_fail "a handed-out secret in the output: $1"
	fi
	return 0
}

# 1. An upload longer than the credentials' life.
s3_control 'set?delay-part=1500' >/dev/null
start=$(date +%s)
cmyship -vv -c "$T/policy.ini" backup --host A
elapsed=$(($(date +%s) - start))
ms_assert_eq "$MS_RC" 0 "backup on container credentials"
[ "$elapsed" -ge 6 ] || ms_fail "the upload took ${elapsed}s, not past 4 s credentials"
ms_assert_eq "$(stat_field "s['counts'].get('expired', 0)")" 0 \
    "requests refused as expired"
ms_assert_eq "$(stat_field "s['counts'].get('bad-token', 0)")" 0 \
    "requests with a wrong token"
[ "$(stat_field "s['counts'].get('part', 0)")" -ge 4 ] ||
    ms_fail "fewer than 4 parts"
n=$(hits)
[ "$n" -ge 3 ] || ms_fail "the endpoint was asked $n times in ${elapsed}s"
grep -q " 401$" "$T/creds.log" && ms_fail "a request without the token"
no_secrets backup
echo "backup: ${elapsed}s, endpoint asked $n times"

# 2. The server expires the keys long before the endpoint says.
echo "3600 3" >"$T/life"
: >"$T/myship.err"
cmyship -c "$T/policy.ini" backup --host A
ms_assert_eq "$MS_RC" 6 "backup on keys the server expired"
grep -q "ExpiredToken" "$T/myship.err" || ms_fail "no ExpiredToken named"
[ "$(stat_field "s['counts'].get('expired', 0)")" -ge 1 ] ||
    ms_fail "the server refused nothing as expired"
no_secrets "expired keys"
s3_control reset >/dev/null

# 3. The token file wins over the variable.
echo 4 >"$T/life"
printf '%s\n' "$token" >"$T/token"
: >"$T/myship.err"
n=$(hits)
HOME=$T/home AWS_CONTAINER_CREDENTIALS_FULL_URI=$uri \
    AWS_CONTAINER_AUTHORIZATION_TOKEN=wrong \
    AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=$T/token \
    ms_myship -c "$T/policy.ini" restore latest --host A \
    --database myship_bulk:bulk_copy
ms_assert_eq "$MS_RC" 0 "restore with the token file"
[ "$(hits)" -gt "$n" ] || ms_fail "the restore did not ask the endpoint"
ms_assert_eq "$(ms_sql A 'CHECKSUM TABLE bulk_copy.r' | cut -f2)" \
    "$(ms_sql A 'CHECKSUM TABLE myship_bulk.r' | cut -f2)" "restored checksum"
no_secrets restore

# 4. A wrong token: the bare 401 named, no retry storm.
: >"$T/myship.err"
start=$(date +%s)
TOKEN=wrong-$RANDOM-token cmyship -c "$T/policy.ini" list --host A
ms_assert_eq "$MS_RC" 6 "list with a wrong token"
grep -q "container credentials $uri: HTTP 401 without a body" \
    "$T/myship.err" || ms_fail "the 401 is not named"
grep -q -- "-token" "$T/myship.err" && ms_fail "the wrong token is shown"
[ $(($(date +%s) - start)) -le 3 ] || ms_fail "the 401 was retried"

# 5. http to a host that is not loopback: refused before any request.
n=$(wc -l <"$T/creds.log")
: >"$T/myship.err"
URI=http://creds.invalid:$(cat "$T/creds.port")/v1/credentials \
    cmyship -c "$T/policy.ini" list --host A
ms_assert_eq "$MS_RC" 3 "http to a non-loopback endpoint"
grep -q "is refused: http only to a loopback address" "$T/myship.err" ||
    ms_fail "the refusal does not say why"
ms_assert_eq "$(wc -l <"$T/creds.log")" "$n" "requests to the endpoint"

# 6. Credentials expired when received.
echo -10 >"$T/life"
: >"$T/myship.err"
cmyship -c "$T/policy.ini" list --host A
ms_assert_eq "$MS_RC" 6 "credentials expired when received"
grep -q "expired when received" "$T/myship.err" ||
    ms_fail "expired credentials not named"
no_secrets "expired when received"

exit 0
