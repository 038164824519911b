#!/bin/sh
# Retention on S3, through the same repo.h calls as on a local directory,
# against the S3 test server and Ceph's radosgw: real backups, --dry-run
# changes nothing, prune keeps the rule's backups and removes every object
# of the others (checked with the aws CLI), and the newest survives
# keep_last = 0 when everything is older than max_age.  Without a prefix,
# the backups are HOST/ID/... at the bucket's root.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir
mariadb_start db1
ms_sql db1 "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY); INSERT INTO shop.t VALUES (1)"

policy()
{
	cat <<EOP
[global]
repository = s3
lock_file = $T/myship.lock
[retention]
$1
$(ms_policy_s3)
$(ms_policy_host db1)
EOP
}

ids()
{
	ms_myship -c "$P" list --host db1 --json >"$T/list.json"
	[ "$MS_RC" = 0 ] || ms_fail "$srv: list exit $MS_RC"
	python3 -c 'import json, sys
d = json.load(sys.stdin)
rows = d["backups"] if isinstance(d, dict) else d
print(" ".join(sorted(b["id"] for b in rows)))' <"$T/list.json"
}

# The backup ids of the objects in the bucket, as aws sees them.
aws_ids()
{
	ms_aws s3 ls --recursive "s3://$S3_BUCKET/" >"$T/ls.txt" ||
	    ms_fail "$srv: aws s3 ls failed"
	awk '$4 !~ /^db1\/[0-9TZ]*\/(backup\.tar|manifest\.ini)$/ {
	    print "unexpected key " $4; exit 1 }' "$T/ls.txt" >&2 ||
	    ms_fail "$srv: keys not at HOST/ID/ in the bucket's root"
	awk '{print $4}' "$T/ls.txt" | cut -d/ -f2 | sort -u | tr '\n' ' ' |
	    sed 's/ $//'
}

prune_cases()
{
	P=$T/$srv.policy.ini
	policy "keep_last = 2" >"$P"
	chmod 600 "$P"
	for i in 1 2 3 4; do
		ms_myship -c "$P" backup --host db1 >/dev/null
		ms_assert_eq "$MS_RC" 0 "$srv: backup $i to S3"
	done
	all=$(ids)
	ms_assert_eq "$(echo $all | wc -w)" 4 "$srv: backups on S3"
	ms_assert_eq "$(aws_ids)" "$all" "$srv: backups aws sees"

	ms_myship -c "$P" prune --dry-run >"$T/dry.out"
	ms_assert_eq "$MS_RC" 0 "$srv: prune --dry-run on S3"
	cat "$T/dry.out"
	ms_assert_eq "$(grep -c ' delete  no rule$' "$T/dry.out")" 2 \
	    "$srv: backups --dry-run would delete"
	ms_assert_eq "$(ids)" "$all" "$srv: backups after --dry-run"

	ms_myship -c "$P" prune
	ms_assert_eq "$MS_RC" 0 "$srv: prune on S3"
	kept=$(echo $all | cut -d' ' -f3-4)
	ms_assert_eq "$(ids)" "$kept" "$srv: backups kept by keep_last = 2"
	ms_assert_eq "$(aws_ids)" "$kept" "$srv: objects aws sees after prune"

	# A year later, keep_last = 0 and max_age = 1d keep nothing: the
	# newest stays.
	policy "keep_last = 0
max_age = 1d" >"$P"
	ms_myship -c "$P" --now "$(( $(date +%s) + 365 * 86400 ))" prune
	ms_assert_eq "$MS_RC" 0 "$srv: prune a year later"
	ms_assert_eq "$(ids)" "$(echo $all | cut -d' ' -f4)" \
	    "$srv: the newest backup survives"
	ms_assert_eq "$(aws_ids)" "$(echo $all | cut -d' ' -f4)" \
	    "$srv: objects aws sees a year later"
}

for srv in $(ms_s3_servers); do
	ms_s3_start "$srv"
	prune_cases
done
exit 0
