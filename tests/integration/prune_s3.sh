#!/bin/sh
# Retention on S3, through the same repo.h calls as on a local directory:
# real backups to the S3 test server, --dry-run changes nothing, prune
# keeps the rule's backups, and the newest survives keep_last = 0 when
# everything is older than max_age.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir
mariadb_start db1
s3_start
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
prefix = retention
$(ms_policy_host db1)
EOP
}
policy "keep_last = 2" >"$T/policy.ini"
chmod 600 "$T/policy.ini"

ids()
{
	ms_myship -c "$T/policy.ini" list --host db1 --json >"$T/list.json"
	[ "$MS_RC" = 0 ] || ms_fail "list exit $MS_RC"
	python3 -c 'import json, sys
d = json.load(sys.stdin)
rows = d["backups"] if isinstance(d, dict) else d
print(" ".join(sorted(b["id"] for b in rows)))' <"$T/list.json"
}

for i in 1 2 3 4; do
	ms_myship -c "$T/policy.ini" backup --host db1 >/dev/null
	ms_assert_eq "$MS_RC" 0 "backup $i to S3"
done
all=$(ids)
ms_assert_eq "$(echo $all | wc -w)" 4 "backups on S3"

ms_myship -c "$T/policy.ini" prune --dry-run >"$T/dry.out"
ms_assert_eq "$MS_RC" 0 "prune --dry-run on S3"
cat "$T/dry.out"
ms_assert_eq "$(grep -c ' delete  no rule$' "$T/dry.out")" 2 "backups --dry-run would delete"
ms_assert_eq "$(ids)" "$all" "backups after --dry-run"

ms_myship -c "$T/policy.ini" prune
ms_assert_eq "$MS_RC" 0 "prune on S3"
ms_assert_eq "$(ids)" "$(echo $all | cut -d' ' -f3-4)" "backups kept by keep_last = 2"

# A year later, keep_last = 0 and max_age = 1d keep nothing: the newest stays.
policy "keep_last = 0
max_age = 1d" >"$T/policy.ini"
ms_myship -c "$T/policy.ini" --now "$(( $(date +%s) + 365 * 86400 ))" prune
ms_assert_eq "$MS_RC" 0 "prune a year later"
ms_assert_eq "$(ids)" "$(echo $all | cut -d' ' -f4)" "the newest backup survives"
exit 0
