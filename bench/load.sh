#!/bin/bash
# bench/load.sh: what a myship backup costs the application on the same
# server, and what [backup] nice and max_rate buy back.
#
#   MYSHIP=/path/to/build/myship bash bench/load.sh
#
# One private MariaDB (bench/lib.sh's bench_server) holds the bench dataset
# (SCALE GB, backed up) and, in a database of its own (sbload), the
# application: sysbench oltp_read_write with LOAD_THREADS threads over
# LOAD_TABLES tables of LOAD_ROWS rows, plus a writer that times every
# commit of a small transfer transaction (tests/integration/bankwriter.py:
# one client session, BEGIN to COMMIT acknowledged).  Phases, each as long
# as the myship backup it is compared with (measured alone first):
#
#   idle       sysbench and the writer, no backup
#   backup     the same while myship backs up the dataset (defaults:
#              nice = 10)
#   nice0      the same with [backup] nice = 0 (the process as started)
#   max_rate   the same with nice = 0 and [backup] max_rate
#
# Prints a table in the style of bench/RESULTS.md: sysbench's transactions
# per second and 95th percentile latency, their ratio to the idle phase,
# the writer's commits and its longest commit (the stall), and the
# backup's wall time under load.
#
# Environment (all optional):
#   SCALE=0.3          the backed-up dataset, GB of SQL text
#   LOAD_THREADS=4 LOAD_TABLES=4 LOAD_ROWS=100000   sysbench's load
#   LOAD_RATE=         max_rate of the third phase (a size: 20M); empty:
#                      half the rate of the default backup alone
#   BENCH_POOL=1G BENCH_REDO=512M   as bench/bench.sh
#   BENCH_SERVER=DIR  adopt bench/serve.sh's running server and dataset
#                   instead of generating one (same SCALE)
#   MS_KEEP=1          keep the working directory
#
# Needs sysbench (Debian package sysbench, in tests/setup-deps.sh) and
# python3.  sysbench has no option file: it logs in as a user made for it
# (rights on sbload only) whose random password is on its command line, on
# a throw-away server listening on 127.0.0.1 only.

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/lib.sh"
set -eu -o pipefail
umask 077

SCALE=${SCALE:-0.3}
LOAD_THREADS=${LOAD_THREADS:-4}
LOAD_TABLES=${LOAD_TABLES:-4}
LOAD_ROWS=${LOAD_ROWS:-100000}
LOAD_RATE=${LOAD_RATE:-}
DB=bench
APP=sbload
WRITER_ROWS=10000

now()
{
	date +%s.%N
}

# Whole seconds, at least 1 (sysbench's --time).
secs()
{
	awk -v s="$1" 'BEGIN { s = int(s + 0.5); print s < 1 ? 1 : s }'
}

policy()	# NAME MAX_RATE [NICE]
{
	local name=$1 rate=$2 nice=${3:-}
	mkdir -p "$T/$name.repo"
	{
		printf '[global]\nrepository = %s\nlock_file = %s\n\n' \
		    "$T/$name.repo" "$T/$name.lock"
		printf '[backup]\ndatabases = %s\n' "$DB"
		[ -z "$rate" ] || printf 'max_rate = %s\n' "$rate"
		[ -z "$nice" ] || printf 'nice = %s\n' "$nice"
		printf '\n'
		ms_policy_host S
	} >"$T/$name.ini"
}

# backup NAME: one myship backup; prints its wall seconds.
backup()
{
	local name=$1 t0 t1
	rm -rf "$T/$name.repo"
	mkdir -p "$T/$name.repo"
	t0=$(now)
	MYSHIP_LOG_STDERR=1 "$MYSHIP" -c "$T/$name.ini" backup --host S \
	    >"$T/$name.out" 2>"$T/$name.err" ||
	    { tail -n 5 "$T/$name.err" >&2; ms_fail "backup $name failed"; }
	t1=$(now)
	echo "$t1 - $t0" | bc
}

sysbench_cmd()
{
	sysbench oltp_read_write --db-driver=mysql --mysql-host=127.0.0.1 \
	    --mysql-port="$S_PORT" --mysql-user=sbload \
	    --mysql-password="$SB_PW" --mysql-db="$APP" \
	    --tables="$LOAD_TABLES" --table-size="$LOAD_ROWS" "$@"
}

app_prepare()
{
	SB_PW=$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')
	ms_sql S "DROP DATABASE IF EXISTS $APP; CREATE DATABASE $APP; USE $APP;
	    CREATE TABLE $APP.acct_a (id INT PRIMARY KEY,
	        balance BIGINT NOT NULL, pad VARCHAR(255) NOT NULL);
	    CREATE TABLE $APP.acct_b LIKE $APP.acct_a;
	    INSERT INTO $APP.acct_a SELECT seq, 1000, REPEAT(SHA2(seq, 256), 3)
	        FROM seq_1_to_$WRITER_ROWS;
	    INSERT INTO $APP.acct_b SELECT * FROM $APP.acct_a;"
	ms_sql S "DROP USER IF EXISTS sbload@'127.0.0.1';
	    CREATE USER sbload@'127.0.0.1' IDENTIFIED BY '$SB_PW';
	    GRANT ALL ON $APP.* TO sbload@'127.0.0.1'"
	sysbench_cmd --threads=2 prepare >"$T/prepare.out" 2>&1 ||
	    { tail "$T/prepare.out" >&2; ms_fail "sysbench prepare failed"; }
}

# phase NAME SECONDS [POLICY]: sysbench and the writer for SECONDS, with a
# backup of POLICY started at the same time; one line into $T/phases.
phase()
{
	local name=$1 secs=$2 pol=${3:-} wpid spid bwall=- tps p95 n worst
	rm -f "$T/stop"
	python3 "$top_srcdir/tests/integration/bankwriter.py" "$S_CNF" "$APP" \
	    "$WRITER_ROWS" "$T/stop" "$T/writer.$name.log" &
	wpid=$!
	ms_track_pid "$wpid" writer
	# The writer's first commit: it is connected and running.
	while [ ! -s "$T/writer.$name.log" ]; do
		kill -0 "$wpid" 2>/dev/null || ms_fail "the writer failed"
		sleep 0.1
	done
	sysbench_cmd --threads="$LOAD_THREADS" --time="$secs" \
	    --percentile=95 run >"$T/sb.$name.out" 2>&1 &
	spid=$!
	ms_track_pid "$spid" sysbench
	if [ -n "$pol" ]; then
		bwall=$(backup "$pol") || ms_fail "backup $pol failed"
	fi
	wait "$spid" || { tail "$T/sb.$name.out" >&2; ms_fail "sysbench failed"; }
	ms_untrack_pid "$spid"
	touch "$T/stop"
	wait "$wpid" || ms_fail "the writer failed"
	ms_untrack_pid "$wpid"
	tps=$(awk '/transactions:/ { gsub(/\(/, "", $3); print $3 }' \
	    "$T/sb.$name.out")
	p95=$(awk '/95th percentile:/ { print $3 }' "$T/sb.$name.out")
	n=$(wc -l <"$T/writer.$name.log")
	worst=$(awk '$2 > m { m = $2 } END { printf "%.1f", m * 1000 }' \
	    "$T/writer.$name.log")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$secs" "$bwall" "$tps" \
	    "$p95" "$n" "$worst" >>"$T/phases"
	echo "load: $name: $secs s, backup $bwall s, $tps tps, p95 $p95 ms," \
	    "writer $n commits, longest $worst ms" >&2
}

report()
{
	awk -F'\t' -v rate="$RATE" '
	function label(p) {
		if (p == "idle") return "no backup"
		if (p == "backup") return "during **myship backup** (defaults: nice = 10)"
		if (p == "nice0") return "during myship backup, nice = 0"
		return "during myship backup, nice = 0, max_rate = " rate
	}
	{ n++; P[n] = $1; S[n] = $2; B[n] = $3; T[n] = $4; L[n] = $5
	  C[n] = $6; W[n] = $7; if ($1 == "idle") { t0 = $4; l0 = $5 } }
	END {
		printf "| sysbench oltp_read_write | run s | backup wall s | TPS | p95 latency ms | TPS vs idle | p95 vs idle | writer commits | writer longest commit ms |\n"
		printf "|---|---:|---:|---:|---:|---:|---:|---:|---:|\n"
		for (i = 1; i <= n; i++)
			printf "| %s | %.1f | %s | %.1f | %.2f | %.2f | %.2fx | %d | %.1f |\n",
			    label(P[i]), S[i], B[i] == "-" ? "-" : sprintf("%.1f", B[i]),
			    T[i], L[i], T[i] / t0, L[i] / l0, C[i], W[i]
	}' "$T/phases"
}

main()
{
	local d0 d1 load0
	command -v sysbench >/dev/null 2>&1 ||
	    ms_fail "no sysbench (apt-get install sysbench; tests/setup-deps.sh)"
	[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP (set MYSHIP)"
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	ms_tmpdir
	: >"$T/phases"
	bench_source "$DB" "$SCALE"
	app_prepare
	policy plain ""
	policy nice0 "" 0
	# The first backup warms the buffer pool (as the application's
	# server would be) and sets the phases' length.
	backup plain >/dev/null
	d0=$(backup plain)
	# The manifest's first raw_bytes is the backup's (then the tables').
	RAWB=$(awk '/^raw_bytes/ { print $3; exit }' "$T"/plain.repo/S/*/manifest.ini)
	RATE=$LOAD_RATE
	if [ -z "$RATE" ]; then
		RATE=$(awk -v b="${RAWB:-0}" -v d="$d0" 'BEGIN {
		    r = int(b / d / 2 / 1048576); if (r < 1) r = 1; print r "M" }')
	fi
	policy rated "$RATE" 0
	d1=$(backup rated)
	echo "load: backup alone $d0 s; with max_rate = $RATE $d1 s" >&2
	d0=$(secs "$d0")
	d1=$(secs "$d1")
	phase idle "$d0"
	phase backup "$d0" plain
	phase nice0 "$d0" nice0
	phase max_rate "$d1" rated
	echo
	printf 'myship %s, %s; load average at the start %s; sysbench %s, %s threads, %s tables x %s rows; SCALE=%s\n\n' \
	    "$(cd "$top_srcdir" && git describe --always --dirty 2>/dev/null || echo ?)" \
	    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$load0" \
	    "$(sysbench --version | cut -d' ' -f2)" "$LOAD_THREADS" \
	    "$LOAD_TABLES" "$LOAD_ROWS" "$SCALE"
	report
}

main
