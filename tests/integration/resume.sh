#!/bin/bash
# restore --resume goes on into what an interrupted restore left.  First a
# real one: a data member in the middle of the archive is damaged, so the
# restore stops there (exit 7) with tables created, some chunks loaded,
# held-back keys unbuilt and no view, routine or trigger; with the archive
# mended, --resume completes it, identical to the source.  Then a target
# restored whole is damaged as an interrupted restore leaves it (chunks
# of a keyed table missing, one chunk partly there, the last chunks of a
# table keyed on two columns missing, a table without a primary key partly
# loaded, rows of a table keyed on latin1 text missing, a table missing,
# the secondary key held back and never built, a view and a trigger (with
# its table) missing; the procedure and the sequence are there), is resumed
# and compared with the source (tests/integration/fingerprint.py):
# identical.  Chunks in place are skipped, the partly loaded ones deleted
# and loaded again; a second --resume skips every chunk.  --resume refuses
# --force.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
FP="python3 $top_srcdir/tests/integration/fingerprint.py"
mariadb_start A
mariadb_start B
ms_sql A "CREATE DATABASE rs; USE rs;
    CREATE TABLE d (i INT);
    INSERT INTO d VALUES (0),(1),(2),(3),(4),(5),(6),(7),(8),(9);
    CREATE TABLE big (id INT PRIMARY KEY, v VARCHAR(40), KEY v (v));
    INSERT INTO big SELECT a.i + 10 * b.i + 100 * c.i + 1000 * e.i + 1,
        CONCAT('value ', a.i * 7 + c.i) FROM d a, d b, d c, d e
        WHERE a.i + 10 * b.i + 100 * c.i + 1000 * e.i < 8000;
    CREATE TABLE comp (a INT NOT NULL, b VARCHAR(10) NOT NULL, n INT,
        PRIMARY KEY (a, b));
    INSERT INTO comp SELECT a.i + 10 * b.i + 100 * c.i, CONCAT('k', e.i),
        a.i FROM d a, d b, d c, d e WHERE e.i < 3;
    CREATE TABLE nokey (x INT, y VARCHAR(20));
    INSERT INTO nokey SELECT a.i, CONCAT('r', b.i, c.i) FROM d a, d b, d c;
    CREATE TABLE lat (k VARCHAR(20) CHARACTER SET latin1 PRIMARY KEY,
        n INT);
    INSERT INTO lat SELECT CONCAT(_latin1 X'E9', LPAD(a.i + 10 * b.i
        + 100 * c.i + 1000 * e.i, 4, '0'), REPEAT('x', 10)), a.i
        FROM d a, d b, d c, d e WHERE e.i < 2;
    CREATE TABLE small (id INT PRIMARY KEY, s VARCHAR(10));
    INSERT INTO small VALUES (1, 'one'), (2, 'two');
    CREATE TABLE log (id INT AUTO_INCREMENT PRIMARY KEY, n INT);
    CREATE TRIGGER trg AFTER INSERT ON small FOR EACH ROW
        INSERT INTO log (n) VALUES (NEW.id);
    CREATE VIEW vw AS SELECT COUNT(*) AS n FROM big;
    CREATE PROCEDURE p() SELECT COUNT(*) FROM comp;"
[ "${MS_SERVER:-mariadb}" = mysql ] ||
	ms_sql A "CREATE SEQUENCE rs.sq START WITH 5; SELECT NEXTVAL(rs.sq)" >/dev/null

cat >"$T/policy.ini" <<EOF
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = rs
chunk_size = 16K

$(ms_policy_host A)
$(ms_policy_host B)
EOF
P="-c $T/policy.ini"
ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup exit status"
$FP "$A_CNF" rs >"$T/fp.a"
dir=$T/repo/A/$(ls "$T/repo/A")
nchunks=$(grep -c '^member = 1-data/' "$dir/manifest.ini")
[ "$nchunks" -ge 8 ] || ms_fail "only $nchunks chunks: the test needs more"

# flip OFFSET FILE: inverts one byte in place (twice mends it).
flip() {
	python3 -c 'import sys
f = open(sys.argv[2], "r+b"); f.seek(int(sys.argv[1]))
b = f.read(1); f.seek(int(sys.argv[1])); f.write(bytes([b[0] ^ 0xff]))' "$@"
}
# The middle one of the data members, as the archive holds them.
set -- $(python3 -c 'import sys, tarfile
ms = [m for m in tarfile.open(sys.argv[1]).getmembers()
      if m.name.startswith("1-data/")]
m = ms[len(ms) // 2]
print(m.offset_data + m.size // 2, m.name)' "$dir/backup.tar")
flip "$1" "$dir/backup.tar"
ms_myship $P -q restore latest --host A --target B --defer-indexes always
ms_assert_eq "$MS_RC" 7 "restore stopped by the damaged member $2"
grep -q "member $2.*SHA-256" "$T/myship.err.last" ||
    ms_fail "the error does not name $2"
[ "$(ms_sql B "SELECT COUNT(*) FROM information_schema.ROUTINES
    WHERE ROUTINE_SCHEMA = 'rs'")" = 0 ] || ms_fail "post-data ran"
flip "$1" "$dir/backup.tar"
MYSHIP_LOG_STDERR=1 ms_myship $P -v restore latest --host A --target B --resume
ms_assert_eq "$MS_RC" 0 "restore --resume after the stop: exit status"
grep -q "resumed: [1-9][0-9]* chunks already in place skipped" \
    "$T/myship.err.last" || ms_fail "no chunk skipped after the stop"
$FP "$B_CNF" rs >"$T/fp.b"
diff "$T/fp.a" "$T/fp.b" >&2 || ms_fail "the resumed restore differs"

# What an interrupted restore leaves.
ms_sql B "USE rs; DELETE FROM big WHERE id <= 1500 OR id = 6000;
    DELETE FROM comp WHERE a >= 900;
    DELETE FROM nokey WHERE x = 3;
    DELETE FROM lat WHERE n = 3 AND k > CONCAT(_latin1 X'E9', '1000');
    DROP TABLE small; ALTER TABLE big DROP KEY v;
    DROP VIEW vw;"
cmp -s "$T/fp.a" <($FP "$B_CNF" rs) && ms_fail "the damage did not show"

ms_myship $P -q restore latest --host A --target B --resume --force
ms_assert_eq "$MS_RC" 2 "--resume with --force"
grep -q -- "--resume and --force" "$T/myship.err.last" ||
    ms_fail "no message naming --resume and --force"
MYSHIP_LOG_STDERR=1 ms_myship $P -v restore latest --host A --target B --resume
ms_assert_eq "$MS_RC" 0 "restore --resume exit status"
line=$(grep "resumed: " "$T/myship.err.last") ||
    ms_fail "no line counting the chunks skipped"
skipped=$(echo "$line" | sed 's/.*resumed: \([0-9]*\) chunks.*/\1/')
cleared=$(echo "$line" | sed 's/.*skipped, \([0-9]*\) partly.*/\1/')
[ "$skipped" -gt 0 ] && [ "$skipped" -lt "$nchunks" ] ||
    ms_fail "skipped $skipped of $nchunks chunks"
[ "$cleared" -ge 2 ] || ms_fail "only $cleared chunks deleted and loaded again"
$FP "$B_CNF" rs >"$T/fp.b"
diff "$T/fp.a" "$T/fp.b" >&2 || ms_fail "the resumed restore differs"
# The trigger came back after the rows: it fired for none.
ms_assert_eq "$(ms_sql B "SELECT COUNT(*) FROM rs.log")" 0 "rows of rs.log"

# Nothing left to do: every chunk is skipped.
MYSHIP_LOG_STDERR=1 ms_myship $P -v restore latest --host A --target B --resume
ms_assert_eq "$MS_RC" 0 "second restore --resume exit status"
grep -q "resumed: $nchunks chunks already in place skipped, 0 partly" \
    "$T/myship.err.last" || ms_fail "the second --resume loaded something"
$FP "$B_CNF" rs >"$T/fp.b"
cmp -s "$T/fp.a" "$T/fp.b" || ms_fail "the second --resume changed B"
echo "resume: ok ($skipped of $nchunks chunks skipped, $cleared loaded again; stopped at $2)"
