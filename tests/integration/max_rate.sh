#!/bin/bash
# [backup] max_rate: a backup of about 2.6 MB of row bytes with max_rate = 1M
# and two threads (one shared bucket) takes at least (bytes - what the two
# threads may hold back untaken) / rate seconds: the rate holds for the
# workers together, on a busy machine too (load only makes it slower, so
# the bound cannot flake); the backup is whole (a restore's checksums match).
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
mariadb_start A
# Two tables of 2000 rows of about 650 bytes, so both threads read.
gen="WITH RECURSIVE s (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s
    WHERE n < 1000) SELECT"
ms_sql A "CREATE DATABASE rt; USE rt;
    CREATE TABLE a (id INT PRIMARY KEY, v VARCHAR(2000));
    CREATE TABLE b (id INT PRIMARY KEY, v VARCHAR(2000));
    INSERT INTO a $gen n, REPEAT(SHA2(n, 256), 10) FROM s;
    INSERT INTO a $gen n + 1000, REPEAT(SHA2(n, 256), 10) FROM s;
    INSERT INTO b $gen n, REPEAT(SHA2(n, 512), 5) FROM s;
    INSERT INTO b $gen n + 1000, REPEAT(SHA2(n, 512), 5) FROM s;"
# The row bytes the server sends (as text), as the bucket counts them.
bytes=$(ms_sql A "SELECT (SELECT SUM(LENGTH(id) + LENGTH(v)) FROM rt.a) +
    (SELECT SUM(LENGTH(id) + LENGTH(v)) FROM rt.b)")
[ "$bytes" -gt 2500000 ] || ms_fail "only $bytes row bytes generated"

cat >"$T/policy.ini" <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = rt
threads = 2
max_rate = 1M

$(ms_policy_host A)
EOP
t0=$(date +%s.%N)
ms_myship -c "$T/policy.ini" -q backup --host A
t1=$(date +%s.%N)
ms_assert_eq "$MS_RC" 0 "backup exit status"
# Each thread may hold back up to 64 KiB untaken; 1M is 1048576 bytes/s.
awk -v a="$t0" -v b="$t1" -v n="$bytes" 'BEGIN {
	min = (n - 2 * 65536) / 1048576; t = b - a
	printf "max_rate.sh: %d row bytes at max_rate = 1M in %.2f s (at least %.2f s)\n", n, t, min
	exit !(t >= min) }' >&2 ||
    ms_fail "the backup was faster than max_rate allows"

ms_myship -c "$T/policy.ini" -q restore latest --host A --database rt:rt2
ms_assert_eq "$MS_RC" 0 "restore exit status"
for tb in a b; do
	ms_assert_eq "$(ms_sql A "CHECKSUM TABLE rt2.$tb" | cut -f2)" \
	    "$(ms_sql A "CHECKSUM TABLE rt.$tb" | cut -f2)" "checksum of $tb"
done
exit 0
