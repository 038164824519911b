#!/bin/bash
# bench/dev/restore.sh: quick restore comparison against the server of
# bench/dev/server.sh (for the restore's owner; bench/bench.sh is the
# measurement of record).
#
#   STATE=/tmp/h9-bench MYSHIP=... RUNS=3 \
#       TOOLS="mariadb myloader myship myship@/other/myship" \
#       bash bench/dev/restore.sh
#
# Makes the inputs once (a mariadb-dump | zstd -3 file, a mydumper -t 2
# directory, a myship backup), then restores each into bench_restored.
# A tool myship@BIN runs another binary; MS_ARGS adds restore options and
# MS_INI=FILE another policy.  Prints one line per run: wall, client CPU
# (user+sys), server CPU, and whether the row counts match.
set -eu -o pipefail
STATE=${STATE:?}
. "$STATE/env"
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-mariadb myloader myship}
MS_ARGS=${MS_ARGS:-}
MS_INI=${MS_INI:-$STATE/myship.ini}
SPID=$(cat "$T/S/mariadbd.pid")
sql()
{
	mariadb --defaults-file="$S_CNF" -N -B -e "$1"
}
srvcpu()
{
	awk '{ print ($14 + $15) / 100 }' "/proc/$SPID/stat"
}
tm()
{
	local out=$1
	shift
	/usr/bin/time -o "$out" -f '%e %U %S %M' "$@"
}
counts()
{
	sql "SELECT table_name, table_rows FROM information_schema.tables
	    WHERE 0" >/dev/null
	for t in $(sql "SELECT table_name FROM information_schema.tables
	    WHERE table_schema = '$1' ORDER BY table_name"); do
		printf '%s %s\n' "$t" "$(sql "SELECT COUNT(*) FROM \`$1\`.\`$t\`")"
	done
}
[ -s "$STATE/src.counts" ] || counts bench >"$STATE/src.counts"
if [ ! -s "$STATE/dump3.sql.zst" ]; then
	mariadb-dump --defaults-file="$S_CNF" --single-transaction --quick bench |
	    zstd -q -3 >"$STATE/dump3.sql.zst"
fi
if [ ! -d "$STATE/mydumper.dir" ]; then
	mydumper --defaults-file="$S_CNF" -h 127.0.0.1 -P "$S_PORT" -u root \
	    -t 2 -B bench -o "$STATE/mydumper.dir" -v 1
fi
if [ ! -d "$STATE/repo/S" ]; then
	mkdir -p "$STATE/repo"
	"${MYSHIP:?}" -c "$STATE/myship.ini" -q backup --host S
fi
for r in $(seq 1 "$RUNS"); do
	for tool in $TOOLS; do
		sql "DROP DATABASE IF EXISTS bench_restored"
		files="$STATE/ta"
		s0=$(srvcpu)
		t0=$(date +%s.%N)
		case $tool in
		mariadb)
			sql "CREATE DATABASE bench_restored"
			tm "$STATE/ta" zstd -q -dc "$STATE/dump3.sql.zst" |
			    tm "$STATE/tb" mariadb --defaults-file="$S_CNF" \
			    bench_restored
			files="$STATE/ta $STATE/tb" ;;
		myloader)
			sql "CREATE DATABASE bench_restored"
			tm "$STATE/ta" myloader --defaults-file="$S_CNF" \
			    -h 127.0.0.1 -P "$S_PORT" -u root -t 2 \
			    -d "$STATE/mydumper.dir" -s bench -B bench_restored \
			    -o -v 1 ;;
		myship*)
			bin=${MYSHIP:-}
			case $tool in *@*) bin=${tool#*@} ;; esac
			# shellcheck disable=SC2086
			MYSHIP_LOG_STDERR=1 tm "$STATE/ta" "$bin" -c "$MS_INI" \
			    restore latest --host S \
			    --database bench:bench_restored --threads 2 \
			    $MS_ARGS >"$STATE/ms.out" 2>"$STATE/ms.err" ||
			    { tail -5 "$STATE/ms.err"; exit 1; } ;;
		esac
		t1=$(date +%s.%N)
		s1=$(srvcpu)
		st=ok
		counts bench_restored | cmp -s - "$STATE/src.counts" || st=BAD
		cat $files | awk -v t="$tool" -v a="$t0" -v b="$t1" -v st="$st" \
		    -v sv="$(echo "$s1 - $s0" | bc)" \
		    -v ld="$(cut -d' ' -f1 /proc/loadavg)" \
		    'NF == 4 { c += $2 + $3 }
		    END { printf "%-30s wall %6.2f cpu %6.2f srv %6.2f %s load %s\n",
			t, b - a, c, sv, st, ld }'
	done
done
