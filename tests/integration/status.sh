#!/bin/sh
# myship status: table and --json; exit 12 when a last complete backup is
# older than alert_age (checked with --now), or there is none; an
# unreachable host is reported as such.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir
mariadb_start db1
ms_sql db1 "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY); INSERT INTO shop.t VALUES (1)"
dead_port=$(ms_free_port)

cat >"$T/policy.ini" <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock
alert_age = 8d
$(ms_policy_host db1)
[host dead]
host = 127.0.0.1
port = $dead_port
user = root
EOP
chmod 600 "$T/policy.ini"

# No backup yet: stale.
ms_myship -c "$T/policy.ini" status --host db1
ms_assert_eq "$MS_RC" 12 "status exit without any backup"

ms_myship -c "$T/policy.ini" backup --host db1
ms_assert_eq "$MS_RC" 0 "backup exit status"
id=$(ls "$T/repo/db1")

ms_myship -c "$T/policy.ini" status --host db1 >"$T/st.out"
ms_assert_eq "$MS_RC" 0 "status exit with a fresh backup"
cat "$T/st.out"
flavour='[0-9][0-9.]*-MariaDB'
[ "$MS_SERVER" = mysql ] && flavour='[89]\.[0-9.-]*'
grep -q "^db1  *yes  *$flavour.* primary .* $id .* 1  ok$" "$T/st.out" ||
    ms_fail "status table line for db1"

json()
{
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$1"
}
ms_myship -c "$T/policy.ini" status --json >"$T/st.json"
ms_assert_eq "$MS_RC" 12 "status exit with a host never backed up"
cat "$T/st.json"
ms_assert_eq "$(json 'd["hosts"][0]["reachable"], d["hosts"][0]["backups"], d["hosts"][0]["last_backup"]["id"], d["hosts"][0]["stale"]' <"$T/st.json")" \
    "(True, 1, '$id', False)" "json for db1"
ms_assert_eq "$(json 'd["hosts"][0]["last_backup"]["bytes"] > 0 and d["hosts"][0]["last_backup"]["duration_seconds"] >= 0' <"$T/st.json")" \
    True "json size and duration of db1's backup"
ms_assert_eq "$(json 'd["hosts"][1]["reachable"], d["hosts"][1]["last_backup"], d["hosts"][1]["stale"], d["stale"]' <"$T/st.json")" \
    "(False, None, True, True)" "json for the unreachable host"

# Nine days later the backup is older than alert_age.
later=$(( $(date +%s) + 9 * 86400 ))
ms_myship -c "$T/policy.ini" --now "$later" status --host db1 >"$T/st9.out"
ms_assert_eq "$MS_RC" 12 "status exit nine days later"
grep -q 'STALE$' "$T/st9.out" || ms_fail "the stale host is not marked STALE"
grep -q '1 host without a complete backup younger than alert_age' \
    "$T/myship.err.last" || ms_fail "stale message"
# Seven days later it is not.
ms_myship -c "$T/policy.ini" --now "$(( $(date +%s) + 7 * 86400 ))" status --host db1
ms_assert_eq "$MS_RC" 0 "status exit seven days later"
exit 0
