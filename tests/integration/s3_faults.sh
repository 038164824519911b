#!/bin/bash
# S3 faults, against the real (signature-checking) test server:
#   - one UploadPart answered 500 once: retried, backup complete, restorable
#     even when the archive GET loses its connection midway (Range resume);
#   - a wrong secret: one clear SignatureDoesNotMatch error, exit 6, no
#     retries, and the secret nowhere in the output;
#   - SIGTERM during the upload: exit 10, the multipart upload aborted
#     (none left on the server), no manifest, and no statement of it left
#     running on the database server;
#   - the server killed mid-upload: retries, then exit 6, no manifest,
#     nothing listed as complete; after a restart prune aborts the
#     leftover upload and the next backup succeeds;
#   - CompleteMultipartUpload answers an empty ETag (as Ceph radosgw 16
#     does): the ETag is read by HEAD and the backup is complete; it
#     answers a wrong ETag: exit 6, no manifest, and the unverified archive
#     object deleted rather than left behind.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"

mariadb_start A
s3_start
ms_sql A "CREATE DATABASE myship_bulk; USE myship_bulk;
    CREATE TABLE r (id INT PRIMARY KEY, b VARBINARY(1024)) ENGINE=InnoDB;
    INSERT INTO r SELECT seq, RANDOM_BYTES(1024) FROM seq_1_to_24000;"

policy() {	# extra [s3] lines...
	{
		printf '[global]\nrepository = s3\nlock_file = %s\n\n' "$T/lock"
		printf '[backup]\ndatabases = myship_bulk\nthreads = 2\n'
		printf 'chunk_size = 1M\ncompression_level = 1\n\n'
		printf '[retention]\nkeep_last = 10\nincomplete_grace = 1h\n\n'
		ms_policy_s3
		printf 'part_size = 5M\nretries = 2\n'
		for l in "$@"; do printf '%s\n' "$l"; done
		printf '\n'
		ms_policy_host A
	} >"$T/policy.ini"
}

stat_field() {	# python expression over the stats JSON `s`
	s3_control stats | python3 -c "import json,sys; s=json.load(sys.stdin); print($1)"
}

complete_backups() {
	ms_myship -c "$T/policy.ini" list --host A --json >"$T/list.json"
	[ "$MS_RC" = 0 ] || ms_fail "list failed: $(cat "$T/myship.err")"
	python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))
print(sum(1 for b in v if b["state"] == "complete"))' "$T/list.json"
}

# Waits until the server fired fault $1 (e.g. hold-part=2) while myship
# ($2, its stderr in $3) runs.
wait_fired() {
	local i=0
	while ! stat_field "'$1' in s['fired']" | grep -q True; do
		i=$((i + 1))
		[ "$i" -lt 300 ] || ms_fail "fault $1 never fired"
		kill -0 "$2" 2>/dev/null ||
		    ms_fail "myship ended before $1: $(cat "$3")"
		sleep 0.05
	done
}

# 1. One part fails with 500 once.
policy
s3_control 'set?fail-part=2' >/dev/null
ms_myship -c "$T/policy.ini" backup --host A
ms_assert_eq "$MS_RC" 0 "backup with one failing part"
grep -q "retrying part 2" "$T/myship.err" || ms_fail "no retry of part 2 logged"
ms_assert_eq "$(stat_field "s['fired']")" "['fail-part=2']" "fault fired"
ms_assert_eq "$(complete_backups)" 1 "complete backups after fail-part"
# The restore reads the manifest, then the archive by ranged GETs in
# parallel; the server cuts the first over a MiB after one MiB: that GET
# resumes from its next byte.
s3_control 'set?drop-big-get=1' >/dev/null
: >"$T/myship.err"
ms_myship -c "$T/policy.ini" restore latest --host A \
    --database myship_bulk:bulk_copy
ms_assert_eq "$MS_RC" 0 "restore of the backup with a retried part"
ms_assert_eq "$(stat_field "'drop-big-get=1' in s['fired']")" True "drop-big-get fired"
grep -q "resuming at byte 1048576" "$T/myship.err" ||
    ms_fail "the dropped GET did not resume at byte 1048576"
ms_assert_eq "$(ms_sql A 'CHECKSUM TABLE bulk_copy.r' | cut -f2)" \
    "$(ms_sql A 'CHECKSUM TABLE myship_bulk.r' | cut -f2)" "restored checksum"
s3_control reset >/dev/null

# 2. A wrong secret: one clear error, no retry storm, secret not shown.
good_secret=$S3_SECRET_KEY
S3_SECRET_KEY=wrong-$RANDOM-secret policy
: >"$T/myship.err"
start=$(date +%s)
ms_myship -c "$T/policy.ini" backup --host A
elapsed=$(($(date +%s) - start))
ms_assert_eq "$MS_RC" 6 "backup with a wrong secret"
grep -q "SignatureDoesNotMatch" "$T/myship.err" ||
    ms_fail "no SignatureDoesNotMatch in the error"
[ "$(grep -c SignatureDoesNotMatch "$T/myship.err")" -le 2 ] ||
    ms_fail "repeated SignatureDoesNotMatch lines"
grep -q "retrying" "$T/myship.err" && ms_fail "a 403 was retried"
grep -q -- "-secret" "$T/myship.err" && ms_fail "the secret is in the output"
[ "$elapsed" -le 5 ] || ms_fail "wrong secret took ${elapsed}s"
S3_SECRET_KEY=$good_secret

# 3. SIGTERM during the upload.  The server holds the second part
# unanswered, so that the upload is surely in flight however fast or slow
# the machine is, and answers the abort that follows.
policy 'parallel_uploads = 1'
s3_control 'set?hold-part=2' >/dev/null
"$MYSHIP" -c "$T/policy.ini" backup --host A >"$T/term.out" 2>"$T/term.err" &
pid=$!
wait_fired hold-part=2 "$pid" "$T/term.err"
# [backup] nice (default 10): every thread of the running backup, the
# dump's and the upload's, yields the CPU to the application.
nices=$(for f in /proc/"$pid"/task/*/stat; do
	sed 's/.*) //' "$f" | cut -d' ' -f17
done | sort -un | tr '\n' ' ')
ms_assert_eq "$(echo "$nices" | wc -w)" 1 "one nice value over the backup's threads ($nices)"
[ "${nices% }" -ge 10 ] || ms_fail "the backup runs at nice ${nices% }, not 10"
[ "$(ls /proc/"$pid"/task | wc -l)" -gt 2 ] ||
    ms_fail "the held backup runs $(ls /proc/"$pid"/task | wc -l) threads"
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
s3_control release >/dev/null
cat "$T/term.err" >&2
ms_assert_eq "$rc" 10 "exit status after SIGTERM"
# The killed backup's sessions were reset, so the server ended its SELECTs
# at once: closed with a FIN, they went on "Sending to client" into a shut
# window for a minute, holding the table, and the next backup's FLUSH
# TABLES WITH READ LOCK then made its SHOW CREATE TABLE time out.
i=0
while [ "$(ms_sql A "SELECT COUNT(*) FROM information_schema.PROCESSLIST
    WHERE INFO LIKE 'SELECT %myship_bulk%' AND ID <> CONNECTION_ID()")" != 0 ]; do
	i=$((i + 1))
	[ "$i" -lt 20 ] || ms_fail "the killed backup's SELECT still runs on the server"
	sleep 0.1
done
ms_assert_eq "$(stat_field "len(s['uploads'])")" 0 "multipart uploads left after SIGTERM"
[ "$(stat_field "s['counts'].get('abort', 0)")" -ge 1 ] || ms_fail "no abort request"
ms_assert_eq "$(complete_backups)" 1 "complete backups after SIGTERM"
s3_control reset >/dev/null

# 4. The server dies mid-upload (while it holds part 2 unanswered).
s3_control 'set?hold-part=2' >/dev/null
"$MYSHIP" -c "$T/policy.ini" backup --host A >"$T/kill.out" 2>"$T/kill.err" &
pid=$!
wait_fired hold-part=2 "$pid" "$T/kill.err"
kill -KILL "$S3_PID"
rc=0
wait "$pid" || rc=$?
cat "$T/kill.err" >&2
ms_assert_eq "$rc" 6 "exit status when the server died"
grep -q "retrying" "$T/kill.err" || ms_fail "no retry when the server died"
# Same data directory, new port and keys.
s3_start
policy
ms_assert_eq "$(complete_backups)" 1 "complete backups after the server died"
ms_assert_eq "$(stat_field "len(s['uploads'])")" 1 "leftover multipart upload"
ms_myship -c "$T/policy.ini" --now "$(($(date +%s) + 7200))" prune
ms_assert_eq "$MS_RC" 0 "prune after the crash"
ms_assert_eq "$(stat_field "len(s['uploads'])")" 0 "multipart uploads after prune"
ms_myship -c "$T/policy.ini" backup --host A
ms_assert_eq "$MS_RC" 0 "backup after the restart"
ms_assert_eq "$(complete_backups)" 2 "complete backups after the restart"

# 5. A CompleteMultipartUpload answer without its ETag, then a wrong one.
s3_control 'set?blank-complete-etag=1' >/dev/null
ms_myship -c "$T/policy.ini" backup --host A
ms_assert_eq "$MS_RC" 0 "backup with an empty ETag in the complete answer"
ms_assert_eq "$(stat_field "s['fired']")" "['blank-complete-etag=1']" \
    "blank-complete-etag fired"
ms_assert_eq "$(complete_backups)" 3 "complete backups after an empty ETag"
s3_control 'set?wrong-complete-etag=1' >/dev/null
: >"$T/myship.err"
ms_myship -c "$T/policy.ini" backup --host A
ms_assert_eq "$MS_RC" 6 "backup with a wrong ETag in the complete answer"
grep -q "ETag 0123456789abcdef0123456789abcdef-1 after upload, expected" \
    "$T/myship.err" || ms_fail "no ETag mismatch in the error"
ms_assert_eq "$(complete_backups)" 3 "complete backups after a wrong ETag"
ms_assert_eq "$(python3 -c 'import json,sys
print(len(json.load(open(sys.argv[1]))))' "$T/list.json")" 3 \
    "no incomplete backup left by the wrong ETag"

# 6. Keys from the shared credentials file as the AWS CLI reads it
# (AWS_SHARED_CREDENTIALS_FILE, profile AWS_PROFILE), when neither the
# policy nor AWS_ACCESS_KEY_ID gives any; a profile it lacks is one line.
ms_policy_s3 | grep -v '^access_key_id\|^secret_access_key' >"$T/s3.ini"
{
	printf '[global]\nrepository = s3\nlock_file = %s\n\n' "$T/lock"
	cat "$T/s3.ini"
	ms_policy_host A
} >"$T/shared.ini"
chmod 600 "$T/shared.ini"
(umask 077 && printf '[default]\naws_access_key_id = wrong\naws_secret_access_key = wrong\n[ci]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >"$T/shared.cred")
AWS_SHARED_CREDENTIALS_FILE=$T/shared.cred AWS_PROFILE=ci \
    ms_myship -c "$T/shared.ini" list --host A --json >"$T/shared.json"
ms_assert_eq "$MS_RC" 0 "list with keys from AWS_SHARED_CREDENTIALS_FILE, AWS_PROFILE=ci"
grep -q '"complete"' "$T/shared.json" || ms_fail "list with the shared file shows nothing"
AWS_SHARED_CREDENTIALS_FILE=$T/shared.cred AWS_PROFILE=nope \
    ms_myship -c "$T/shared.ini" list --host A
ms_assert_eq "$MS_RC" 3 "a profile the shared file lacks"
grep -q "shared.cred: \[nope\] lacks aws_access_key_id" "$T/myship.err.last" ||
    ms_fail "no clear line for a missing profile: $(cat "$T/myship.err.last")"
exit 0
