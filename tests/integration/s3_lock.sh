#!/bin/bash
# S3 features the test server lacks, against Ceph's radosgw only (one
# start; deliberately outside the MS_S3 matrix: s3rver has no versioning
# and no Object Lock, so MS_S3=s3rver does not skip it).
# 1. Object Lock (a bucket created with it): two backups with
#    object_lock_days = 1 carry that retention (get-object-retention);
#    prune with keep_last = 1 keeps the older one, reported retained until
#    the date, exit 0; with a clock (--now) past the date the server's
#    refusal of the DELETE is reported retained too, and nothing is lost.
# 2. Versioning (an unlocked bucket with it Enabled): prune of an old and
#    of an incomplete backup leaves no version and no delete marker of
#    them; check leaves no version of its test object.
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
policy "$BL" "object_lock_days = 1" "object_lock_mode = governance" >"$P"
for i in 1 2; do
	ms_myship -c "$P" backup --host A
	ms_assert_eq "$MS_RC" 0 "backup $i into the locked bucket"
	sleep 1
done
all=$(ids "$P")
old=${all%% *}
tomorrow=$(date -u -d tomorrow +%Y-%m-%d)
for o in backup.tar manifest.ini; do
	ms_aws s3api get-object-retention --bucket "$BL" --key "A/$old/$o" \
	    >"$T/ret.json" || ms_fail "get-object-retention A/$old/$o failed"
	ms_assert_eq "$(python3 -c 'import json, sys
r = json.load(sys.stdin)["Retention"]
print(r["Mode"], r["RetainUntilDate"][:10])' <"$T/ret.json")" \
	    "GOVERNANCE $tomorrow" "A/$old/$o retention"
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
exit 0
