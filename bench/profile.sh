#!/bin/bash
# bench/profile.sh: where myship's time goes, for the owners of the code.
#
#   MYSHIP=/path/to/build/myship bash bench/profile.sh [backup|backup0|restore]
#
# Generates the bench dataset (SCALE GB, default 0.3) on a private server,
# then runs one myship backup (backup: defaults; backup0: compression_level
# = 0) or restore (of a default backup) under `perf record` (software event
# cpu-clock: this VM has no hardware counters; DWARF call graphs, since
# neither myship nor libzstd keep frame pointers), while a second perf
# watches the server.  Prints: wall and CPU seconds of myship and of the
# server, the per-thread CPU split of myship, the thread states sampled
# every 50 ms (R running, S sleeping: a thread waiting on a condition
# variable or the socket), and the top symbols of both.  Keeps the
# perf.data files in PROFILE_OUT (default ./profile-out).
#
# Without perf (or where perf_event_open is refused), falls back to
# valgrind --tool=callgrind on the myship process only (slow: use a small
# SCALE).
#
# BENCH_SERVER=DIR adopts bench/serve.sh's server and dataset instead of
# generating one (bench/lib.sh's bench_source).

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/lib.sh"
set -eu -o pipefail
umask 077

MODE=${1:-backup}
SCALE=${SCALE:-0.3}
OUT=${PROFILE_OUT:-$PWD/profile-out}
DB=bench
DST=bench_restored

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP (set MYSHIP)"
mkdir -p "$OUT"
rm -f "$OUT/states.txt"
OUT=$(cd "$OUT" && pwd)

use_perf()
{
	command -v perf >/dev/null 2>&1 &&
	    perf record -q -e cpu-clock -o /dev/null true >/dev/null 2>&1
}

# proc_cpu PID: user+sys clock ticks of a process (all its threads).
proc_cpu()
{
	awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0
}

# Samples the states of PID's threads every 50 ms into FILE until it exits.
thread_states()
{
	local pid=$1 f=$2 t
	while kill -0 "$pid" 2>/dev/null; do
		for t in /proc/"$pid"/task/*; do
			[ -r "$t/stat" ] || continue
			# tid state utime stime
			awk '{ print $1, $3, $14 + $15 }' "$t/stat" 2>/dev/null
		done >>"$f"
		echo --- >>"$f"
		sleep 0.05
	done
}

summarise_states()
{
	awk '
	$1 == "---" { next }
	{ n[$1]++; st[$1, $2]++; cpu[$1] = $3; if (!($1 in first)) { order[++k] = $1; first[$1] = 1 } }
	END {
		hz = 100
		printf "%-8s %8s %6s %6s %6s  (share of 50 ms samples)\n", "tid", "cpu s", "R", "S", "D"
		for (i = 1; i <= k; i++) {
			t = order[i]
			printf "%-8s %8.2f %5.0f%% %5.0f%% %5.0f%%\n", t, cpu[t] / hz,
			    100 * st[t, "R"] / n[t], 100 * st[t, "S"] / n[t],
			    100 * st[t, "D"] / n[t]
		}
	}' "$1"
}

policy()
{
	mkdir -p "$T/repo"
	{
		printf '[global]\nrepository = %s\nlock_file = %s\n\n' \
		    "$T/repo" "$T/lock"
		printf '[backup]\ndatabases = %s\n' "$DB"
		[ "$MODE" != backup0 ] || printf 'compression_level = 0\n'
		printf '\n'
		ms_policy_host S
	} >"$T/policy.ini"
}

# The myship process under perf and time: follow the first child down.
find_myship()
{
	local p=$1 c i
	for i in 1 2 3 4; do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = myship ] &&
		    { echo "$p"; return; }
		c=$(pgrep -P "$p" | head -n 1) || break
		p=$c
	done
	echo "$1"
}

run_myship()
{
	local spid s0 s1 t0 t1 mpid
	s0=$(proc_cpu "$S_PID")
	t0=$(date +%s.%N)
	if use_perf; then
		perf record -q -e cpu-clock -F 999 -p "$S_PID" \
		    -o "$OUT/server.perf.data" 2>/dev/null &
		spid=$!
		MYSHIP_LOG_STDERR=1 perf record -q -e cpu-clock -F 499 \
		    --call-graph dwarf,32768 -o "$OUT/myship.perf.data" -- \
		    /usr/bin/time -o "$OUT/myship.time" -f '%e %U %S %M' \
		    "$MYSHIP" "$@" >"$OUT/myship.out" 2>"$OUT/myship.err" &
	else
		MYSHIP_LOG_STDERR=1 valgrind -q --tool=callgrind \
		    --callgrind-out-file="$OUT/callgrind.out" \
		    "$MYSHIP" "$@" >"$OUT/myship.out" 2>"$OUT/myship.err" &
	fi
	mpid=$!
	sleep 0.5
	thread_states "$(find_myship "$mpid")" "$OUT/states.txt" &
	wait "$mpid" || { tail "$OUT/myship.err" >&2; ms_fail "myship failed"; }
	t1=$(date +%s.%N)
	s1=$(proc_cpu "$S_PID")
	if [ -n "${spid:-}" ]; then
		kill -INT "$spid"
		wait "$spid" || true
	fi
	printf 'myship %s: wall %.1f s; server CPU %.1f s\n' "$*" \
	    "$(echo "$t1 - $t0" | bc)" "$(echo "($s1 - $s0) / 100" | bc -l)"
	[ ! -f "$OUT/myship.time" ] || awk '{ printf "myship: wall %s s, user %s s, sys %s s, peak RSS %.1f MiB\n", $1, $2, $3, $4 / 1024 }' "$OUT/myship.time"
}

# perf report, without its comment lines, first N lines.
preport()
{
	local n=$1
	shift
	perf report --no-children --stdio "$@" 2>/dev/null |
	    awk -v n="$n" '!/^#/ && !/^$/ && k++ < n'
}

report()
{
	echo
	echo "== myship thread states"
	summarise_states "$OUT/states.txt"
	[ -f "$OUT/myship.perf.data" ] || return 0
	echo
	echo "== myship: CPU by thread"
	preport 12 -i "$OUT/myship.perf.data" --sort pid -g none
	echo
	echo "== myship: top symbols (self)"
	preport 40 -i "$OUT/myship.perf.data" --sort dso,symbol -g none
	echo
	echo "== myship: by caller into libraries (children, inclusive)"
	perf report -i "$OUT/myship.perf.data" --children --sort symbol \
	    --stdio -g none 2>/dev/null |
	    awk '!/^#/ && !/^$/ && $3 == "[.]" && k++ < 40'
	echo
	echo "== server: top symbols (self)"
	preport 25 -i "$OUT/server.perf.data" --sort dso,symbol
}

bench_source "$DB" "$SCALE"
mariadb-dump --defaults-file="$S_CNF" --single-transaction --quick "$DB" |
    wc -c >"$OUT/raw.bytes"
policy
case $MODE in
backup|backup0)
	run_myship -c "$T/policy.ini" backup --host S
	;;
restore)
	MYSHIP_LOG_STDERR=1 "$MYSHIP" -c "$T/policy.ini" backup --host S \
	    >/dev/null 2>"$T/backup.err" ||
	    { tail "$T/backup.err" >&2; ms_fail "backup failed"; }
	ms_sql S "DROP DATABASE IF EXISTS \`$DST\`"
	run_myship -c "$T/policy.ini" restore latest --host S \
	    --database "$DB:$DST" --threads 2
	;;
*)
	ms_fail "mode is backup, backup0 or restore"
	;;
esac
report
