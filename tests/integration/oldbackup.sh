#!/bin/bash
# Backups an earlier build wrote still restore: tests/fixtures/format1/repo
# holds two backups of tests/fixtures/format1/source.sql made by the build
# of 611740d (compression levels 3 and 0; remade by make.sh there).  Each
# is restored under another name and compared, object by object and byte
# by byte, with a fresh load of the same source
# (tests/integration/fingerprint.py).  MySQL refuses them (exit 11); with
# --force everything is restored, the sql_mode flags MySQL lacks left out
# with a warning each.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
FP="python3 $top_srcdir/tests/integration/fingerprint.py"
fix=$top_srcdir/tests/fixtures/format1

mariadb_start A
# A copy: the source tree may be read-only (distcheck).
cp -r "$fix/repo" "$T/repo"
{
	printf '[global]\nrepository = %s\nlock_file = %s\n\n' "$T/repo" "$T/lock"
	ms_policy_host A
} >"$T/policy.ini"
# The fixture is a MariaDB backup: MySQL is refused it before anything is
# created, in one line naming both servers.
if [ "$MS_SERVER" = mysql ]; then
	ms_myship -c "$T/policy.ini" restore latest --host A \
	    --database myship_old:copy1
	ms_assert_eq "$MS_RC" 11 "a MariaDB backup restored into MySQL"
	ms_assert_eq "$(wc -l <"$T/myship.err.last")" 1 "lines of the refusal"
	grep -Eq '^myship: backup of MariaDB 10\.[0-9.]+ cannot be restored whole into MySQL [89]\.' \
	    "$T/myship.err.last" || ms_fail "the refusal does not name both servers"
	ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM information_schema.SCHEMATA
	    WHERE SCHEMA_NAME = 'copy1'")" 0 "a database created before the refusal"
	refusal=$(cat "$T/myship.err.last")
	# --force tries anyway: every table, row and object is restored and
	# no trigger fired on the rows; MariaDB's sql_mode NO_AUTO_CREATE_USER
	# (set before each routine and trigger), which MySQL lacks, is left
	# out in a warning naming member and line, and each object keeps the
	# rest of its mode.
	ms_myship -c "$T/policy.ini" restore latest --host A \
	    --database myship_old:copy1 --force
	ms_assert_eq "$MS_RC" 0 "a MariaDB backup forced into MySQL"
	ms_assert_eq "$(grep -c "^myship: warning: member 2-post/myship_old.sql (database myship_old) line [0-9]*: sql_mode NO_AUTO_CREATE_USER unknown to the target, left out" \
	    "$T/myship.err.last")" 3 "warnings for the sql_mode flag MySQL lacks"
	ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM copy1.nums") $(ms_sql A \
	    "SELECT COUNT(*) FROM copy1.child") $(ms_sql A "SELECT COUNT(*) FROM copy1.audit")" \
	    "6000 50 0" "rows forced into MySQL (nums, child, audit)"
	ms_assert_eq "$(ms_sql A "SELECT GROUP_CONCAT(DISTINCT SQL_MODE) FROM
	    information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'copy1'") $(ms_sql A \
	    "SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'copy1'") $(ms_sql A \
	    "SELECT SQL_MODE FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'copy1'")" \
	    "STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION 2 STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION" \
	    "routines and trigger forced into MySQL, with their modes less the flag"
	# A MariaDB 10.11 (host) backup of every MariaDB hard case, forced into
	# MySQL: what MySQL has no syntax for fails alone, one line each
	# (sequences and their state, an Aria table, a table defaulting to a
	# sequence, a system-versioned one, an Oracle package and its body, an
	# Oracle-mode procedure and trigger),
	# the database comment is left out in a warning, everything else is
	# restored with its rows (exit 13).
	MS_SERVER=mariadb mariadb_start M
	MS_SERVER=mariadb ms_sql M <"$top_srcdir/tests/integration/hardcase.sql" >/dev/null
	{
		printf '[global]\nrepository = %s\nlock_file = %s\n\n' "$T/repo" "$T/lock"
		printf '[backup]\ndatabases = myship_hard\n\n'
		ms_policy_host M
		ms_policy_host A
	} >"$T/cross.ini"
	ms_myship -c "$T/cross.ini" -q backup --host M
	ms_assert_eq "$MS_RC" 0 "backup of the MariaDB hard cases"
	ms_myship -c "$T/cross.ini" restore latest --host M --target A --force
	ms_assert_eq "$MS_RC" 13 "MariaDB hard cases forced into MySQL"
	e=$T/myship.err.last
	grep -q "line 3: the target takes no database comment: created without it" "$e" ||
	    ms_fail "no warning for the database comment"
	for obj in 'sequence `seq b`' 'sequence `seq_a`' 'package "pkg"' \
	    'procedure "ora;proc"' 'trigger "ora_trg"' \
	    'table myship_hard.ar' 'table myship_hard.seqdef' 'table myship_hard.versioned'; do
		grep -qF "error: $obj " "$e" || ms_fail "$obj not named: $(cat "$e")"
	done
	grep -q "restored with failures into host A: 30 of 33 tables and 9 of 15 views, routines, triggers and events restored; 3 tables, 6 objects and 2 other statements failed" "$e" ||
	    ms_fail "the last line: $(tail -1 "$e")"
	ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM myship_hard.nums")" \
	    "$(MS_SERVER=mariadb ms_sql M "SELECT COUNT(*) FROM myship_hard.nums")" \
	    "rows of a table forced into MySQL"
	echo "oldbackup: a MariaDB backup is refused by MySQL: $refusal;" \
	    "with --force: exit 0; the MariaDB hard cases forced: $(tail -1 "$e")"
	exit 0
fi
ms_sql A <"$fix/source.sql" >/dev/null

$FP "$A_CNF" myship_old >"$T/orig" 2>/dev/null
ids=$(ls "$T/repo/A")
[ "$(echo "$ids" | wc -l)" = 2 ] || ms_fail "fixture: expected 2 backups, got: $ids"
n=0
for id in $ids; do
	n=$((n + 1))
	level=$(sed -n 's/^compression_level = //p' "$T/repo/A/$id/manifest.ini")
	ms_myship -c "$T/policy.ini" restore "$id" --host A --threads 2 \
	    --database "myship_old:copy$n"
	ms_assert_eq "$MS_RC" 0 "restore of $id (level $level)"
	$FP "$A_CNF" "copy$n" >"$T/copy$n" 2>"$T/objects$n" ||
	    ms_fail "restore of $id: no database copy$n"
	if ! diff "$T/orig" "$T/copy$n" >"$T/diff$n"; then
		head -n 30 "$T/diff$n" >&2
		ms_fail "the restore of $id (level $level) differs from the source"
	fi
	echo "oldbackup: $id (level $level): $(cat "$T/objects$n"), $(wc -l <"$T/copy$n") facts identical"
done
# The comparison sees a change.
ms_sql A "UPDATE copy1.words SET n = n + 1 WHERE w = 'w1'"
$FP "$A_CNF" copy1 >"$T/changed" 2>/dev/null
cmp -s "$T/copy1" "$T/changed" && ms_fail "fingerprint.py missed a change"
exit 0
