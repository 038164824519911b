#!/bin/bash
# bench/s3_restore.sh: restore from S3 against restore from a local
# repository, on the bench dataset (issues 13 and 15).
#
#   S3=rgw SCALE=1 RUNS=3 MYSHIP=/path/to/myship bash bench/s3_restore.sh
#
# The bench dataset (bench/lib.sh: SCALE GB of SQL, or BENCH_SERVER's) and a
# database bench_ten holding one table `ten` of about 10 MB of SQL (the
# first TEN_ROWS rows of sbtest2).  One myship backup of both goes to S3 (S3:
# rgw, Ceph's radosgw, by default; s3rver, the S3 test server) and one to a
# local repository, with the same policy otherwise.  Then:
#
#   - restore --table bench_ten.ten from S3: the bytes read from the
#     repository against the stored size of the members it needs (the
#     table's chunks and its database's schema member); target: < 2x;
#   - whole restores (both databases, renamed) from the local repository
#     and from S3, alternated, RUNS times each: wall seconds, peak RSS,
#     bytes read and the CPU seconds the S3 store's processes used (on
#     this machine they take the same two cores as the database server),
#     medians; target: S3 no slower than local (ratio <= 1.0).
#
# Every restore is checked: row counts and CHECKSUM TABLE of every table
# against the source.  Prints a markdown table; exits 1 on a failed run.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/lib.sh"
set -eu -o pipefail
umask 077

SCALE=${SCALE:-1}
RUNS=${RUNS:-3}
S3=${S3:-rgw}
TEN_ROWS=${TEN_ROWS:-50000}
DB=bench
TEN=bench_ten

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP (set MYSHIP)"
[ -x /usr/bin/time ] || ms_fail "/usr/bin/time (Debian time) is needed"

policy()	# name repository-lines
{
	{
		printf '[global]\n%s\nlock_file = %s\n\n' "$2" "$T/$1.lock"
		printf '[backup]\ndatabases = %s %s\n\n' "$DB" "$TEN"
		[ "$1" = local ] || ms_policy_s3
		ms_policy_host S
	} >"$T/$1.ini"
}

# The summary's "N bytes read from the repository" of $T/out.
bytes_read()
{
	sed -n 's/.*, \([0-9]*\) bytes read from the repository.*/\1/p' \
	    "$T/out" | tail -n 1
}

# Stored bytes of the members --table $TEN.ten needs, from a manifest.
ten_members()	# manifest.ini
{
	python3 - "$1" "$TEN" <<'PY'
import configparser, sys
c = configparser.ConfigParser(interpolation=None)
c.read(sys.argv[1])
db = [c[s] for s in c.sections() if s.startswith('database ') and c[s]['name'] == sys.argv[2]][0]
ch = [c[s] for s in c.sections() if s.startswith('chunk ') and c[s]['db'] == sys.argv[2] and c[s]['table'] == 'ten']
print(int(db['schema_bytes']) + sum(int(x['bytes']) for x in ch), len(ch))
PY
}

# Checks every restored table against the source's counts and checksums.
check_restored()	# label
{
	local d
	for d in "$DB" "$TEN"; do
		[ "$(bench_counts S "${d}_r")" = "$(cat "$T/$d.counts")" ] ||
		    ms_fail "$1: row counts of ${d}_r differ from $d"
		[ "$(bench_checksums S "${d}_r")" = "$(cat "$T/$d.sums")" ] ||
		    ms_fail "$1: CHECKSUM TABLE of ${d}_r differs from $d"
	done
}

# CPU seconds used so far by the S3 store's processes (every process the
# harness started but the database server): on this machine they share the
# two cores with the server the restore loads into.
store_cpu()
{
	local w pid sum=0
	for w in $ms__pids; do
		pid=${w%%:*}
		[ "$pid" != "$S_PID" ] && [ -r "/proc/$pid/stat" ] || continue
		sum=$(awk -v s="$sum" '{ printf "%.2f\n", s + ($14 + $15) / 100 }' \
		    "/proc/$pid/stat")
	done
	echo "$sum"
}

# One whole restore from repository NAME (local or s3): one line of res.
restore_whole()	# name run
{
	local t0 t1 c0
	ms_sql S "DROP DATABASE IF EXISTS \`${DB}_r\`;
	    DROP DATABASE IF EXISTS \`${TEN}_r\`"
	c0=$(store_cpu)
	t0=$(date +%s.%N)
	bench_time "$T/t" "$MYSHIP" -c "$T/$1.ini" restore latest --host S \
	    --database "$DB:${DB}_r" --database "$TEN:${TEN}_r" >"$T/out" \
	    2>"$T/err" || { tail "$T/err" >&2; ms_fail "restore from $1 failed"; }
	t1=$(date +%s.%N)
	check_restored "restore from $1, run $2"
	read -r _ user sys rss <"$T/t"
	printf '%s\t%s\t%.2f\t%s\t%s\t%s\t%.2f\n' "$1" "$2" \
	    "$(echo "$t1 - $t0" | bc)" "$(echo "$user + $sys" | bc)" \
	    "$((rss / 1024))" "$(bytes_read)" \
	    "$(echo "$(store_cpu) - $c0" | bc)" >>"$T/res.tsv"
	echo "s3_restore: $1 run $2: $(tail -n 1 "$T/res.tsv" | cut -f3) s" >&2
}

main()
{
	local run size need nch n load0
	load0=$(cut -d' ' -f1-3 /proc/loadavg)
	bench_source "$DB" "$SCALE"
	ms_sql S "DROP DATABASE IF EXISTS \`$TEN\`; CREATE DATABASE \`$TEN\`;
	    CREATE TABLE \`$TEN\`.ten LIKE \`$DB\`.sbtest2;
	    INSERT INTO \`$TEN\`.ten SELECT * FROM \`$DB\`.sbtest2
	    ORDER BY id LIMIT $TEN_ROWS"
	for d in "$DB" "$TEN"; do
		bench_counts S "$d" >"$T/$d.counts"
		bench_checksums S "$d" >"$T/$d.sums"
	done
	ms_s3_start "$S3"
	mkdir -p "$T/repo"
	policy local "repository = $T/repo"
	policy s3 "repository = s3"
	: >"$T/res.tsv"
	for r in local s3; do
		bench_time "$T/t" "$MYSHIP" -q -c "$T/$r.ini" backup --host S \
		    2>"$T/err" || { tail "$T/err" >&2; ms_fail "backup to $r failed"; }
		echo "s3_restore: backup to $r: $(cut -d' ' -f1 "$T/t") s" >&2
	done
	size=$(ms_aws s3 ls "s3://$S3_BUCKET/S/" --recursive |
	    awk '/backup.tar$/ { print $3 }')
	ms_aws s3 cp --recursive --exclude '*.tar' "s3://$S3_BUCKET/S/" \
	    "$T/dl/" >/dev/null
	read -r need nch < <(ten_members "$(ls -d "$T"/dl/*/)manifest.ini")

	# One table from S3.
	ms_sql S "DROP DATABASE IF EXISTS \`${TEN}_one\`"
	bench_time "$T/t" "$MYSHIP" -c "$T/s3.ini" restore latest --host S \
	    --database "$TEN:${TEN}_one" --table "$TEN.ten" >"$T/out" \
	    2>"$T/err" || { tail "$T/err" >&2; ms_fail "restore --table failed"; }
	[ "$(ms_sql S "CHECKSUM TABLE \`${TEN}_one\`.ten" | cut -f2)" = \
	    "$(awk '$1 == "ten" { print $2 }' "$T/$TEN.sums")" ] ||
	    ms_fail "restore --table: ${TEN}_one.ten differs"
	n=$(bytes_read)
	ms_sql S "DROP DATABASE \`${TEN}_one\`"

	for run in $(seq 1 "$RUNS"); do
		if [ $((run % 2)) = 1 ]; then
			restore_whole local "$run"
			restore_whole s3 "$run"
		else
			restore_whole s3 "$run"
			restore_whole local "$run"
		fi
	done
	ms_sql S "DROP DATABASE \`${DB}_r\`; DROP DATABASE \`${TEN}_r\`;
	    DROP DATABASE \`$TEN\`"

	printf 'myship %s, %s; load average at the start %s; S3 server %s; SCALE=%s (archive %s bytes on S3); RUNS=%s\n\n' \
	    "$(cd "$top_srcdir" && git describe --always --dirty 2>/dev/null || echo ?)" \
	    "$(date -u '+%Y-%m-%d %H:%M UTC')" "$load0" "$S3" "$SCALE" \
	    "$size" "$RUNS"
	printf '| restore --table %s.ten from S3 | bytes |\n|---|---:|\n' "$TEN"
	printf '| its members (%s chunks and the schema member) | %s |\n' "$nch" "$need"
	printf '| read from S3 | %s |\n' "$n"
	awk -v n="$n" -v need="$need" 'BEGIN {
	    printf "| ratio (target < 2.0) | %.3f %s |\n\n", n / need,
	    (n < 2 * need ? "PASS" : "MISS") }'
	awk -F'\t' -v runs="$RUNS" '
	function med(a, k,   i, j, t) {
		for (i = 1; i <= k; i++)
			for (j = i + 1; j <= k; j++)
				if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	{ k = ++c[$1]; w[$1, k] = $3; u[$1, k] = $4; r[$1, k] = $5; b[$1] = $6
	  g[$1, k] = $7 }
	END {
		print "| whole restore from | wall s (median) | CPU s | S3 store CPU s | peak RSS MiB | bytes read |"
		print "|---|---:|---:|---:|---:|---:|"
		for (x = 0; x < 2; x++) {
			s = x ? "s3" : "local"
			for (i = 1; i <= c[s]; i++) {
				W[i] = w[s, i]; U[i] = u[s, i]; R[i] = r[s, i]
				G[i] = g[s, i]
			}
			mw[s] = med(W, c[s])
			printf "| %s | %.1f | %.1f | %.1f | %.0f | %s |\n", s,
			    mw[s], med(U, c[s]), med(G, c[s]), med(R, c[s]), b[s]
		}
		printf "\nS3 / local wall time: %.2f (target <= 1.0: %s); runs: ", mw["s3"] / mw["local"],
		    (mw["s3"] <= mw["local"] ? "PASS" : "MISS")
		for (i = 1; i <= c["local"]; i++)
			printf "%s%.1f/%.1f", (i > 1 ? ", " : ""), w["s3", i], w["local", i]
		print " (s3/local s)"
	}' "$T/res.tsv"
}

main
