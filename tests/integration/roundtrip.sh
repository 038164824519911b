#!/bin/bash
# Round trip of every hard case (tests/integration/hardcase.sql, on MySQL
# hardcase-mysql.sql): back up A,
# restore into other database names on A and under the same names into B,
# and compare each copy with the original: SHOW CREATE of every object, row
# counts, CHECKSUM TABLE and an ordered hash of every column's bytes
# (tests/integration/fingerprint.py).  Triggers must not fire on restore.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
FP="python3 $top_srcdir/tests/integration/fingerprint.py"
WEIRD=$(printf 'we`ird/..\ndb ü€')
WEIRD2=$(printf 'we`ird/..\ndb ü€ 2')

mariadb_start A
mariadb_start B
ms_sql A <"$MS_HARDCASE" >/dev/null

cat >"$T/policy.ini" <<EOF
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = myship_hard we.*
threads = 2
chunk_size = 64K
compression_level = 3

$(ms_policy_host A)
$(ms_policy_host B)
EOF

ms_myship -c "$T/policy.ini" backup --host A
ms_assert_eq "$MS_RC" 0 "backup exit status"
id=$(ls "$T/repo/A")
[ -f "$T/repo/A/$id/manifest.ini" ] || ms_fail "backup $id has no manifest"
ms_myship -c "$T/policy.ini" list --host A --json >"$T/list.json"
ms_assert_eq "$MS_RC" 0 "list exit status"
grep -q "\"$id\"" "$T/list.json" || ms_fail "list does not show $id"
grep -q '"complete"' "$T/list.json" || ms_fail "list: $id not complete"

# Into other names on A, over 4 loader threads.
ms_myship -c "$T/policy.ini" restore latest --host A --threads 4 \
    --database myship_hard:myship_hard_copy --database "$WEIRD:$WEIRD2"
ms_assert_eq "$MS_RC" 0 "restore into new names exit status"
# Into B, same names.
ms_myship -c "$T/policy.ini" restore "$id" --host A --target B
ms_assert_eq "$MS_RC" 0 "restore into B exit status"

# A second restore over a non-empty database is refused.
ms_myship -c "$T/policy.ini" restore "$id" --host A --target B \
    --database myship_hard
ms_assert_eq "$MS_RC" 11 "restore over a non-empty database"

compare() {	# name server db server db
	$FP "$A_CNF" "$3" >"$T/$1.orig" 2>/dev/null
	eval "cnf=\$$4_CNF"
	$FP "$cnf" "$5" >"$T/$1.copy" 2>"$T/$1.objects" ||
	    ms_fail "$1: no database in the copy"
	if ! diff "$T/$1.orig" "$T/$1.copy" >"$T/$1.diff"; then
		head -n 40 "$T/$1.diff" >&2
		ms_fail "$1: the copy differs from the original ($T/$1.diff)"
	fi
}
compare hard-renamed A myship_hard A myship_hard_copy
compare weird-renamed A "$WEIRD" A "$WEIRD2"
compare hard-on-B A myship_hard B myship_hard
compare weird-on-B A "$WEIRD" B "$WEIRD"

# Triggers did not fire on restored rows: values not prefixed twice, no
# extra log rows.
ms_assert_eq "$(ms_sql B 'SELECT GROUP_CONCAT(v ORDER BY id) FROM
    myship_hard.trg_target')" "fired:a,fired:b" "trigger target on B"
ms_assert_eq "$(ms_sql A 'SELECT COUNT(*) FROM myship_hard_copy.trg_log')" 2 \
    "trigger log rows in the copy"
# The restored sequence continues where the original would.
[ "$MS_SERVER" = mysql ] ||
    ms_assert_eq "$(ms_sql B 'SELECT NEXTVAL(myship_hard.seq_a)')" \
    "$(ms_sql A 'SELECT NEXTVAL(myship_hard.seq_a)')" "next sequence value"
# AUTO_INCREMENT counter above the maximum survives.
ms_assert_eq "$(ms_sql B "SELECT AUTO_INCREMENT FROM information_schema.TABLES
    WHERE TABLE_SCHEMA='myship_hard' AND TABLE_NAME='autoinc'")" 101 \
    "AUTO_INCREMENT of autoinc on B"

# The comparison itself sees a one-byte change.
ms_sql A "UPDATE myship_hard_copy.bin SET bl = X'C329' WHERE id = 2"
$FP "$A_CNF" myship_hard_copy >"$T/changed" 2>/dev/null
if cmp -s "$T/hard-renamed.orig" "$T/changed"; then
	ms_fail "fingerprint.py does not see a changed byte"
fi

n1=$(sed 's/objects //' "$T/hard-on-B.objects")
n2=$(sed 's/objects //' "$T/weird-on-B.objects")
lines=$(cat "$T/hard-on-B.copy" "$T/weird-on-B.copy" | wc -l)
echo "roundtrip ($MS_SERVER): $((n1 + n2)) objects in 2 databases, $lines facts per copy," \
    "identical in 4 copies (2 renamed on A, 2 on B)"
