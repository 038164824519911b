#!/bin/bash
# Rows that belong to other tables are never dumped as data, and a view the
# server can no longer validate is kept from its definition:
# - a MERGE table over two MyISAM tables and a BLACKHOLE table get no data
#   member (their definitions are in the schema member); restored, the
#   MERGE table shows the underlying rows once, not twice; the SEQUENCE
#   engine's seq_1_to_N tables are dumped nowhere and a CREATE SEQUENCE
#   object keeps its state; a FEDERATED table over a table of A gets no
#   data member and its restore writes nothing into that table (MariaDB);
# - a view over a dropped table (warning 1356) is backed up (warned, listed
#   as kept, exit 14) and recreated where the target allows it: one reading
#   a table of a database the restore does not bring but the target holds
#   comes back; one reading a table dropped for good fails alone (exit 13);
# - a view of database aa reading a view of eng (restored after aa in name
#   order) comes back: post-data members go in cross-database view order;
# - restore --stop-on-error stops at that view (exit 5).
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
mariadb_start A
mariadb_start B
engine_ok() {	# ENGINE [SERVER]
	ms_sql "${2:-A}" "SELECT 1 FROM information_schema.ENGINES
	    WHERE ENGINE = '$1' AND SUPPORT IN ('YES', 'DEFAULT')" | grep -q 1
}
mariadb=0
[ "${MS_SERVER:-mariadb}" = mysql ] || mariadb=1
# MariaDB ships BLACKHOLE as a plugin (Debian's mariadb-server has it).
for s in A B; do
	if [ "$mariadb" = 1 ] && ! engine_ok BLACKHOLE $s; then
		ms_sql $s "INSTALL SONAME 'ha_blackhole'"
	fi
done
engine_ok MRG_MYISAM || ms_skip "no MERGE engine on $(ms_sql A "SELECT VERSION()")"
engine_ok BLACKHOLE && engine_ok BLACKHOLE B || ms_skip "no BLACKHOLE engine"

ms_sql A "CREATE DATABASE eng; USE eng;
    CREATE TABLE t_a (id INT NOT NULL, v VARCHAR(10), KEY (id)) ENGINE=MyISAM;
    CREATE TABLE t_b (id INT NOT NULL, v VARCHAR(10), KEY (id)) ENGINE=MyISAM;
    INSERT INTO t_a VALUES (1, 'a1'), (2, 'a2');
    INSERT INTO t_b VALUES (3, 'b3'), (4, 'b4'), (5, 'b5');
    CREATE TABLE m (id INT NOT NULL, v VARCHAR(10), KEY (id))
        ENGINE=MRG_MyISAM UNION=(t_a, t_b) INSERT_METHOD=LAST;
    CREATE TABLE bh (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=BLACKHOLE;
    INSERT INTO bh VALUES (1, 'gone');
    CREATE TABLE keep (id INT PRIMARY KEY);
    INSERT INTO keep VALUES (10), (20);
    CREATE TABLE vgone (id INT);
    CREATE VIEW v_ok AS SELECT COUNT(*) AS n FROM m;
    CREATE VIEW v_gone AS SELECT id FROM vgone;
    DROP TABLE vgone;
    CREATE DATABASE ext; CREATE TABLE ext.t (id INT);
    INSERT INTO ext.t VALUES (7);
    CREATE VIEW eng.v_ext AS SELECT id FROM ext.t;
    DROP TABLE ext.t;
    CREATE DATABASE aa; CREATE TABLE aa.t (id INT); INSERT INTO aa.t VALUES (4);
    CREATE VIEW aa.v_cross AS SELECT n + 1 AS n FROM eng.v_ok;
    CREATE VIEW eng.v_aa AS SELECT id FROM aa.t;"
if [ "$mariadb" = 1 ]; then
	ms_sql A "CREATE SEQUENCE eng.s START WITH 100;
	    SELECT NEXTVAL(eng.s); SELECT COUNT(*) FROM eng.seq_1_to_10" >/dev/null
	# A FEDERATED table over a table of A outside the backup: restored, it
	# must not write its rows into that table again.
	for s in A B; do
		engine_ok FEDERATED $s || ms_sql $s "INSTALL SONAME 'ha_federatedx'"
	done
	ms_sql A "CREATE DATABASE src; CREATE TABLE src.r (id INT);
	    INSERT INTO src.r VALUES (1), (2), (3);
	    CREATE TABLE eng.fed (id INT) ENGINE=FEDERATED CONNECTION=
	    'mysql://root:$(cat "$A_PASSFILE")@127.0.0.1:$A_PORT/src/r'"
fi

cat >"$T/policy.ini" <<EOF
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = eng aa

$(ms_policy_host A)
$(ms_policy_host B)
EOF
P="-c $T/policy.ini"
ms_myship $P -v backup --host A
ms_assert_eq "$MS_RC" 14 "backup with views kept from their definition"
err=$T/myship.err.last
grep -q "kept view eng.v_gone: .*from its definition" "$err" ||
    ms_fail "no warning naming v_gone"
grep -q "kept view eng.v_ext: .*from its definition" "$err" ||
    ms_fail "no warning naming v_ext"
id=$(ls "$T/repo/A")
tar -tf "$T/repo/A/$id/backup.tar" >"$T/members"
grep -q '^1-data/eng/t_a/' "$T/members" || ms_fail "t_a has no data member"
grep -q '^1-data/eng/keep/' "$T/members" || ms_fail "keep has no data member"
if grep -q -e '^1-data/eng/m/' -e '^1-data/eng/bh/' -e 'seq_1_to' \
    -e '^1-data/eng/fed/' "$T/members"; then
	ms_fail "a table without rows of its own was dumped: $(cat "$T/members")"
fi
man="$T/repo/A/$id/manifest.ini"
sed -e ':a' -e '/\\$/{N;s/\\\n *//;ba' -e '}' "$man" >"$T/man.joined"
grep -q "^skipped = .*view%20eng.v_gone:.*kept%20from%20its%20definition" \
    "$T/man.joined" || ms_fail "the manifest does not list v_gone as kept"
[ "$(grep -c '^member = 1-data/eng/m/\|^member = 1-data/eng/bh/' "$man")" = 0 ] ||
    ms_fail "the manifest lists a data member of m or bh"

# --stop-on-error: the first object refused stops the restore.
ms_myship $P restore latest --host A --target B --stop-on-error
ms_assert_eq "$MS_RC" 5 "restore --stop-on-error past a refused view"
grep -q "2-post/eng.*\(Table 'ext.t' doesn't exist\|Unknown database 'ext'\)" \
    "$err" ||
    ms_fail "the error does not name the member and the server's error"
if grep -q "restored with failures" "$err"; then
	ms_fail "--stop-on-error went on"
fi

# The target holds ext.t: v_ext comes back; v_gone alone fails.
ms_sql B "DROP DATABASE eng; DROP DATABASE aa; CREATE DATABASE ext;
    CREATE TABLE ext.t (id INT); INSERT INTO ext.t VALUES (8);"
ms_myship $P restore latest --host A --target B
ms_assert_eq "$MS_RC" 13 "restore with one view refused"
grep -q 'view `v_gone` in database eng not restored' "$err" ||
    ms_fail "no line names v_gone"
[ "$(grep -c 'not restored' "$err")" = 1 ] ||
    ms_fail "something but v_gone was reported as not restored"
got=$(ms_sql B "SELECT COUNT(*), SUM(id) FROM eng.m;
    SELECT COUNT(*) FROM eng.t_a; SELECT COUNT(*) FROM eng.t_b;
    SELECT COUNT(*) FROM eng.bh; SELECT n FROM eng.v_ok;
    SELECT id FROM eng.v_ext; SELECT COUNT(*) FROM eng.keep;
    SELECT n FROM aa.v_cross; SELECT id FROM eng.v_aa;
    SELECT UPPER(ENGINE) FROM information_schema.TABLES
    WHERE TABLE_SCHEMA = 'eng' AND TABLE_NAME IN ('m', 'bh')
    ORDER BY TABLE_NAME" | tr '\t\n' '  ')
ms_assert_eq "$got" "5 15 2 3 0 5 8 2 6 4 BLACKHOLE MRG_MYISAM " \
    "MERGE rows once, BLACKHOLE empty, v_ext over the target's ext.t, aa.v_cross"
if [ "$mariadb" = 1 ]; then
	ms_assert_eq "$(ms_sql B "SELECT COUNT(*) FROM eng.fed")" 3 \
	    "rows through the restored FEDERATED table"
	ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM src.r")" 3 \
	    "rows of the table under the FEDERATED one"
	ms_assert_eq "$(ms_sql B "SELECT NEXTVAL(eng.s)")" \
	    "$(ms_sql A "SELECT NEXTVAL(eng.s)")" "the sequence's next value"
fi
echo "own_rows: ok ($(ms_sql A "SELECT VERSION()"))"
