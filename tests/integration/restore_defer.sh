#!/bin/bash
# Secondary indexes built after the data (restore --defer-indexes always),
# rows sent as LOAD DATA LOCAL INFILE:
# every hard case (tests/integration/hardcase.sql) and a database of key
# shapes (unique and nullable unique keys, tables without primary key,
# prefix, descending, commented and ignored keys, fulltext, keys on
# generated columns, AUTO_INCREMENT led by a secondary key, foreign keys
# declared before and after the tables they reference, within and across
# databases, odd names) are restored under new names and must match the
# originals: SHOW CREATE of every object (index order included), rows and
# column bytes (tests/integration/fingerprint.py).  The summary must show
# that indexes were in fact deferred, and the restored keys must work.  A
# server refusing LOCAL INFILE is loaded with INSERTs.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
FP="python3 $top_srcdir/tests/integration/fingerprint.py"
# MariaDB's IGNORED index is MySQL's INVISIBLE one.
IGNORED=IGNORED
[ "$MS_SERVER" = mysql ] && IGNORED=INVISIBLE
# MySQL leaves local_infile off; a DBA who wants the LOAD DATA path (this
# test checks it runs) turns it on.
if [ "$MS_SERVER" = mysql ]; then
	mariadb_start A --local-infile=ON
else
	mariadb_start A
fi
ms_sql A <"$MS_HARDCASE" >/dev/null
ms_sql A "SET foreign_key_checks = 0;
CREATE DATABASE keys_a; CREATE DATABASE keys_b;
USE keys_a;
-- A child created before its parent (name order), pointing at a unique
-- secondary key of it.
CREATE TABLE a_child (id INT PRIMARY KEY, code VARCHAR(10), n INT,
    KEY n (n),
    CONSTRAINT fk_code FOREIGN KEY (code) REFERENCES z_parent (code));
CREATE TABLE z_parent (id INT PRIMARY KEY, code VARCHAR(10) NOT NULL,
    v INT, UNIQUE KEY code (code), KEY v (v));
CREATE TABLE shapes (
    id INT NOT NULL AUTO_INCREMENT, a INT NOT NULL, b VARCHAR(200),
    c TEXT, d INT, g INT AS (a * 2) VIRTUAL, s INT AS (a + 1) STORED,
    \`odd, (name\`\`)\` INT,
    PRIMARY KEY (id),
    UNIQUE KEY ua (a),
    UNIQUE KEY ub (b),
    KEY pre (b(5), c(10)) COMMENT 'prefix, (odd) \`comment\`',
    KEY descd (d DESC, a),
    KEY ign (d) $IGNORED,
    KEY kg (g), KEY ks (s),
    KEY \`k,(odd\`\`\` (\`odd, (name\`\`)\`),
    FULLTEXT KEY ft (c)
) ENGINE=InnoDB;
CREATE TABLE nopk (a INT NOT NULL, b INT, c INT,
    UNIQUE KEY a (a), KEY b (b), UNIQUE KEY c (c), KEY bc (b, c));
CREATE TABLE nokeys (a INT, b INT, KEY b (b));
CREATE TABLE ai2 (a INT NOT NULL, b INT NOT NULL AUTO_INCREMENT,
    PRIMARY KEY (a, b), KEY b (b), KEY a (a));
CREATE TABLE my (id INT PRIMARY KEY, v INT, KEY v (v)) ENGINE=MyISAM;
CREATE TABLE \`empty\` (id INT PRIMARY KEY, v INT, KEY v (v));
INSERT INTO z_parent SELECT seq, CONCAT('c', seq), seq % 7 FROM seq_1_to_3000;
INSERT INTO a_child SELECT seq, CONCAT('c', seq % 3000 + 1), seq % 11
    FROM seq_1_to_3000;
INSERT INTO shapes (a, b, c, d, \`odd, (name\`\`)\`) SELECT seq,
    IF(seq % 9 = 0, NULL, CONCAT('b', seq, REPEAT('-', seq % 50))),
    CONCAT('words and more words ', seq), seq % 13, seq % 5
    FROM seq_1_to_4000;
INSERT INTO nopk SELECT seq, seq % 10, IF(seq % 4 = 0, NULL, seq)
    FROM seq_1_to_3000;
INSERT INTO nokeys SELECT seq % 10, seq % 3 FROM seq_1_to_3000;
INSERT INTO ai2 (a) SELECT seq % 5 FROM seq_1_to_3000;
INSERT INTO my SELECT seq, seq % 3 FROM seq_1_to_3000;
USE keys_b;
-- Across databases: keys_a.z_parent's unique key is named from here too.
CREATE TABLE other (id INT PRIMARY KEY, code VARCHAR(10), u INT, KEY u (u),
    CONSTRAINT fk_x FOREIGN KEY (code) REFERENCES keys_a.z_parent (code));
INSERT INTO other SELECT seq, CONCAT('c', seq), seq FROM seq_1_to_2000;
SET foreign_key_checks = 1;" >/dev/null

cat >"$T/policy.ini" <<EOF
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = myship_hard keys_a keys_b
chunk_size = 16K
compression_level = 3

$(ms_policy_host A)
EOF
P="-c $T/policy.ini"
ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup exit status"

MYSHIP_LOG_STDERR=1 ms_myship $P -vv restore latest --host A --threads 3 \
    --defer-indexes always \
    --database myship_hard:hard_copy --database keys_a:keys_a_copy \
    --database keys_b:keys_b_copy
ms_assert_eq "$MS_RC" 0 "restore with deferred indexes exit status"
# The rows of tables without BIT columns or system versioning went as
# LOAD DATA (and the copies must still be identical).
ld=$(sed -n 's/.* \([0-9]*\) of them as LOAD DATA.*/\1/p' "$T/myship.err.last")
[ "${ld:-0}" -gt 0 ] || ms_fail "no statement went as LOAD DATA"
# Exactly the tables whose keys can safely wait had them built afterwards.
sed -n 's/^myship: debug: \(.*\): deferred indexes built in .*/\1/p' \
    "$T/myship.err.last" | sort | tr '\n' ' ' >"$T/deferred"
want="keys_a.nokeys keys_a.nopk keys_a.shapes myship_hard.gen "
[ "$MS_SERVER" = mysql ] && want="keys_a.nokeys keys_a.nopk keys_a.shapes \
myship_hard.checked myship_hard.jidx "
ms_assert_eq "$(cat "$T/deferred")" "$want" "tables with deferred indexes"

for pair in myship_hard:hard_copy keys_a:keys_a_copy keys_b:keys_b_copy; do
	$FP "$A_CNF" "${pair%%:*}" >"$T/orig" 2>/dev/null
	$FP "$A_CNF" "${pair#*:}" >"$T/copy" 2>/dev/null ||
	    ms_fail "${pair#*:}: no database in the copy"
	if ! diff "$T/orig" "$T/copy" >"$T/diff"; then
		head -n 40 "$T/diff" >&2
		ms_fail "${pair#*:} differs from ${pair%%:*}"
	fi
done
# The copies are usable: the rebuilt unique key and the foreign key work.
if mariadb --defaults-file="$A_CNF" -e "SET foreign_key_checks = 1;
    INSERT INTO keys_a_copy.z_parent VALUES (9001, 'c1', 1)" 2>/dev/null; then
	ms_fail "a duplicate went into the restored unique key"
fi
if mariadb --defaults-file="$A_CNF" -e "SET foreign_key_checks = 1;
    INSERT INTO keys_a_copy.a_child VALUES (9001, 'nope', 1)" 2>/dev/null; then
	ms_fail "the restored foreign key let an orphan in"
fi
if mariadb --defaults-file="$A_CNF" -e "INSERT INTO keys_a_copy.shapes
    (a, b) VALUES (1, 'new')" 2>/dev/null; then
	ms_fail "a duplicate went into the deferred unique key"
fi

# A server that refuses LOCAL INFILE gets INSERTs, and the summary says so.
mariadb_start B --local-infile=0
printf '\n%s\n' "$(ms_policy_host B)" >>"$T/policy.ini"
ms_myship $P restore latest --host A --target B --database keys_a >"$T/out"
ms_assert_eq "$MS_RC" 0 "restore into a server without LOCAL INFILE"
cat "$T/out"
grep -q "(INSERT statements: the target has local_infile=OFF" "$T/out" ||
    ms_fail "the summary does not say LOCAL INFILE was refused"
$FP "$A_CNF" keys_a >"$T/orig" 2>/dev/null
$FP "$B_CNF" keys_a >"$T/copy" 2>/dev/null || ms_fail "keys_a not on B"
diff "$T/orig" "$T/copy" >"$T/diff" || ms_fail "keys_a on B differs"

echo "restore_defer: deferred indexes of $(cat "$T/deferred"); 3 databases" \
    "identical to their originals"
