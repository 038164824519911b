#!/bin/bash
# bench/diff_bench.sh: restore --diff against a full restore, on the bench
# data set (bench/lib.sh).
#
#   MYSHIP=/path/to/build/myship SCALE=0.1 bash bench/diff_bench.sh
#
# A backup of the data set is restored whole into bench_restored; then 1%
# of the rows of three tables change on the source as an application
# changes them: the most recent 1% of sbtest1 and of docs updated, rows
# deleted and inserted at the end of sbtest2 (events_nopk, a table without
# a key, is left alone: any change to it reloads it whole).  A second
# backup is then restored with --diff into the stale copy, and whole into
# an empty database; both are checked against the source (row counts and
# CHECKSUM TABLE of every table).  Prints wall seconds of each, their
# ratio, the chunks reloaded, the bytes of the members loaded and the
# bytes read from the repository against the archive's size.  Also: the backup's wall and CPU seconds, which
# include the values fingerprint (db/dump_rowsum.h).
# DIFF_TARGET=other restores into a second server (T, its own buffer pool)
# rather than beside the source on S: as a restore into another host does,
# and so that the comparison does not read the copy back from disk because
# the source and the copy (twice the data) share one buffer pool.
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/lib.sh"
set -eu -o pipefail
umask 077

SCALE=${SCALE:-0.1}
CHUNK_SIZE=${CHUNK_SIZE:-16M}	# [backup] chunk_size (the default: 16M)
DB=bench
DST=bench_restored
case ${DIFF_TARGET:-same} in
same) D=S ;;
other) D=T ;;
*) echo "DIFF_TARGET=$DIFF_TARGET: not same or other" >&2; exit 2 ;;
esac

now() { date +%s.%N; }

verify()
{
	bench_counts "$D" "$DST" >"$T/dst.counts"
	cmp -s "$T/src.counts" "$T/dst.counts" || { echo "FAILED(rows)"; return; }
	bench_checksums "$D" "$DST" >"$T/dst.sums"
	cmp -s "$T/src.sums" "$T/dst.sums" || { echo "FAILED(checksum)"; return; }
	echo ok
}

run_restore()
{
	local out=$1 t0
	shift
	t0=$(now)
	MYSHIP_LOG_STDERR=1 "$MYSHIP" -c "$T/p.ini" restore latest --host S \
	    --target "$D" --database "$DB:$DST" "$@" >"$T/$out.out" 2>"$T/$out.err" ||
	    { tail -n 5 "$T/$out.err" >&2; ms_fail "restore $* failed"; }
	echo "$(now) - $t0" | bc
}

main()
{
	local t0 full diffs sb1 sb2 docs line
	[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP (set MYSHIP)"
	ms_tmpdir
	bench_server S
	[ "$D" = S ] || bench_server "$D"
	echo "diff_bench: generating SCALE=$SCALE GB..." >&2
	bench_dataset S "$DB" "$SCALE"
	printf '[global]\nrepository = %s\nlock_file = %s\n\n[backup]\ndatabases = %s\nchunk_size = %s\n\n%s\n' \
	    "$T/repo" "$T/lock" "$DB" "$CHUNK_SIZE" "$(ms_policy_host S)" >"$T/p.ini"
	[ "$D" = S ] || ms_policy_host "$D" >>"$T/p.ini"
	"$MYSHIP" -q -c "$T/p.ini" backup --host S || ms_fail "backup 1 failed"
	run_restore first >/dev/null
	sb1=$(ms_sql S "SELECT MAX(id) FROM $DB.sbtest1")
	sb2=$(ms_sql S "SELECT MAX(id) FROM $DB.sbtest2")
	docs=$(ms_sql S "SELECT MAX(id) FROM $DB.docs")
	ms_sql S "USE $DB;
	    UPDATE sbtest1 SET k = k + 1 WHERE id > $sb1 - $sb1 DIV 100;
	    UPDATE docs SET title = CONCAT(title, '+') WHERE id > $docs - $docs DIV 100;
	    DELETE FROM sbtest2 WHERE id > $sb2 - $sb2 DIV 200;
	    INSERT INTO sbtest2 (k, c, pad) SELECT k, c, pad FROM sbtest2
	        WHERE id <= $sb2 DIV 200;"
	bench_counts S "$DB" >"$T/src.counts"
	bench_checksums S "$DB" >"$T/src.sums"
	sleep 1
	t0=$(now)
	bench_time "$T/t.b" "$MYSHIP" -q -c "$T/p.ini" backup --host S ||
	    ms_fail "backup 2 failed"
	printf 'backup: %.2f s wall, CPU %s s user %s s sys\n' \
	    "$(echo "$(now) - $t0" | bc)" "$(cut -d' ' -f2 "$T/t.b")" \
	    "$(cut -d' ' -f3 "$T/t.b")"
	diffs=$(run_restore diff --diff)
	echo "diff restore: $(verify)"
	line=$(grep '^diff: ' "$T/diff.out")
	ms_sql "$D" "DROP DATABASE $DST"
	full=$(run_restore full)
	echo "full restore: $(verify)"
	printf 'SCALE=%s: --diff %.2f s, full restore into an empty database %.2f s: %.1fx faster\n' \
	    "$SCALE" "$diffs" "$full" "$(echo "$full / $diffs" | bc -l)"
	echo "$line"
	grep 'diff restore into' "$T/diff.err" | sed 's/.*myship: //'
}

main
