#!/bin/bash
# restore --diff reloads into a stale copy only the chunks that differ.
# A backup of A is restored into B; then about 1% of A's rows change (rows
# updated, deleted and inserted, two rows swapping a unique key across
# chunks, a table without a key, a table with a trigger), B drifts too (a
# row past every chunk, a table the backup lacks, the rows of an unchanged
# table without a key in another order), and A is backed up again.  A
# table without a key is compared by its manifest values_sum, whatever the
# order of its rows: the unchanged one is left as it is, the changed one
# reloaded whole; without values_sum it is compared in scan order and the
# reordered one reloaded too.  A keyed chunk is compared piece by piece
# by the server itself (SHA2 of a GROUP_CONCAT): a table of every kind of
# column (ty) proves that the server's text of each value is the one the
# backup hashed, as the second --diff reloads nothing; with a
# max_allowed_packet below a piece, the pieces GROUP_CONCAT cuts are read
# row by row, and found identical too.  restore --diff makes B
# identical to A (tests/integration/fingerprint.py), reloading few chunks:
# the counts it reports are asserted, and a second --diff finds every
# chunk identical.
# Then a --diff stopped in the middle (a damaged member it needs: exit 7,
# after every differing range was deleted), rerun with the member mended,
# ends identical.  A table whose definition differs on B is refused
# without --force (exit 11, naming it) and reloaded whole with it; a
# backup whose manifest records no values fingerprints is refused.
# Reading: a --diff of a backup with member offsets fetches the schema,
# compares, then fetches only the members it reloads by ranges (the
# summary's bytes read from the repository, asserted against the archive's
# size (the table pad, unchanged and not compressible, is most of it),
# locally and over S3: s3rver unless MS_S3 names another); one whose
# manifest lacks offsets streams the archive whole and ends identical too.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
FP="python3 $top_srcdir/tests/integration/fingerprint.py"
mariadb_start A
mariadb_start B
ms_sql A "CREATE DATABASE df; USE df;
    CREATE TABLE d (i INT);
    INSERT INTO d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
    CREATE TABLE big (id INT PRIMARY KEY, u INT NOT NULL, v VARCHAR(40),
        UNIQUE KEY u (u), KEY v (v));
    INSERT INTO big SELECT a.i + 10 * b.i + 100 * c.i + 1000 * e.i + 1,
        a.i + 10 * b.i + 100 * c.i + 1000 * e.i + 1,
        CONCAT('value ', a.i * 7 + c.i) FROM d a, d b, d c, d e
        WHERE a.i + 10 * b.i + 100 * c.i + 1000 * e.i < 8000;
    CREATE TABLE pad (id INT PRIMARY KEY, b VARBINARY(100));
    INSERT INTO pad SELECT id, RANDOM_BYTES(100) FROM big WHERE id <= 2000;
    CREATE TABLE comp (a INT NOT NULL, b VARCHAR(10) NOT NULL, n INT,
        PRIMARY KEY (a, b));
    INSERT INTO comp SELECT a.i + 10 * b.i + 100 * c.i, CONCAT('k', e.i),
        a.i FROM d a, d b, d c, d e WHERE e.i < 3;
    CREATE TABLE nokey (x INT, y VARCHAR(20));
    INSERT INTO nokey SELECT a.i, CONCAT('r', b.i, c.i) FROM d a, d b, d c;
    CREATE TABLE nk2 (x INT, y VARCHAR(20));
    INSERT INTO nk2 SELECT a.i + 10 * b.i + 100 * c.i, CONCAT('n', e.i)
        FROM d a, d b, d c, d e WHERE e.i < 3;
    INSERT INTO nk2 SELECT * FROM nk2 WHERE x < 50;
    CREATE TABLE same (id INT AUTO_INCREMENT PRIMARY KEY, s VARCHAR(10));
    INSERT INTO same (s) SELECT CONCAT('s', a.i, b.i) FROM d a, d b;
    CREATE TABLE small (id INT PRIMARY KEY, s VARCHAR(10));
    INSERT INTO small VALUES (1, 'one'), (2, 'two');
    CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, n INT);
    CREATE TRIGGER trg AFTER INSERT ON small FOR EACH ROW
        INSERT INTO log (n) VALUES (NEW.id);
    CREATE TABLE ty (id INT PRIMARY KEY, f FLOAT, d DOUBLE,
        dc DECIMAL(20,6), dt DATETIME(6), ts TIMESTAMP(3) NULL, tm TIME(2),
        y YEAR, b BIT(10), j JSON, g GEOMETRY, e ENUM('', 'a', 'b'),
        st SET('x', 'y'), l1 VARCHAR(20) CHARACTER SET latin1,
        u VARCHAR(20) CHARACTER SET utf8mb4, bl BLOB, n INT);
    INSERT INTO ty SELECT id, id / 7, id / 3, id * 1.5 - 700,
        TIMESTAMP('2026-01-01') + INTERVAL id * 977 SECOND + INTERVAL id MICROSECOND,
        IF(id % 5 = 0, NULL, TIMESTAMP('2020-06-01 12:00:00.125') + INTERVAL id MINUTE),
        SEC_TO_TIME(id * 61 - 30000), 1901 + id % 255, id % 1024,
        JSON_OBJECT('n', id, 'a', JSON_ARRAY(id * 0.25e0, 'x')),
        IF(id % 4 = 0, NULL, ST_GeomFromText(CONCAT('POINT(', id, ' ', id / 8, ')'))),
        ELT(id % 3 + 1, '', 'a', 'b'), ELT(id % 4 + 1, '', 'x', 'y', 'x,y'),
        CONCAT('caf', CHAR(233 USING latin1), id), CONCAT('ça ', id),
        IF(id % 3 = 0, NULL, UNHEX(CONCAT('00FF', HEX(id)))), NULL
        FROM big WHERE id <= 600;
    CREATE VIEW vw AS SELECT COUNT(*) AS n FROM big;
    CREATE PROCEDURE p() SELECT COUNT(*) FROM comp;"

cat >"$T/policy.ini" <<EOF2
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = df
chunk_size = 16K

$(ms_policy_host A)
$(ms_policy_host B)
EOF2
P="-c $T/policy.ini"
ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "first backup exit status"
ms_myship $P -q restore latest --host A --target B
ms_assert_eq "$MS_RC" 0 "full restore exit status"
ms_assert_eq "$(ms_sql B "SELECT COUNT(*) FROM df.log")" 0 "rows of df.log"

# About 1% of A's rows change; B drifts on its own.
ms_sql A "USE df;
    UPDATE big SET v = 'changed' WHERE id IN (17, 4242, 7999);
    DELETE FROM big WHERE id IN (2500, 2501);
    INSERT INTO big VALUES (9001, 9001, 'new'), (5000000, 5000000, 'far');
    UPDATE big SET u = -1 WHERE id = 10;
    UPDATE big SET u = 10 WHERE id = 6000;
    UPDATE big SET u = 6000 WHERE id = 10;
    UPDATE comp SET n = 99 WHERE a = 500 AND b = 'k1';
    UPDATE ty SET n = 1 WHERE id = 300;
    UPDATE nokey SET y = 'moved' WHERE x = 5 AND y = 'r55';
    INSERT INTO small VALUES (3, 'three');"
ms_sql B "USE df; INSERT INTO big VALUES (6000000, 6000000, 'stray');
    CREATE TABLE extra (i INT); UPDATE same SET s = 'drift' WHERE id = 5;
    CREATE TEMPORARY TABLE t AS SELECT * FROM nk2 WHERE x < 300;
    DELETE FROM nk2 WHERE x < 300; INSERT INTO nk2 SELECT * FROM t;"
# nk2 holds the same rows on B (duplicates included) in another order.
ms_sql B "SELECT * FROM df.nk2" >"$T/nk2.b"
cmp -s "$T/nk2.b" <(ms_sql A "SELECT * FROM df.nk2") &&
    ms_fail "df.nk2 is in the same order on A and B"
cmp -s <(sort "$T/nk2.b") <(ms_sql A "SELECT * FROM df.nk2" | sort) ||
    ms_fail "df.nk2 holds other rows on B"
sleep 1
ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "second backup exit status"
$FP "$A_CNF" df >"$T/fp.a"
dir=$T/repo/A/$(ls "$T/repo/A" | tail -1)
nchunks=$(grep -c '^member = 1-data/' "$dir/manifest.ini")
[ "$nchunks" -ge 8 ] || ms_fail "only $nchunks chunks: the test needs more"
grep -q '^values_sha256 = [0-9a-f]\{64\}$' "$dir/manifest.ini" ||
    ms_fail "the manifest records no values_sha256"
grep -q '^piece_keys = ' "$dir/manifest.ini" ||
    ms_fail "no chunk is in pieces (piece_keys): the test needs some"
# d, nokey and nk2 have no key; nk2 spans several chunks
ms_assert_eq "$(grep -c '^values_sum = [0-9a-f]\{64\}$' "$dir/manifest.ini")" 3 \
    "tables with a values_sum"
nk2=$(grep -c '^member = 1-data/df/nk2/' "$dir/manifest.ini")
[ "$nk2" -ge 3 ] || ms_fail "df.nk2 in only $nk2 chunks: the test needs more"

# "N pieces fingerprinted by the server, M read row by row"
pieces() {
	sed -n 's/.*(\([0-9]*\) pieces fingerprinted by the server, \([0-9]*\) read row by row).*/\1 \2/p' \
	    "$T/myship.err.last"
}
MYSHIP_LOG_STDERR=1 ms_myship $P -v restore latest --host A --target B --diff \
    >"$T/out"
ms_assert_eq "$MS_RC" 0 "restore --diff exit status"
cat "$T/out" >&2
set -- $(pieces)
[ "${1:-0}" -gt "$nchunks" ] && [ "${2:-}" = 0 ] ||
    ms_fail "pieces by the server / read row by row: '${1:-} ${2:-}'"
$FP "$B_CNF" df >"$T/fp.b"
diff "$T/fp.a" "$T/fp.b" >&2 || ms_fail "the diff restore differs from A"
# A's trigger fired once; B's, dropped before the rows, never.
ms_assert_eq "$(ms_sql B "SELECT COUNT(*) FROM df.log")" 1 "rows of df.log"
line=$(grep '^diff: ' "$T/out") || ms_fail "no diff: line"
set -- $(echo "$line" | sed 's/[^0-9 ]//g')
compared=$1 same=$2 reloaded=$3 atomic=$4 whole=$5
ms_assert_eq "$compared" "$nchunks" "chunks compared"
ms_assert_eq "$((same + reloaded))" "$compared" "identical + reloaded"
# big: at most 7 chunks (3 updates, 2 deletes, 2 swapped keys, the inserts
# past the last range), comp 1, nokey all of its own, small 1, log 1.
[ "$reloaded" -ge 4 ] && [ "$reloaded" -le 12 ] ||
    ms_fail "$reloaded of $compared chunks reloaded"
ms_assert_eq "$whole" 1 "tables reloaded whole (nokey)"
# comp, ty and small in one transaction each; big (a second unique key)
# and nokey not
[ "$atomic" -ge 3 ] && [ "$atomic" -lt "$((reloaded - 1))" ] ||
    ms_fail "$atomic of $reloaded chunks each in one transaction"
cmp -s "$T/nk2.b" <(ms_sql B "SELECT * FROM df.nk2") ||
    ms_fail "df.nk2, the same rows in another order, was reloaded"
archive=$(stat -c %s "$dir/backup.tar")
# the bytes read from the repository, from a diff: line ("" if streamed)
repo_read() {
	sed -n 's/^diff: .* \([0-9]*\) bytes read from the repository by ranges$/\1/p' \
	    "$1"
}
read1=$(repo_read "$T/out")
[ -n "$read1" ] && [ "$read1" -gt 0 ] && [ $((2 * read1)) -lt "$archive" ] ||
    ms_fail "the --diff read '$read1' bytes by ranges of $archive"

MYSHIP_LOG_STDERR=1 ms_myship $P -v restore latest --host A --target B --diff \
    >"$T/out"
ms_assert_eq "$MS_RC" 0 "second restore --diff exit status"
grep -q "^diff: $nchunks chunks compared, $nchunks identical, 0 reloaded" \
    "$T/out" || ms_fail "the second --diff reloaded something: $(cat "$T/out")"
set -- $(pieces)
[ "${1:-0}" -gt "$nchunks" ] ||
    ms_fail "the server fingerprinted '${1:-}' pieces of $nchunks chunks"
ms_assert_eq "${2:-}" 0 "pieces of identical chunks read row by row"
cmp -s "$T/fp.a" <($FP "$B_CNF" df) || ms_fail "the second --diff changed B"
read2=$(repo_read "$T/out")
[ -n "$read2" ] && [ $((2 * read2)) -lt "$archive" ] ||
    ms_fail "the --diff with nothing to reload read '$read2' bytes of $archive"
# A server whose max_allowed_packet is below a piece (4K here) cuts its
# GROUP_CONCAT: those pieces are read row by row, and still identical.
old_packet=$(ms_sql B "SELECT @@global.max_allowed_packet")
ms_sql B "SET GLOBAL max_allowed_packet = 2048"
MYSHIP_LOG_STDERR=1 ms_myship $P -v restore latest --host A --target B --diff \
    >"$T/out"
ms_sql B "SET GLOBAL max_allowed_packet = $old_packet"
ms_assert_eq "$MS_RC" 0 "--diff with a 2K max_allowed_packet: exit status"
grep -q "^diff: $nchunks chunks compared, $nchunks identical, 0 reloaded" \
    "$T/out" || ms_fail "the --diff with pieces cut reloaded: $(cat "$T/out")"
set -- $(pieces)
[ "${2:-0}" -gt 0 ] ||
    ms_fail "no piece read row by row with a 2K max_allowed_packet: '${2:-}'"

# A manifest without offsets: streamed whole, identical all the same;
# without values_sum the reordered nk2 is compared in scan order: reloaded.
cp "$dir/manifest.ini" "$T/manifest.keep"
sed -i -e '/^\(offset\|schema_offset\|post_offset\|users_offset\) = /d' \
    -e '/^values_sum = /d' "$dir/manifest.ini"
ms_sql B "UPDATE df.big SET v = 'stale' WHERE id = 3000"
ms_myship $P restore latest --host A --target B --diff >"$T/out"
ms_assert_eq "$MS_RC" 0 "--diff of a manifest without offsets: exit status"
want="^diff: $nchunks chunks compared, $((nchunks - 1 - nk2)) identical,"
want="$want $((1 + nk2)) reloaded"
grep -q "$want.*; $archive bytes read from the repository$" "$T/out" ||
    ms_fail "the streamed --diff: $(cat "$T/out")"
cmp -s "$T/fp.a" <($FP "$B_CNF" df) || ms_fail "the streamed --diff differs"
cp "$T/manifest.keep" "$dir/manifest.ini"

# A chunk of a table whose only unique index is its key (comp) is replaced
# in one transaction: the general log shows its range deleted and its rows
# loaded between START TRANSACTION and COMMIT on one session.  When its
# member fails (here the manifest claims a row more than it holds, found
# once its rows are in), the chunk keeps its old rows; the rerun replaces
# them.
ms_sql A "UPDATE df.comp SET n = n + 1 WHERE a BETWEEN 700 AND 705"
sleep 1
ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup for the transaction test: exit status"
dir=$T/repo/A/$(ls "$T/repo/A" | tail -1)
cp "$dir/manifest.ini" "$T/manifest.keep"
awk '/^\[/ { t = "" } /^table = / { t = $3 }
    t == "comp" && /^rows = / { $3 = $3 + 1 } { print }' \
    "$T/manifest.keep" >"$dir/manifest.ini"
ms_sql B "SELECT * FROM df.comp ORDER BY a, b" >"$T/comp.b"
ms_myship $P -q restore latest --host A --target B --diff
[ "$MS_RC" != 0 ] || ms_fail "a --diff whose comp member fails exited 0"
grep -q "df.comp not restored whole (that chunk keeps its old rows)" \
    "$T/myship.err.last" ||
    ms_fail "the failed chunk of df.comp: $(cat "$T/myship.err.last")"
cmp -s "$T/comp.b" <(ms_sql B "SELECT * FROM df.comp ORDER BY a, b") ||
    ms_fail "the chunk of df.comp whose member failed lost its old rows"
cp "$T/manifest.keep" "$dir/manifest.ini"
ms_sql B "SET GLOBAL log_output = 'TABLE'; TRUNCATE mysql.general_log;
    SET GLOBAL general_log = 1"
ms_myship $P restore latest --host A --target B --diff >"$T/out"
ms_sql B "SET GLOBAL general_log = 0"
ms_assert_eq "$MS_RC" 0 "rerun of the --diff whose member failed: exit status"
cmp -s "$T/fp.a" <($FP "$B_CNF" df) && ms_fail "A did not change for comp"
$FP "$A_CNF" df >"$T/fp.a"
cmp -s "$T/fp.a" <($FP "$B_CNF" df) || ms_fail "the rerun --diff differs"
grep -q '^diff: .* identical, \([1-9]\) reloaded (\1 each in one transaction;' \
    "$T/out" || ms_fail "comp's chunk, in one transaction: $(cat "$T/out")"
# that session's statements, in order (a CSV table reads in that order)
tid=$(ms_sql B "SELECT thread_id FROM mysql.general_log
    WHERE argument LIKE 'DELETE FROM \`df\`.\`comp\` WHERE %' LIMIT 1")
[ -n "$tid" ] || ms_fail "no DELETE of a range of df.comp in the general log"
ms_sql B "SELECT LEFT(REPLACE(argument, '\n', ' '), 60) FROM mysql.general_log
    WHERE thread_id = $tid AND command_type = 'Query'" |
    sed -n '/^START TRANSACTION/,/^COMMIT/p' >"$T/txn"
cat "$T/txn" >&2
sed -n 2p "$T/txn" | grep -q '^DELETE FROM `df`.`comp` WHERE' ||
    ms_fail "the transaction does not begin with the range's DELETE"
grep -q '^\(INSERT INTO `comp`\|LOAD DATA LOCAL .* `comp`\)' "$T/txn" ||
    ms_fail "the chunk's rows were not loaded in its transaction"
tail -n 1 "$T/txn" | grep -q '^COMMIT' || ms_fail "the transaction did not commit"
# comp's key has two columns: its ranges are scanned as ranges of the
# index, not the table whole (as a row comparison would be on MariaDB),
# both the DELETE and the fingerprint of a piece.
fmt=	# MySQL 9's EXPLAIN of a DELETE is a tree without the access type
[ "${MS_SERVER:-}" != mysql ] || fmt=FORMAT=TRADITIONAL
for like in 'DELETE FROM \`df\`.\`comp\` WHERE %' \
    'SELECT COUNT(*), SHA2(GROUP_CONCAT(% FROM \`df\`.\`comp\` WHERE %'; do
	q=$(ms_sql B "SELECT argument FROM mysql.general_log
	    WHERE argument LIKE '$like' LIMIT 1")
	[ -n "$q" ] || ms_fail "no statement like $like in the general log"
	ms_sql B "EXPLAIN $fmt $q" | cut -f 4- | grep -qw range ||
	    ms_fail "not a range scan: $(ms_sql B "EXPLAIN $fmt $q")"
done
# A lock wait that times out (1205) inside a chunk's transaction rolls it
# back, and it runs again from its DELETE once the lock is gone.
ms_sql A "UPDATE df.comp SET n = n + 1 WHERE a = 100"
sleep 1
ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup for the lock wait test: exit status"
$FP "$A_CNF" df >"$T/fp.a"
ms_sql B "SET GLOBAL innodb_lock_wait_timeout = 1"
ms_sql B "START TRANSACTION; SELECT n FROM df.comp WHERE a = 100 AND b = 'k0'
    FOR UPDATE; DO SLEEP(3); COMMIT" >/dev/null &
locker=$!
for i in $(seq 50); do
	[ "$(ms_sql B "SELECT COUNT(*) FROM information_schema.INNODB_TRX
	    WHERE trx_rows_locked > 0")" = 0 ] || break
	sleep 0.1
done
MYSHIP_LOG_STDERR=1 ms_myship $P -v -v restore latest --host A --target B \
    --diff >"$T/out"
wait "$locker" || ms_fail "the session holding the lock failed"
ms_sql B "SET GLOBAL innodb_lock_wait_timeout = 50"
ms_assert_eq "$MS_RC" 0 "--diff past a lock wait timeout: exit status"
grep -q 'df.comp.*Lock wait timeout.*; running it again' \
    "$T/myship.err.last" || ms_fail "no chunk ran again after a lock wait"
cmp -s "$T/fp.a" <($FP "$B_CNF" df) || ms_fail "the --diff past a lock wait differs"

# Interrupted: every chunk of big differs, the one in the middle of the
# archive is damaged; the rerun with it mended ends identical.
ms_sql A "UPDATE df.big SET v = CONCAT(v, '+') WHERE id % 50 = 0"
sleep 1
ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "third backup exit status"
$FP "$A_CNF" df >"$T/fp.a"
dir=$T/repo/A/$(ls "$T/repo/A" | tail -1)
flip() {
	python3 -c 'import sys
f = open(sys.argv[2], "r+b"); f.seek(int(sys.argv[1]))
b = f.read(1); f.seek(int(sys.argv[1])); f.write(bytes([b[0] ^ 0xff]))' "$@"
}
set -- $(python3 -c 'import sys, tarfile
ms = [m for m in tarfile.open(sys.argv[1]).getmembers()
      if m.name.startswith("1-data/") and "/big/" in m.name]
m = ms[len(ms) // 2]
print(m.offset_data + m.size // 2, m.name)' "$dir/backup.tar")
flip "$1" "$dir/backup.tar"
ms_myship $P -q restore latest --host A --target B --diff
ms_assert_eq "$MS_RC" 7 "restore --diff stopped by the damaged member $2"
cmp -s "$T/fp.a" <($FP "$B_CNF" df) && ms_fail "the stopped --diff completed"
flip "$1" "$dir/backup.tar"
ms_myship $P -q restore latest --host A --target B --diff
ms_assert_eq "$MS_RC" 0 "rerun of the stopped --diff: exit status"
$FP "$B_CNF" df >"$T/fp.b"
diff "$T/fp.a" "$T/fp.b" >&2 || ms_fail "the rerun --diff differs from A"

# A definition that differs: refused without --force, reloaded with it.
ms_sql B "ALTER TABLE df.comp ADD COLUMN z INT"
ms_myship $P -q restore latest --host A --target B --diff
ms_assert_eq "$MS_RC" 11 "--diff with a table defined otherwise"
grep -q "table df.comp on host B: its definition differs" \
    "$T/myship.err.last" || ms_fail "the refusal does not name df.comp"
ms_assert_eq "$(ms_sql B "SELECT COUNT(*) FROM information_schema.COLUMNS
    WHERE TABLE_SCHEMA = 'df' AND COLUMN_NAME = 'z'")" 1 "refused, changed"
ms_myship $P -q restore latest --host A --target B --diff --force
ms_assert_eq "$MS_RC" 0 "--diff --force exit status"
cmp -s "$T/fp.a" <($FP "$B_CNF" df) || ms_fail "--diff --force differs from A"

# A backup without values fingerprints (older ones recorded rows_sha256,
# of the formatted rows): refused in one line.
sed -i 's/^values_sha256 = /rows_sha256 = /' "$dir/manifest.ini"
ms_myship $P -q restore latest --host A --target B --diff
ms_assert_eq "$MS_RC" 11 "--diff of a backup without values_sha256"
grep -q "records no values fingerprint" "$T/myship.err.last" ||
    ms_fail "no message saying the backup has no values fingerprints"

# Over S3: a backup of A as B holds it, compared and not read.
srv=${MS_S3:-s3rver}
ms_s3_start "$srv"
sed "s|^repository = .*|repository = s3|" "$T/policy.ini" >"$T/s3.ini"
ms_policy_s3 >>"$T/s3.ini"
ms_myship -c "$T/s3.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "$srv: backup exit status"
ms_sql B "UPDATE df.big SET v = 'stale' WHERE id = 4000"
ms_myship -c "$T/s3.ini" restore latest --host A --target B --diff >"$T/out"
ms_assert_eq "$MS_RC" 0 "$srv: restore --diff exit status"
cat "$T/out" >&2
read3=$(repo_read "$T/out")
ms_aws s3 cp --recursive --exclude '*.tar' "s3://$S3_BUCKET/A/" "$T/dl/" \
    >/dev/null
archive=$(sed -n 's/^archive_bytes = //p' "$(ls -d "$T"/dl/*/)manifest.ini")
[ -n "$read3" ] && [ $((2 * read3)) -lt "$archive" ] ||
    ms_fail "$srv: the --diff read '$read3' bytes by ranges of $archive"
grep -q "^diff: \([0-9]*\) chunks compared, .* identical, 1 reloaded" \
    "$T/out" || ms_fail "$srv: one chunk to reload: $(cat "$T/out")"
cmp -s "$T/fp.a" <($FP "$B_CNF" df) || ms_fail "$srv: the --diff differs"
echo "diff: ok ($reloaded of $compared chunks reloaded, $same identical;" \
    "read $read1, $read2, then $read3 bytes of $archive over $srv)"
