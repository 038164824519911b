#!/bin/sh
# backup_from = replica with a real primary/replica pair: the backup of the
# primary is read from its replica and records the replica's position in
# the source; status shows the replica's state; a replica lagging more than
# max_replica_lag, or whose SQL thread stopped with an error, is refused.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir
mariadb_start p1
mariadb_start r1
# Replicate from now on: the binlog so far holds lib.sh's account set-up.
# MariaDB: GTID slave_pos; MySQL: GTID auto-position from p1's set, with
# the public key exchange caching_sha2_password needs without TLS.  The
# password goes on stdin, never in argv.
if [ "$MS_SERVER" = mysql ]; then
	gtids=$(ms_sql p1 "SELECT @@GLOBAL.gtid_executed" | tr -d '\n')
	{
		printf "RESET BINARY LOGS AND GTIDS;\n"
		printf "SET GLOBAL gtid_purged = '%s';\n" "$gtids"
		printf "CHANGE REPLICATION SOURCE TO SOURCE_HOST='127.0.0.1', "
		printf "SOURCE_PORT=%s, SOURCE_USER='root', " "$p1_PORT"
		printf "SOURCE_PASSWORD='%s', " "$(cat "$p1_PASSFILE")"
		printf "SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, "
		printf "SOURCE_CONNECT_RETRY=1;\nSTART REPLICA;\n"
	} | ms_sql r1
else
	pos=$(ms_sql p1 "SELECT @@GLOBAL.gtid_binlog_pos")
	{
		printf "SET GLOBAL gtid_slave_pos = '%s';\n" "$pos"
		printf "CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT=%s, " "$p1_PORT"
		printf "MASTER_USER='root', MASTER_PASSWORD='%s', " "$(cat "$p1_PASSFILE")"
		printf "MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;\nSTART SLAVE;\n"
	} | ms_sql r1
fi
# repl_delay N: the replica applies events N seconds late.
repl_delay()
{
	if [ "$MS_SERVER" = mysql ]; then
		ms_sql r1 "STOP REPLICA; CHANGE REPLICATION SOURCE TO SOURCE_DELAY=$1; START REPLICA"
	else
		ms_sql r1 "STOP SLAVE; CHANGE MASTER TO MASTER_DELAY=$1; START SLAVE"
	fi
}
# The GTID position a manifest records: MariaDB's D-S-N, MySQL's UUID:N-M.
gtid_re='[0-9]+-[0-9]+-[0-9]+'
[ "$MS_SERVER" = mysql ] && gtid_re='[0-9a-f-]{36}:[0-9]+'
ms_sql p1 "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY); INSERT INTO shop.t VALUES (1),(2)"

# wait_sql NAME SQL WANT: until SQL on NAME prints WANT (20s at most).
wait_sql()
{
	for i in $(seq 200); do
		[ "$(MS_SQL_MAY_FAIL=1 ms_sql "$1" "$2" 2>/dev/null)" = "$3" ] && return 0
		sleep 0.1
	done
	ms_fail "$1: $2 did not give $3"
}
wait_sql r1 "SELECT COUNT(*) FROM shop.t" 2
# Only on the replica: shows where the backup was read from.
ms_sql r1 "CREATE DATABASE only_on_replica"

write_policy()
{
	cat >"$T/policy.ini" <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock
[backup]
backup_from = replica
max_replica_lag = $1
$(ms_policy_host p1)
$(ms_policy_host r1)
role = replica
source = p1
EOP
	chmod 600 "$T/policy.ini"
}
write_policy 5m

ms_myship -c "$T/policy.ini" run >"$T/run.out"
ms_assert_eq "$MS_RC" 0 "run with backup_from = replica"
cat "$T/run.out"
ms_assert_eq "$(ls "$T/repo")" p1 "backups are filed under the primary only"
m=$T/repo/p1/$(ls "$T/repo/p1")/manifest.ini
grep -q 'only_on_replica' "$m" || ms_fail "the backup was not read from the replica"
grep -Eq '^source_binlog_file *= *binlog\.[0-9]+$' "$m" ||
    ms_fail "manifest has no source_binlog_file"
grep -Eq '^source_binlog_position *= *[1-9][0-9]*$' "$m" ||
    ms_fail "manifest has no source_binlog_position"
grep -Eq "^source_gtid *= *$gtid_re" "$m" ||
    ms_fail "manifest has no source_gtid"

ms_myship -c "$T/policy.ini" status --host r1 --json >"$T/st.json"
ms_assert_eq "$MS_RC" 0 "status of the replica"
ms_assert_eq "$(python3 -c 'import json,sys; h=json.load(sys.stdin)["hosts"][0]; print(h["role"], h["replication"], h["lag_seconds"])' <"$T/st.json")" \
    "replica running 0" "replica state in status --json"

# Lag over the limit: the replica applies events 60s late.
repl_delay 60
ms_sql p1 "INSERT INTO shop.t VALUES (3)"
sleep 3
write_policy 1s
ms_myship -c "$T/policy.ini" run >"$T/lag.out"
ms_assert_eq "$MS_RC" 1 "run with a lagging replica"
grep -Eq 'replica r1: lag [0-9]+s exceeds max_replica_lag 1s' "$T/myship.err.last" ||
    ms_fail "no clear message for the lag"
ms_assert_eq "$(ls "$T/repo/p1" | wc -l)" 1 "a backup was made from a lagging replica"

# SQL thread stopped by an error: a row the replica has already.
repl_delay 0
wait_sql r1 "SELECT COUNT(*) FROM shop.t" 3
ms_sql r1 "SET SESSION sql_log_bin=0; INSERT INTO shop.t VALUES (4)"
ms_sql p1 "INSERT INTO shop.t VALUES (4)"
for i in $(seq 200); do
	ms_sql r1 'SHOW REPLICA STATUS' | grep -q "Duplicate entry '4'" && break
	sleep 0.1
done
write_policy 5m
ms_myship -c "$T/policy.ini" run >"$T/err.out"
ms_assert_eq "$MS_RC" 1 "run with a broken replica"
grep -q 'replica r1: SQL thread stopped with error 1062' "$T/myship.err.last" ||
    ms_fail "no clear message for the stopped SQL thread"
ms_myship -c "$T/policy.ini" status --host r1 >"$T/st.out"
grep -q 'replication: SQL thread stopped: error 1062' "$T/st.out" ||
    ms_fail "status does not show the stopped SQL thread"
exit 0
