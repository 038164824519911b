#!/bin/sh
# myship optimize over three hosts: two private servers and one policy host
# on a closed port.  Fragmented InnoDB tables lose their free space, a dry
# run runs no OPTIMIZE (the server's Com_optimize counter says so, not our
# output), names and regexes select databases, a table held by another
# client's LOCK TABLES ... WRITE fails alone, and the unreachable host is
# reported while the others finish.
. "$top_srcdir/tests/lib.sh"

ms_tmpdir
mariadb_start A --innodb-file-per-table=1
mariadb_start B --innodb-file-per-table=1
DEAD_PORT=$(ms_free_port)	# nothing listens there

# $1 server, $2 db.table: 20000 rows of 400 bytes, then all but the first
# 2000 deleted, a range so that whole extents come free.
fragment()
{
	ms_sql "$1" "USE ${2%%.*}; CREATE TABLE $2 (id INT PRIMARY KEY, pad VARCHAR(400))
	    ENGINE=InnoDB;
	    INSERT INTO $2 SELECT seq, REPEAT('x', 400) FROM seq_1_to_20000;
	    DELETE FROM $2 WHERE id > 2000"
}

data_free()
{
	ms_sql "$1" "SELECT DATA_FREE FROM information_schema.TABLES
	    WHERE TABLE_SCHEMA = '${2%%.*}' AND TABLE_NAME = '${2#*.}'"
}

ibd_size()
{
	local dir
	eval "dir=\$${1}_DIR"
	stat -c %s "$dir/data/${2%%.*}/${2#*.}.ibd"
}

# OPTIMIZE statements of $2 in the binary logs of $1.
binlogged()
{
	local f
	for f in $(ms_sql "$1" "SHOW BINARY LOGS" | cut -f1); do
		ms_sql "$1" "SHOW BINLOG EVENTS IN '$f'"
	done | grep -c "OPTIMIZE.*TABLE \`$2\`" || true
}

# Holds $2 with LOCK TABLES ... WRITE from another client of B.
lock_hold()
{
	mariadb --defaults-file="$B_CNF" -e \
	    "LOCK TABLES $1 WRITE; SELECT SLEEP(30)" >/dev/null 2>&1 &
	holder=$!
	i=0
	until [ "$(ms_sql B "SELECT COUNT(*) FROM information_schema.PROCESSLIST
	    WHERE INFO LIKE 'SELECT SLEEP(30)%'")" = 1 ]; do
		i=$((i + 1))
		[ "$i" -le 100 ] || ms_fail "the lock holder never started"
		sleep 0.1
	done
}

# The server would hold the lock for the whole SLEEP: end the session.
lock_release()
{
	local id
	id=$(ms_sql B "SELECT ID FROM information_schema.PROCESSLIST
	    WHERE INFO LIKE 'SELECT SLEEP(30)%'")
	[ -n "$id" ] && ms_sql B "KILL $id"
	wait "$holder" 2>/dev/null
}

com_optimize()
{
	ms_sql "$1" "SHOW GLOBAL STATUS LIKE 'Com_optimize'" | cut -f2
}

# Purge frees the pages in the background: wait until it shows.
wait_free()
{
	local i=0
	while [ "$(data_free "$1" "$2")" -lt 4194304 ]; do
		i=$((i + 1))
		[ "$i" -le 100 ] || ms_fail "$1 $2: DATA_FREE never grew"
		sleep 0.2
	done
}

ms_sql A "CREATE DATABASE app; CREATE DATABASE shop_1; CREATE DATABASE shop_2;
    CREATE DATABASE shopx"
ms_sql B "CREATE DATABASE app; CREATE DATABASE late"
for t in app.frag shop_1.t shop_2.t shopx.t; do fragment A "$t"; done
for t in app.frag app.locked late.a_frag late.b_locked late.c_frag; do
	fragment B "$t"
done
ms_sql A "CREATE TABLE app.tight (id INT PRIMARY KEY) ENGINE=InnoDB;
    INSERT INTO app.tight VALUES (1), (2), (3)"
for t in app.frag shop_1.t shop_2.t shopx.t; do wait_free A "$t"; done
for t in app.frag app.locked late.a_frag late.b_locked late.c_frag; do
	wait_free B "$t"
done

cat >"$T/policy.ini" <<EOF
[global]
repository = $T/repo
lock_file = $T/lock
parallel_hosts = 3

[backup]
lock_wait_timeout = 2s

[optimize]
databases = app
min_free_ratio = 10%
threads_per_host = 2

$(ms_policy_host A)
$(ms_policy_host B)
[host C]
host = 127.0.0.1
port = $DEAD_PORT
user = root
password_file = $A_PASSFILE
EOF
chmod 600 "$T/policy.ini"
P="-c $T/policy.ini"

# 1. Dry run over every host and every user database: lists, changes nothing.
a0=$(com_optimize A) b0=$(com_optimize B)
size0=$(ibd_size A app.frag)
ms_myship $P optimize -n --host A --host B 'app|shop.*' >"$T/dry.out"
ms_assert_eq "$MS_RC" 0 "dry run exit status"
ms_assert_eq "$(com_optimize A)" "$a0" "Com_optimize on A after a dry run"
ms_assert_eq "$(com_optimize B)" "$b0" "Com_optimize on B after a dry run"
ms_assert_eq "$(ibd_size A app.frag)" "$size0" "app.frag file after a dry run"
grep -q '^host A (dry run): 4 to optimize, 1 skipped' "$T/dry.out" ||
    ms_fail "dry run summary of A: $(cat "$T/dry.out")"
grep -q '^  would optimize app\.frag InnoDB size .*, free .* MiB' \
    "$T/dry.out" || ms_fail "dry run lists app.frag: $(cat "$T/dry.out")"
grep -q 'app\.tight' "$T/dry.out" &&
    ms_fail "dry run lists a skipped table without -v"
ms_myship $P optimize --dry-run --json --host B >"$T/dry.json"
ms_assert_eq "$MS_RC" 0 "dry run --json exit status"
python3 - "$T/dry.json" <<'EOF' || ms_fail "dry run JSON: $(cat "$T/dry.json")"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["dry_run"] is True
(h,) = d["hosts"]
assert h["host"] == "B" and h["reachable"] and h["would_optimize"] == 2, h
for t in h["tables"]:
    assert t["result"] == "would_optimize" and t["engine"] == "InnoDB", t
    assert t["data_free"] >= 4194304 and t["free_ratio"] > 0.1, t
assert h["reclaimable"] == sum(t["data_free"] for t in h["tables"])
assert d["total"]["would_optimize"] == 2 and d["total"]["optimized"] == 0
EOF
ms_assert_eq "$(com_optimize B)" "$b0" "Com_optimize on B after a JSON dry run"

# 2. Selection: a regex matches whole names only; a name selects itself.
ms_myship $P optimize --host A 'shop_[0-9]+' >"$T/regex.out"
ms_assert_eq "$MS_RC" 0 "regex run exit status"
ms_assert_eq "$(com_optimize A)" "$((a0 + 2))" "OPTIMIZEs run for shop_[0-9]+"
grep -q '^host A: 2 optimized, 0 failed, 0 skipped' "$T/regex.out" ||
    ms_fail "regex run: $(cat "$T/regex.out")"
grep -q '^  optimized shop_1\.t InnoDB' "$T/regex.out" ||
    ms_fail "shop_1.t not optimized: $(cat "$T/regex.out")"
[ "$(data_free A shop_1.t)" -lt 4194304 ] || ms_fail "shop_1.t still free"
[ "$(data_free A shopx.t)" -ge 4194304 ] || ms_fail "shopx.t was touched"
ms_assert_eq "$(ibd_size A app.frag)" "$size0" "app.frag after the regex run"
ms_myship $P optimize --host A shopx >"$T/name.out"
ms_assert_eq "$MS_RC" 0 "name run exit status"
ms_assert_eq "$(com_optimize A)" "$((a0 + 3))" "OPTIMIZEs run for shopx"
[ "$(data_free A shopx.t)" -lt 4194304 ] || ms_fail "shopx.t still free"
ms_myship $P optimize --host A 'shop(' >/dev/null
ms_assert_eq "$MS_RC" 2 "exit status for a pattern that does not compile"
ms_myship $P optimize --host nosuch >/dev/null
ms_assert_eq "$MS_RC" 8 "exit status for an unknown host"

# 3. Every host, the policy's databases (app): B's app.locked is held by
# another client, C is unreachable.
lock_hold app.locked
free_a=$(data_free A app.frag) free_b=$(data_free B app.frag)
locked0=$(data_free B app.locked)
ms_myship $P optimize >"$T/run.out"
lock_release
cat "$T/run.out"
ms_assert_eq "$MS_RC" 4 "exit status with an unreachable host"
grep -q "^host A: 1 optimized, 0 failed, 1 skipped, .* reclaimed (.* -> .*), " \
    "$T/run.out" || ms_fail "host A line"
grep -q "^host B: 1 optimized, 1 failed, 0 skipped, .* reclaimed" \
    "$T/run.out" || ms_fail "host B line"
grep -q "^  failed    app\.locked InnoDB .*: Lock wait timeout exceeded" \
    "$T/run.out" || ms_fail "app.locked failure line"
grep -q "^host C: unreachable, .*: host C (127\.0\.0\.1:$DEAD_PORT): " \
    "$T/run.out" || ms_fail "host C error line"
grep -q "^total: 3 hosts (1 unreachable), 2 optimized, 1 failed, 1 skipped, .* reclaimed, " \
    "$T/run.out" || ms_fail "total line"
grep -q "host C" "$T/myship.err.last" || ms_fail "stderr names host C"
[ "$(data_free A app.frag)" -lt "$free_a" ] || ms_fail "A app.frag free space"
[ "$(data_free B app.frag)" -lt "$free_b" ] || ms_fail "B app.frag free space"
[ "$(ibd_size A app.frag)" -lt "$size0" ] || ms_fail "A app.frag file size"
ms_assert_eq "$(data_free B app.locked)" "$locked0" "app.locked untouched"
ms_assert_eq "$(com_optimize A)" "$((a0 + 4))" "OPTIMIZEs on A in the full run"
[ "$(binlogged B app)" -ge 1 ] || ms_fail "binlog = yes wrote no OPTIMIZE"

# 4. binlog = no and max_duration: late.b_locked waits 4s, more than the
# 2s window, so late.c_frag never starts; late.a_frag is not binlogged.
sed -e 's/^databases = app$/databases = late/' \
    -e 's/^lock_wait_timeout = 2s$/lock_wait_timeout = 4s/' \
    -e 's/^threads_per_host = 2$/threads_per_host = 1\
binlog = no\
max_duration = 2s/' "$T/policy.ini" >"$T/late.ini"
chmod 600 "$T/late.ini"
lock_hold late.b_locked
ms_myship -v -c "$T/late.ini" optimize --host B >"$T/late.out"
lock_release
cat "$T/late.out"
ms_assert_eq "$MS_RC" 1 "exit status when a table failed"
grep -q "^host B: 1 optimized, 1 failed, 1 skipped, " "$T/late.out" ||
    ms_fail "host B line of the late run"
grep -q "^  skipped   late\.c_frag InnoDB .*: max_duration reached" \
    "$T/late.out" || ms_fail "late.c_frag not skipped for max_duration"
ms_assert_eq "$(binlogged B late)" 0 "OPTIMIZEs binlogged with binlog = no"
[ "$(data_free B late.a_frag)" -lt 4194304 ] || ms_fail "late.a_frag free"
echo "optimize: $(grep -c '' "$T/run.out") report lines checked"
exit 0
