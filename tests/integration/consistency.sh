#!/bin/bash
# Consistency under writes: while myship backs up a database with two
# account tables (threads = 1, 2, 4 in turn), a client keeps moving amounts
# between rows of the two tables in transactions.  Each restored copy must
# hold exactly the invariant total, and no writer transaction may wait more
# than 1 s during a backup (no global read lock, short commit block only).
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
ROWS=${CONSISTENCY_ROWS:-250000}	# per table
MAX_LATENCY=${CONSISTENCY_MAX_LATENCY:-1.0}
INVARIANT=$((ROWS * 2 * 1000))

mariadb_start A
ms_sql A "CREATE DATABASE bank; USE bank;
CREATE TABLE bank.acct_a (id INT PRIMARY KEY, balance BIGINT NOT NULL,
    pad VARCHAR(255) NOT NULL) ENGINE=InnoDB;
CREATE TABLE bank.acct_b LIKE bank.acct_a;
INSERT INTO bank.acct_a SELECT seq, 1000, REPEAT(SHA2(seq, 256), 3)
    FROM seq_1_to_$ROWS;
INSERT INTO bank.acct_b SELECT id, balance, pad FROM bank.acct_a;"
ms_assert_eq "$(ms_sql A 'SELECT (SELECT SUM(balance) FROM bank.acct_a) +
    (SELECT SUM(balance) FROM bank.acct_b)')" "$INVARIANT" "initial total"

total() {	# db
	ms_sql A "SELECT (SELECT SUM(balance) FROM \`$1\`.acct_a) +
	    (SELECT SUM(balance) FROM \`$1\`.acct_b),
	    (SELECT COUNT(*) FROM \`$1\`.acct_a),
	    (SELECT COUNT(*) FROM \`$1\`.acct_b)"
}

worst=0
for threads in 1 2 4; do
	cat >"$T/policy.ini" <<EOF
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = bank
threads = $threads
chunk_size = 1M

$(ms_policy_host A)
EOF
	rm -f "$T/stop"
	python3 "$top_srcdir/tests/integration/bankwriter.py" "$A_CNF" bank \
	    "$ROWS" "$T/stop" "$T/writer.$threads.log" &
	wpid=$!
	ms_track_pid "$wpid" writer
	sleep 1
	t0=$(date +%s.%N)
	ms_myship -c "$T/policy.ini" -q backup
	t1=$(date +%s.%N)
	sleep 0.5
	touch "$T/stop"
	wait "$wpid" || ms_fail "the writer failed"
	ms_untrack_pid "$wpid"
	ms_assert_eq "$MS_RC" 0 "backup with threads=$threads"

	read -r n maxlat < <(awk -v t0="$t0" -v t1="$t1" '
	    $1 + $2 >= t0 && $1 <= t1 { n++; if ($2 > m) m = $2 }
	    END { printf "%d %.3f\n", n, m }' "$T/writer.$threads.log")
	secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
	m=$T/repo/A/$(ls "$T/repo/A" | tail -n 1)/manifest.ini
	method=$(sed -n 's/^snapshot_method *= *//p' "$m")
	echo "consistency: threads=$threads backup ${secs}s ($method), $n writer" \
	    "transactions during it, longest ${maxlat}s"
	# As root every server shares its snapshot: BACKUP STAGE on MariaDB,
	# the short FLUSH TABLES WITH READ LOCK on MySQL.
	want=backup-stage
	[ "$MS_SERVER" = mysql ] && want=ftwrl
	[ "$threads" = 1 ] || ms_assert_eq "$method" "$want" \
	    "snapshot method at threads=$threads"
	[ "$n" -ge 5 ] || ms_fail "threads=$threads: only $n writer" \
	    "transactions during the backup; the test proves nothing"
	awk -v m="$maxlat" -v lim="$MAX_LATENCY" 'BEGIN { exit !(m <= lim) }' ||
	    ms_fail "threads=$threads: a writer transaction took ${maxlat}s" \
	    "during the backup (limit ${MAX_LATENCY}s)"
	worst=$(awk -v a="$worst" -v b="$maxlat" 'BEGIN { print (b > a ? b : a) }')

	ms_myship -c "$T/policy.ini" -q restore latest --host A \
	    --database "bank:bank_t$threads"
	ms_assert_eq "$MS_RC" 0 "restore of the threads=$threads backup"
	ms_assert_eq "$(total "bank_t$threads")" \
	    "$(printf '%s\t%s\t%s' "$INVARIANT" "$ROWS" "$ROWS")" \
	    "threads=$threads: restored total and row counts"
	# Space out backup ids (one per second).
	sleep 1
done
ms_assert_eq "$(total bank | cut -f1)" "$INVARIANT" "live total after writes"

# SIGTERM in the middle of a backup: exit 10, and nothing of it is listed
# as complete.
old=" $(ls "$T/repo/A" | tr '\n' ' ') "
"$MYSHIP" -c "$T/policy.ini" -q backup 2>"$T/term.err" &
bpid=$!
ms_track_pid "$bpid" backup
started=0
for i in $(seq 1 500); do
	for d in "$T"/repo/A/*; do
		case $old in *" ${d##*/} "*) continue ;; esac
		# The archive grows under a temporary name until renamed.
		for f in "$d"/*; do
			[ -s "$f" ] && started=1
		done
	done
	[ "$started" = 1 ] && break
	sleep 0.01
done
[ "$started" = 1 ] || ms_fail "the backup to interrupt wrote nothing in 5 s"
kill -TERM "$bpid"
rc=0
wait "$bpid" || rc=$?
ms_untrack_pid "$bpid"
ms_assert_eq "$rc" 10 "exit status of an interrupted backup"
ms_myship -c "$T/policy.ini" list --json >"$T/list.json"
complete=$(grep -o '"complete"' "$T/list.json" | wc -l)
ms_assert_eq "$complete" 3 "complete backups after the interrupted one"
echo "consistency: ok; longest writer transaction during any backup ${worst}s"
