#!/bin/bash
# restore --table and --database read only the members they need, by
# ranges of backup.tar (offsets in the manifest): from the local repository
# (seeks) and from S3 (ranged GETs), encrypted members too.  One table of a
# two-database backup is restored while reading less than twice its
# members' size, identical (CHECKSUM TABLE, row count), and nothing else is
# created; patterns pick tables across a rename; a name that matches no
# table is one line, exit 8; over S3 a ranged GET the server cuts resumes
# at its own next byte; a whole restore from S3 reads the archive by ranged
# GETs in parallel, every byte once, identical, also when a GET fails or is
# cut; a backup from before offsets (the format1 fixture) still restores by
# streaming the archive whole.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"

mariadb_start A
mariadb_start B
# rng_a.big: 3 MiB that do not compress, one chunk (big2 the same, so a
# whole restore from S3 has more than one range); rng_b many small ones.
ms_sql A "CREATE DATABASE rng_a; CREATE DATABASE rng_b;
    CREATE TABLE rng_a.big (id INT PRIMARY KEY, b VARBINARY(1024));
    CREATE TABLE rng_a.big2 (id INT PRIMARY KEY, b VARBINARY(1024));
    CREATE TABLE rng_a.small (id INT PRIMARY KEY, v VARCHAR(20));
    CREATE TABLE rng_b.t1 (id INT PRIMARY KEY, v VARCHAR(20));
    CREATE TABLE rng_b.t2 (id INT PRIMARY KEY, v VARCHAR(20));
    CREATE TABLE rng_b.other (id INT PRIMARY KEY);
    CREATE VIEW rng_b.v AS SELECT id FROM rng_b.t1;
    INSERT INTO rng_a.small VALUES (1, 'one'), (2, 'two');
    INSERT INTO rng_b.t1 SELECT seq, CONCAT('t1-', seq) FROM
        (SELECT 1 seq UNION SELECT 2 UNION SELECT 3) s;
    INSERT INTO rng_b.t2 VALUES (7, 'seven');
    INSERT INTO rng_b.other VALUES (1);"
if [ "$MS_SERVER" = mysql ]; then
	ms_sql A "SET SESSION cte_max_recursion_depth = 5000;
	    INSERT INTO rng_a.big WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL
	    SELECT n + 1 FROM s WHERE n < 3072) SELECT n, RANDOM_BYTES(1024)
	    FROM s"
else
	ms_sql A "USE rng_a; INSERT INTO big SELECT seq, RANDOM_BYTES(1024)
	    FROM seq_1_to_3072"
fi
ms_sql A "INSERT INTO rng_a.big2 SELECT id, b FROM rng_a.big"
ms_myship keygen "$T/key"

policy()	# repository [extra sections]
{
	cat <<EOP
[global]
repository = $1
lock_file = $T/myship.lock

[backup]
databases = rng_a rng_b
threads = 2
chunk_size = 8M
$ENCRYPT

$2
$(ms_policy_host A)
$(ms_policy_host B)
EOP
}

checksum()	# server db.table
{
	ms_sql "$1" "CHECKSUM TABLE $2" | cut -f2
}

# "N bytes read from the repository" of the last restore.
bytes_read()
{
	sed -n 's/.*, \([0-9]*\) bytes read from the repository.*/\1/p' \
	    "$T/out" | tail -1
}

# Stored bytes of the members a restore of rng_a.big needs (its chunks and
# rng_a's schema member), and its number of chunks.
manifest_facts()	# manifest.ini
{
	python3 - "$1" <<'PY'
import configparser, sys
c = configparser.ConfigParser(interpolation=None)
c.read(sys.argv[1])
db = [c[s] for s in c.sections() if s.startswith('database ') and c[s]['name'] == 'rng_a'][0]
ch = [c[s] for s in c.sections() if s.startswith('chunk ') and c[s]['db'] == 'rng_a' and c[s]['table'] == 'big']
size = int(db['schema_bytes']) + sum(int(x['bytes']) for x in ch)
print(size, len(ch))
PY
}

ranged_cases()	# policy file, label
{
	p=$1 what=$2
	for db in rng_a rng_b copy_b whole_b; do
		ms_sql B "DROP DATABASE IF EXISTS $db"
	done
	# One table: only its members read, identical, nothing else made.
	ms_myship -c "$p" restore latest --host A --target B \
	    --table rng_a.big >"$T/out"
	cat "$T/out"
	ms_assert_eq "$MS_RC" 0 "$what: restore --table rng_a.big"
	n=$(bytes_read)
	[ -n "$n" ] && [ "$n" -lt $((2 * need)) ] ||
	    ms_fail "$what: $n bytes read for members of $need bytes"
	echo "# $what: one table: $n bytes read, its members $need bytes"
	ms_assert_eq "$(checksum B rng_a.big) $(ms_sql B 'SELECT COUNT(*) FROM rng_a.big')" \
	    "$(checksum A rng_a.big) 3072" "$what: rng_a.big restored"
	ms_assert_eq "$(ms_sql B "SELECT GROUP_CONCAT(TABLE_SCHEMA, '.', TABLE_NAME)
	    FROM information_schema.TABLES WHERE TABLE_SCHEMA LIKE 'rng%'")" \
	    "rng_a.big" "$what: tables on the target"
	# Patterns on both parts, through a rename; the view is not restored.
	ms_myship -c "$p" restore latest --host A --target B \
	    --database rng_b:copy_b --table 'rng_?.t*' >"$T/out"
	ms_assert_eq "$MS_RC" 0 "$what: restore --table 'rng_?.t*'"
	ms_assert_eq "$(ms_sql B "SELECT GROUP_CONCAT(TABLE_NAME ORDER BY 1)
	    FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'copy_b'")" \
	    "t1,t2" "$what: tables the patterns name"
	ms_assert_eq "$(checksum B copy_b.t1) $(checksum B copy_b.t2)" \
	    "$(checksum A rng_b.t1) $(checksum A rng_b.t2)" "$what: t1, t2"
	# Into a database that holds them: refused, then --force replaces
	# only the tables selected.
	ms_myship -c "$p" restore latest --host A --target B \
	    --database rng_b:copy_b --table rng_b.t2
	ms_assert_eq "$MS_RC" 11 "$what: --table into a non-empty database"
	ms_sql B "DELETE FROM copy_b.t2"
	ms_myship -c "$p" restore latest --host A --target B \
	    --database rng_b:copy_b --table rng_b.t2 --force
	ms_assert_eq "$MS_RC" 0 "$what: --table --force"
	ms_assert_eq "$(ms_sql B 'SELECT COUNT(*) FROM copy_b.t1') $(ms_sql B \
	    'SELECT COUNT(*) FROM copy_b.t2')" "3 1" "$what: t2 replaced, t1 kept"
	# A name that matches nothing: one line, exit 8, nothing created.
	ms_myship -c "$p" restore latest --host A --target B \
	    --table rng_a.nope
	ms_assert_eq "$MS_RC" 8 "$what: --table of no table"
	ms_assert_eq "$(wc -l <"$T/myship.err.last")" 1 "$what: lines of the error"
	grep -q '^myship: --table rng_a.nope: no such table in backup A/' \
	    "$T/myship.err.last" || ms_fail "$what: $(cat "$T/myship.err.last")"
	# One database whole: its members only, view included.
	ms_myship -c "$p" restore latest --host A --target B \
	    --database rng_b:whole_b >"$T/out"
	ms_assert_eq "$MS_RC" 0 "$what: restore --database rng_b"
	[ "$(bytes_read)" -lt "$need" ] ||
	    ms_fail "$what: --database rng_b read $(bytes_read) bytes"
	ms_assert_eq "$(ms_sql B "SELECT COUNT(*) FROM information_schema.TABLES
	    WHERE TABLE_SCHEMA = 'whole_b'") $(ms_sql B 'SELECT COUNT(*) FROM whole_b.v')" \
	    "4 3" "$what: rng_b whole (3 tables and the view)"
}

# A whole restore from S3 (every database, renamed): by ranges, every byte
# of the archive read once at most, every table identical.
whole_s3()	# label archive-bytes
{
	what=$1 archive=$2
	for db in full_a full_b; do
		ms_sql B "DROP DATABASE IF EXISTS $db"
	done
	ms_myship -c "$T/s3.ini" restore latest --host A --target B \
	    --database rng_a:full_a --database rng_b:full_b >"$T/out"
	cat "$T/out"
	ms_assert_eq "$MS_RC" 0 "$what: whole restore from S3"
	grep -q " by ranges" "$T/out" || ms_fail "$what: not read by ranges"
	n=$(bytes_read)
	[ -n "$n" ] && [ "$n" -le "$archive" ] && [ "$n" -gt $((archive / 2)) ] ||
	    ms_fail "$what: $n bytes read of an archive of $archive"
	echo "# $what: whole restore: $n bytes read of $archive"
	for t in rng_a.big:full_a.big rng_a.big2:full_a.big2 \
	    rng_a.small:full_a.small rng_b.t1:full_b.t1 rng_b.t2:full_b.t2; do
		ms_assert_eq "$(checksum B "${t#*:}")" "$(checksum A "${t%:*}")" \
		    "$what: ${t#*:}"
	done
	ms_assert_eq "$(ms_sql B 'SELECT COUNT(*) FROM full_b.v')" 3 \
	    "$what: full_b.v"
}

# Local repository, members encrypted.
ENCRYPT="encrypt_to = $T/key.pub
[restore]
identity_file = $T/key"
policy "$T/repo" "" >"$T/local.ini"
ms_myship -c "$T/local.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup to the local repository"
read -r need nchunks < <(manifest_facts "$(ls -d "$T"/repo/A/*/)manifest.ini")
ms_assert_eq "$nchunks" 1 "chunks of rng_a.big"
ranged_cases "$T/local.ini" local

# S3, plain: one cut ranged GET resumes from its own offset.
ENCRYPT=
for srv in $(ms_s3_servers); do
	ms_s3_start "$srv"
	policy s3 "$(ms_policy_s3)
retries = 2
" >"$T/s3.ini"
	ms_myship -c "$T/s3.ini" -q backup --host A
	ms_assert_eq "$MS_RC" 0 "$srv: backup"
	rm -rf "$T/dl"
	ms_aws s3 cp --recursive --exclude '*.tar' "s3://$S3_BUCKET/A/" \
	    "$T/dl/" >/dev/null
	read -r need nchunks < <(manifest_facts "$(ls -d "$T"/dl/*/)manifest.ini")
	ranged_cases "$T/s3.ini" "$srv"
	size=$(ms_aws s3 ls "s3://$S3_BUCKET/A/" --recursive |
	    awk '/backup.tar$/ { print $3 }')
	whole_s3 "$srv" "$size"
	[ "$srv" = s3rver ] || continue
	# Its GETs go out in parallel, in no fixed order: the fault picks
	# the one GET over a MiB, the chunk's.
	s3_control "set?drop-big-get=1" >/dev/null
	ms_sql B "DROP DATABASE rng_a"
	: >"$T/myship.err"
	ms_myship -c "$T/s3.ini" restore latest --host A --target B \
	    --table rng_a.big
	ms_assert_eq "$MS_RC" 0 "$srv: restore with a cut ranged GET"
	s3_control stats | grep -q "drop-big-get=1" ||
	    ms_fail "$srv: drop-get did not fire"
	grep -q "resuming at byte 1048576" "$T/myship.err" ||
	    ms_fail "$srv: the cut ranged GET did not resume at byte 1048576"
	ms_assert_eq "$(checksum B rng_a.big)" "$(checksum A rng_a.big)" \
	    "$srv: rng_a.big after a cut GET"
	s3_control reset >/dev/null
	# A whole restore again, one range GET failed (500) and the first
	# over a MiB cut after one: retried, resumed, identical.
	s3_control "set?fail-get=2&drop-big-get=1" >/dev/null
	: >"$T/myship.err"
	whole_s3 "$srv-faults" "$size"
	s3_control stats | grep -q "fail-get=2" && s3_control stats |
	    grep -q "drop-big-get=1" || ms_fail "$srv: the GET faults did not fire"
	grep -q "injected fault: GetObject failed; resuming at byte 0" \
	    "$T/myship.err" || ms_fail "$srv: the failed range GET was not retried"
	grep -q "resuming at byte 1048576" "$T/myship.err" ||
	    ms_fail "$srv: the cut range GET did not resume at byte 1048576"
	s3_control reset >/dev/null
done

# A backup from before offsets: --table streams the archive whole.
cp -r "$top_srcdir/tests/fixtures/format1/repo" "$T/old"
{
	printf '[global]\nrepository = %s\nlock_file = %s\n\n' "$T/old" "$T/lock"
	ms_policy_host A
} >"$T/old.ini"
if [ "$MS_SERVER" != mysql ]; then
	ms_myship -c "$T/old.ini" restore latest --host A \
	    --database myship_old:old1 --table myship_old.nums >"$T/out"
	ms_assert_eq "$MS_RC" 0 "restore --table from an old backup"
	tar=$(ls "$T"/old/A/*/backup.tar | tail -1)
	ms_assert_eq "$(bytes_read)" "$(stat -c %s "$tar")" \
	    "bytes read of an old backup (the whole archive)"
	ms_assert_eq "$(ms_sql A "SELECT GROUP_CONCAT(TABLE_NAME) FROM
	    information_schema.TABLES WHERE TABLE_SCHEMA = 'old1'") $(ms_sql A \
	    'SELECT COUNT(*) FROM old1.nums')" "nums 6000" "old backup, one table"
fi
exit 0
