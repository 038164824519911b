#!/bin/bash
# bench/dev/run.sh: quick comparison against the server of server.sh.
#   STATE=/tmp/h8-bench MYSHIP=... RUNS=3 TOOLS="dump3 myship" bash bench/dev/run.sh
# A tool myship@BIN or myship0@BIN runs another binary (A/B comparisons).
# Prints one line per run: tool wall cpu(user+sys) maxrss_MiB bytes
set -eu -o pipefail
STATE=${STATE:?}
. "$STATE/env"
RUNS=${RUNS:-3}
TOOLS=${TOOLS:-dump3 myship}
SPID=$(cat "$T/S/mariadbd.pid")
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
for r in $(seq 1 "$RUNS"); do
	for tool in $TOOLS; do
		s0=$(srvcpu)
		t0=$(date +%s.%N)
		case $tool in
		dump3|dump1)
			tm "$STATE/ta" mariadb-dump --defaults-file="$S_CNF" \
			    --single-transaction --quick bench |
			    tm "$STATE/tb" zstd -q -${tool#dump} >"$STATE/out.zst"
			size=$(stat -c %s "$STATE/out.zst")
			files="$STATE/ta $STATE/tb" ;;
		myship*)
			# myship[0][@BINARY]: level 0 policy, another binary
			bin=${MYSHIP:-}
			case $tool in *@*) bin=${tool#*@} ;; esac
			l=${tool%%@*}
			l=${l#myship}
			rm -rf "$STATE/repo$l"; mkdir -p "$STATE/repo$l"
			tm "$STATE/ta" "$bin" -c "$STATE/myship$l.ini" \
			    backup --host S >"$STATE/ms.out" 2>"$STATE/ms.err" ||
			    { cat "$STATE/ms.err"; exit 1; }
			size=$(du -sb "$STATE/repo$l" | cut -f1)
			files="$STATE/ta" ;;
		esac
		t1=$(date +%s.%N)
		s1=$(srvcpu)
		cat $files | awk -v t="$tool" -v a="$t0" -v b="$t1" -v s="$size" \
		    -v sv="$(echo "$s1 - $s0" | bc)" -v ld="$(cut -d' ' -f1 /proc/loadavg)" \
		    'NF == 4 { c += $2 + $3; m += $4 }
		    END { printf "%-28s wall %6.2f cpu %6.2f srv %6.2f rss %6.1f MiB size %d load %s\n",
			t, b - a, c, sv, m / 1024, s, ld }'
	done
done
