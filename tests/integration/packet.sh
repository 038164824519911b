#!/bin/bash
# A target whose max_allowed_packet is smaller than the backup's INSERT
# statements (about 1 MiB plus a row each), loaded with INSERTs
# (local_infile off, MySQL's default): the statements go as several
# INSERTs of whole rows and every table comes back the same (CHECKSUM
# TABLE); a row too long for any statement is one clear line naming the
# table, the member, the sizes and max_allowed_packet, never the server's
# "Got a packet bigger than", and everything else is still restored
# (exit 13).
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
mariadb_start A --max-allowed-packet=64M
# t: 3 MB of rows in statements of ~1 MiB; w: rows of 150 KB (a statement
# of one row fits 256K); big: one row of 400 KB.
ms_sql A "CREATE DATABASE pk; USE pk;
    CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(1000), b BLOB);
    INSERT INTO t SELECT seq, REPEAT(CONCAT('it''s \\\\ (', seq, '),\n('), 40),
        RANDOM_BYTES(300) FROM seq_1_to_3000;
    CREATE TABLE w (id INT PRIMARY KEY, b MEDIUMBLOB);
    INSERT INTO w SELECT seq, REPEAT(CHAR(40 + seq), 150000) FROM seq_1_to_12;
    CREATE TABLE big (id INT PRIMARY KEY, b MEDIUMBLOB);
    INSERT INTO big VALUES (1, REPEAT('x', 400000));"

cat >"$T/policy.ini" <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = pk
chunk_size = 16M

$(ms_policy_host A)
EOP
ms_myship -c "$T/policy.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup exit status"

ms_sql A "SET GLOBAL max_allowed_packet = 262144; SET GLOBAL local_infile = OFF"
: >"$T/myship.err"
MYSHIP_LOG_STDERR=1 ms_myship -v -c "$T/policy.ini" restore latest \
    --host A --database pk:pk2
ms_assert_eq "$MS_RC" 13 "restore with a row longer than max_allowed_packet"
grep -q "Got a packet bigger" "$T/myship.err" &&
    ms_fail "the server's packet error reached the user"
grep "pk2\?\.big" "$T/myship.err" | grep "max_allowed_packet (262144 bytes)" |
    grep -q "a row that needs a statement of 4000[0-9][0-9] bytes exceeds" ||
    ms_fail "no clear line for the row of 400 KB: $(cat "$T/myship.err")"
grep -q "(pk\.[tw]).*exceeds" "$T/myship.err" &&
    ms_fail "t or w refused: $(cat "$T/myship.err")"
grep -q "sent as several INSERTs" "$T/myship.err" ||
    ms_fail "no note of the statements cut"
for tb in t w; do
	ms_assert_eq "$(ms_sql A "CHECKSUM TABLE pk2.$tb" | cut -f2)" \
	    "$(ms_sql A "CHECKSUM TABLE pk.$tb" | cut -f2)" "checksum of $tb"
done
ms_assert_eq "$(ms_sql A 'SELECT COUNT(*) FROM pk2.big')" 0 "rows of big"
exit 0
