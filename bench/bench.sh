#!/bin/bash
# bench/bench.sh: myship's backup and restore against the reference tools,
# on one private MariaDB and one generated dataset, back to back.
#
#   MYSHIP=/path/to/build/myship bash bench/bench.sh
#
# Environment (all optional):
#   SCALE=1.1       dataset size, GB of SQL text (mariadb-dump's output)
#   RUNS=3          runs of each tool; the table shows medians (RUNS=1: a
#                   quick look)
#   BACKUPS="dump3 dump1 mydumper_c mydumper myship myship0"
#                   (myshipN: myship at compression_level = N; myship_enc:
#                   myship at its defaults with [backup] encrypt_to, a key
#                   made by myship keygen)
#   RESTORES="mariadb myloader myship"
#                   (myship_enc restores myship_enc's backup with the key;
#                   myship_tN restores myship's with --threads N, not 2)
#                   which tools run (myloader needs mydumper or mydumper_c,
#                   mariadb needs dump3, myship restore needs myship); set
#                   empty to skip a phase: RESTORES= BACKUPS=myship gives
#                   myship's backup alone (its peak RSS on a big SCALE)
#   VERIFY=checksum every restore is checked by row counts per table, and
#                   by CHECKSUM TABLE unless VERIFY=count
#   BENCH_POOL=1G BENCH_REDO=512M   InnoDB buffer pool and redo log sizes
#   BENCH_SERVER=DIR  adopt bench/serve.sh's running server and dataset
#                   instead of generating one (same SCALE)
#   BENCH_RAW=FILE  also write every measurement (one line per run) there
#   MS_KEEP=1       keep the working directory (servers' logs, outputs)
#   MYSHIP_BASE=/path/to/other/myship
#                   a second build to compare with in the same run, on the
#                   same data: backup tools base and baseN (as myship and
#                   myshipN), restore tool base (restores base's backup)
#
# Needs root for apt-get when a reference tool is missing (mariadb-server,
# mariadb-client, zstd, mydumper, time: all Debian 12 packages).
#
# Disk: the server holds about 1.5 x SCALE GB (InnoDB) plus a restored copy
# while a restore runs; the outputs the restores read (dump3, mydumper,
# myship: about 1.9 x SCALE GB) are kept, every other output is removed
# once measured (drop_unused).  At SCALE=10 that is about 60 GB free.
#
# Every tool reads the same database on the same server, with the same
# settings; restores go into a database that is dropped after each run and
# verified before it is.  Wall seconds are the whole command (pipeline);
# CPU seconds are user+sys of the tool's own processes, server CPU seconds
# the server's during the run (from /proc: the machine may be shared, and
# a loaded machine hides what parallelism buys, so CPU is the steadier
# figure);
# peak RSS is the sum over the processes of a pipeline of each one's peak;
# MB/s is the dataset's SQL size over wall seconds.  "vs myship" is the
# tool's wall time over myship's: above 1 means myship is faster.
# Uncompressed mydumper is compared with myship at compression_level = 0,
# every other backup with myship at its defaults.

top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
. "$top_srcdir/bench/lib.sh"
set -eu -o pipefail
umask 077

SCALE=${SCALE:-1.1}
RUNS=${RUNS:-3}
BACKUPS=${BACKUPS-dump3 dump1 mydumper_c mydumper myship myship0}
RESTORES=${RESTORES-mariadb myloader myship}
VERIFY=${VERIFY:-checksum}
DB=bench
DST=bench_restored

bench_deps()
{
	local need="" c p
	for c in mariadbd:mariadb-server mariadb:mariadb-client \
	    mariadb-dump:mariadb-client zstd:zstd mydumper:mydumper \
	    myloader:mydumper /usr/bin/time:time; do
		p=${c#*:}
		c=${c%%:*}
		command -v "$c" >/dev/null 2>&1 || [ -x "/usr/sbin/$c" ] ||
		    need="$need $p"
	done
	[ -n "$need" ] || return 0
	[ "$(id -u)" = 0 ] || ms_fail "missing:$need (apt-get install as root)"
	echo "bench: installing$need" >&2
	DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    --no-install-recommends $need >&2
}

now()
{
	date +%s.%N
}

# CPU seconds the server has used so far.
server_cpu()
{
	awk '{ printf "%.2f\n", ($14 + $15) / 100 }' "/proc/$S_PID/stat"
}

# record PHASE TOOL RUN START END STATUS OUTBYTES TIMEFILE...
# (after SRV0, the server's CPU seconds at the start, was set)
record()
{
	local phase=$1 tool=$2 run=$3 t0=$4 t1=$5 st=$6 out=$7 srv
	shift 7
	srv=$(echo "$(server_cpu) - $SRV0" | bc)
	cat "$@" | awk -v p="$phase" -v t="$tool" -v r="$run" -v a="$t0" \
	    -v b="$t1" -v s="$st" -v o="$out" -v v="$srv" '
	    NF == 4 { cpu += $2 + $3; rss += $4 }
	    END { printf "%s\t%s\t%s\t%.2f\t%.2f\t%d\t%s\t%s\t%.2f\n",
		p, t, r, b - a, cpu, rss, o, s, v }' >>"$T/res.tsv"
	[ -z "${BENCH_RAW:-}" ] || tail -n 1 "$T/res.tsv" >>"$BENCH_RAW"
	printf 'bench: %s %s run %s: %.1fs %s\n' "$phase" "$tool" "$run" \
	    "$(echo "$t1 - $t0" | bc)" "$st" >&2
}

# drop_unused TOOL PATH: once measured, a backup no restore of RESTORES
# reads is removed, so that the disk holds at most one such output at a
# time (at SCALE=10: mydumper's and compression_level = 0's are 10 GB each).
drop_unused()
{
	local tool=$1 path=$2 r
	for r in $RESTORES; do
		case $r:$tool in
		mariadb:dump3|myship:myship|myship_t*:myship|myship_enc:myship_enc|base:base)
			return 0 ;;
		myloader:mydumper) return 0 ;;
		myloader:mydumper_c)
			case " $BACKUPS " in *" mydumper "*) ;; *) return 0 ;; esac ;;
		esac
	done
	rm -rf "$path"
}

dirsize()
{
	du -sb "$1" | cut -f1
}

policy()
{
	local name=$1 level=$2 key=${3:-}
	mkdir -p "$T/$name.repo"
	{
		printf '[global]\nrepository = %s\nlock_file = %s\n\n' \
		    "$T/$name.repo" "$T/$name.lock"
		printf '[backup]\ndatabases = %s\n' "$DB"
		[ -z "$level" ] || printf 'compression_level = %s\n' "$level"
		[ -z "$key" ] || printf 'encrypt_to = %s.pub\n[restore]\nidentity_file = %s\n' \
		    "$key" "$key"
		printf '\n'
		ms_policy_host S
	} >"$T/$name.ini"
}

backup_dump()
{
	local run=$1 level=$2 t0 t1 st=ok out=$T/dump$2.sql.zst
	rm -f "$out"
	SRV0=$(server_cpu)
	t0=$(now)
	bench_time "$T/t.a" mariadb-dump --defaults-file="$S_CNF" \
	    --single-transaction --quick "$DB" |
	    bench_time "$T/t.b" zstd -q -"$level" >"$out" ||
	    st=FAILED
	t1=$(now)
	record backup "dump$level" "$run" "$t0" "$t1" "$st" \
	    "$(stat -c %s "$out")" "$T/t.a" "$T/t.b"
	drop_unused "dump$level" "$out"
}

backup_mydumper()
{
	local run=$1 tool=$2 t0 t1 st=ok out=$T/$2.dir c=""
	[ "$tool" = mydumper_c ] && c=-c
	rm -rf "$out"
	SRV0=$(server_cpu)
	t0=$(now)
	bench_time "$T/t.a" mydumper --defaults-file="$S_CNF" \
	    -h 127.0.0.1 -P "$S_PORT" -u root -t 2 $c -B "$DB" -o "$out" \
	    -v 1 || st=FAILED
	t1=$(now)
	record backup "$tool" "$run" "$t0" "$t1" "$st" "$(dirsize "$out")" \
	    "$T/t.a"
	drop_unused "$tool" "$out"
}

backup_myship()
{
	local run=$1 tool=$2 t0 t1 st=ok bin=$MYSHIP ini=$2 threads=2
	case $tool in
	base*) bin=$MYSHIP_BASE ;;
	myship_t*) ini=myship threads=${tool#myship_t} ;;
	esac
	rm -rf "$T/$tool.repo"
	mkdir -p "$T/$tool.repo"
	SRV0=$(server_cpu)
	t0=$(now)
	MYSHIP_LOG_STDERR=1 bench_time "$T/t.a" "$bin" -c "$T/$tool.ini" \
	    backup --host S >"$T/$tool.out" 2>"$T/$tool.err" || st=FAILED
	t1=$(now)
	[ "$st" = ok ] || tail -n 5 "$T/$tool.err" >&2
	record backup "$tool" "$run" "$t0" "$t1" "$st" \
	    "$(dirsize "$T/$tool.repo")" "$T/t.a"
	drop_unused "$tool" "$T/$tool.repo"
}

# Prints "ok" when the restored database matches the source, else what
# differs.
verify()
{
	bench_counts S "$DST" >"$T/dst.counts"
	if ! cmp -s "$T/src.counts" "$T/dst.counts"; then
		echo "FAILED(rows)"
		diff "$T/src.counts" "$T/dst.counts" >&2 || true
		return
	fi
	if [ "$VERIFY" = checksum ]; then
		bench_checksums S "$DST" >"$T/dst.sums"
		if ! cmp -s "$T/src.sums" "$T/dst.sums"; then
			echo "FAILED(checksum)"
			diff "$T/src.sums" "$T/dst.sums" >&2 || true
			return
		fi
	fi
	echo ok
}

drop_dst()
{
	ms_sql S "DROP DATABASE IF EXISTS \`$DST\`"
}

restore_mariadb()
{
	local run=$1 t0 t1 st=ok
	drop_dst
	ms_sql S "CREATE DATABASE \`$DST\`"
	SRV0=$(server_cpu)
	t0=$(now)
	bench_time "$T/t.a" zstd -q -dc "$T/dump3.sql.zst" |
	    bench_time "$T/t.b" mariadb --defaults-file="$S_CNF" "$DST" ||
	    st=FAILED
	t1=$(now)
	[ "$st" = ok ] && st=$(verify)
	record restore mariadb "$run" "$t0" "$t1" "$st" - "$T/t.a" "$T/t.b"
	drop_dst
}

restore_myloader()
{
	local run=$1 t0 t1 st=ok dir=$T/mydumper.dir
	[ -d "$dir" ] || dir=$T/mydumper_c.dir
	drop_dst
	ms_sql S "CREATE DATABASE \`$DST\`"
	SRV0=$(server_cpu)
	t0=$(now)
	bench_time "$T/t.a" myloader --defaults-file="$S_CNF" \
	    -h 127.0.0.1 -P "$S_PORT" -u root -t 2 -d "$dir" -s "$DB" \
	    -B "$DST" -o -v 1 || st=FAILED
	t1=$(now)
	[ "$st" = ok ] && st=$(verify)
	record restore myloader "$run" "$t0" "$t1" "$st" - "$T/t.a"
	drop_dst
}

restore_myship()
{
	local run=$1 tool=$2 t0 t1 st=ok bin=$MYSHIP ini=$2 threads=2
	case $tool in
	base*) bin=$MYSHIP_BASE ;;
	myship_t*) ini=myship threads=${tool#myship_t} ;;
	esac
	drop_dst
	SRV0=$(server_cpu)
	t0=$(now)
	MYSHIP_LOG_STDERR=1 bench_time "$T/t.a" "$bin" -c "$T/$ini.ini" \
	    restore latest --host S --database "$DB:$DST" --threads "$threads" \
	    >"$T/restore.out" 2>"$T/restore.err" || st=FAILED
	t1=$(now)
	[ "$st" = ok ] || tail -n 5 "$T/restore.err" >&2
	[ "$st" = ok ] && st=$(verify)
	record restore "$tool" "$run" "$t0" "$t1" "$st" - "$T/t.a"
	drop_dst
}

# Medians per tool of wall, cpu, rss and output; the status is the worst.
medians()
{
	local phase tool col
	while read -r phase tool; do
		printf '%s\t%s' "$phase" "$tool"
		for col in 4 5 6 7 9; do
			awk -F'\t' -v p="$phase" -v t="$tool" -v c="$col" \
			    '$1 == p && $2 == t { print $c }' "$T/res.tsv" |
			    sort -g | awk '{ v[NR] = $1 }
			    END { print "\t" v[int((NR + 1) / 2)] }' |
			    tr -d '\n'
		done
		awk -F'\t' -v p="$phase" -v t="$tool" '
		    $1 == p && $2 == t && $8 != "ok" { bad = $8 }
		    END { print "\t" (bad == "" ? "ok" : bad) }' "$T/res.tsv"
	done < <(cut -f1,2 "$T/res.tsv" | awk '!seen[$0]++' | tr '\t' ' ')
}

report()
{
	local raw=$1
	medians >"$T/med.tsv"
	awk -F'\t' -v raw="$raw" -v runs="$RUNS" '
	function label(p, t) {
		if (p == "backup") {
			if (t == "dump3") return "mariadb-dump --single-transaction --quick \\| zstd -3"
			if (t == "dump1") return "mariadb-dump --single-transaction --quick \\| zstd -1"
			if (t == "mydumper_c") return "mydumper -t 2 -c"
			if (t == "mydumper") return "mydumper -t 2"
			if (t == "myship") return "**myship backup** (defaults)"
			if (t == "base") return "myship backup, MYSHIP_BASE build (defaults)"
			if (t ~ /^base[0-9]+$/) return "myship backup, MYSHIP_BASE build (compression_level = " substr(t, 5) ")"
			if (t == "myship0") return "**myship backup** (compression_level = 0)"
			if (t ~ /^myship[0-9]+$/) return "myship backup (compression_level = " substr(t, 7) ")"
			if (t == "myship_enc") return "myship backup, encrypt_to (defaults)"
		}
		if (t == "myship_enc") return "myship restore --threads 2, encrypted backup"
		if (t == "mariadb") return "zstd -dc \\| mariadb"
		if (t == "myloader") return "myloader -t 2"
		if (t == "myship") return "**myship restore** --threads 2"
		if (t == "base") return "myship restore --threads 2, MYSHIP_BASE build"
		if (t ~ /^myship_t[0-9]+$/) return "myship restore --threads " substr(t, 9)
		return t
	}
	function ref(p, t) {
		if (p == "backup" && (t == "mydumper" || t == "myship0"))
			return "myship0"
		if (p == "backup" && t ~ /^base[0-9]+$/)
			return "myship" substr(t, 5)
		return "myship"
	}
	{ n++; P[n] = $1; Tl[n] = $2; W[$1,$2] = $3; C[$1,$2] = $4
	  R[$1,$2] = $5; O[$1,$2] = $6; V[$1,$2] = $7; S[$1,$2] = $8 }
	END {
		printf "| phase | tool | wall s | MB/s | CPU s | server CPU s | peak RSS MiB | output MB | vs myship (time) | vs myship (size) | check |\n"
		printf "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n"
		for (i = 1; i <= n; i++) {
			p = P[i]; t = Tl[i]; r = ref(p, t)
			# (p,r) in W first: referring to a missing element creates it
			vt = ((p,r) in W && W[p,r] > 0) ? sprintf("%.2fx", W[p,t] / W[p,r]) : "-"
			vs = (p == "backup" && (p,r) in O && O[p,r] > 0) ? sprintf("%.3f", O[p,t] / O[p,r]) : "-"
			out = (O[p,t] == "-") ? "-" : sprintf("%.1f", O[p,t] / 1e6)
			printf "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %s | %s | %s | %s |\n",
			    p, label(p, t), W[p,t], raw / 1e6 / W[p,t], C[p,t],
			    V[p,t], R[p,t] / 1024, out, vt, vs, S[p,t]
		}
		print ""
		print "Targets (medians of " runs " runs):"
		tgt("backup", "dump3", "myship", 2.0, "backup >= 2.0x faster than mariadb-dump | zstd -3")
		if (("backup","dump3") in O && ("backup","myship") in O &&
		    O["backup","dump3"] > 0) {
			x = O["backup","myship"] / O["backup","dump3"]
			printf "- %s: myship output / mariadb-dump|zstd -3 output = %.3f (target <= 1.05)\n",
			    (x <= 1.05 ? "PASS" : "MISS"), x
		}
		tgt("backup", "mydumper_c", "myship", 4.0, "backup >= 4x faster than mydumper -t 2 -c")
		tgt("backup", "mydumper", "myship0", 1.0, "backup at compression_level = 0 not slower than mydumper -t 2")
		tgt("restore", "mariadb", "myship", 2.0, "restore >= 2.0x faster than zstd -dc | mariadb")
		tgt("restore", "myloader", "myship", 1.0, "restore not slower than myloader -t 2")
		if (("backup","myship_enc") in W && W["backup","myship"] > 0) {
			x = W["backup","myship_enc"] / W["backup","myship"]
			printf "- %s: encrypted backup / backup wall time = %.3f (target <= 1.15)\n",
			    (x <= 1.15 ? "PASS" : "MISS"), x
		}
		if (("backup","myship") in R) {
			x = R["backup","myship"] / 1024
			printf "- %s: myship backup peak RSS %.1f MiB (target <= 64)\n",
			    (x <= 64 ? "PASS" : "MISS"), x
		}
	}
	function tgt(p, a, b, want, what,   x) {
		if (!((p,a) in W) || !((p,b) in W) || W[p,b] <= 0) return
		x = W[p,a] / W[p,b]
		if (S[p,a] != "ok" || S[p,b] != "ok")
			printf "- FAIL: %s: a run failed (%s, %s)\n", what, S[p,a], S[p,b]
		else
			printf "- %s: %s: %.2fx (target %.1fx)\n",
			    (x >= want ? "PASS" : "MISS"), what, x, want
	}' "$T/med.tsv"
}

machine()
{
	printf 'Date: %s  \n' "$(date -u '+%Y-%m-%d %H:%M UTC')"
	printf 'Machine: %s cores (nproc), %s, %s GiB RAM; load average before: %s  \n' \
	    "$(nproc)" "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
	    "$(awk '/MemTotal/ { printf "%.1f", $2 / 1048576 }' /proc/meminfo)" \
	    "$LOAD0"
	printf 'Server: %s, buffer pool %s, redo log %s, binary log off  \n' \
	    "$(PATH=$PATH:/usr/sbin mariadbd --version | awk '{ print $3 }')" \
	    "${BENCH_POOL:-1G}" "${BENCH_REDO:-512M}"
	printf 'Tools: %s; %s; %s  \n' "$(mariadb-dump --version | head -n 1)" \
	    "$(mydumper --version 2>&1 | head -n 1)" "$(zstd --version)"
	printf 'Dataset: SCALE=%s, %s tables, %s rows, SQL size %.1f MB (mariadb-dump output), RUNS=%s\n' \
	    "$SCALE" "$(wc -l <"$T/src.counts")" \
	    "$(awk '{ s += $2 } END { print s }' "$T/src.counts")" \
	    "$(echo "$RAW / 1000000" | bc -l)" "$RUNS"
}

main()
{
	local run tool t0
	bench_deps
	[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP (set MYSHIP)"
	LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
	ms_tmpdir
	: >"$T/res.tsv"
	t0=$(now)
	bench_source "$DB" "$SCALE"
	echo "bench: generated in $(echo "$(now) - $t0" | bc)s" >&2
	bench_counts S "$DB" >"$T/src.counts"
	[ "$VERIFY" != checksum ] || bench_checksums S "$DB" >"$T/src.sums"
	# Warms the server's caches for everyone, and measures the dataset.
	RAW=$(mariadb-dump --defaults-file="$S_CNF" --single-transaction \
	    --quick "$DB" | wc -c)
	policy myship ""
	for tool in $BACKUPS; do
		case $tool in
		myship[0-9]*) policy "$tool" "${tool#myship}" ;;
		myship_enc) rm -f "$T/bench.key" "$T/bench.key.pub"
			"$MYSHIP" -q keygen "$T/bench.key" ||
			    ms_fail "myship keygen failed"
			policy myship_enc "" "$T/bench.key" ;;
		base) policy base "" ;;
		base[0-9]*) policy "$tool" "${tool#base}" ;;
		esac
		case $tool in
		base*) [ -x "${MYSHIP_BASE:-}" ] ||
		    ms_fail "$tool needs MYSHIP_BASE, a myship binary" ;;
		esac
	done
	for run in $(seq 1 "$RUNS"); do
		for tool in $BACKUPS; do
			case $tool in
			dump3) backup_dump "$run" 3 ;;
			dump1) backup_dump "$run" 1 ;;
			mydumper|mydumper_c) backup_mydumper "$run" "$tool" ;;
			myship|myship[0-9]*|myship_enc|base|base[0-9]*)
				backup_myship "$run" "$tool" ;;
			*) ms_fail "unknown backup tool $tool" ;;
			esac
		done
	done
	for run in $(seq 1 "$RUNS"); do
		for tool in $RESTORES; do
			case $tool in
			mariadb) restore_mariadb "$run" ;;
			myloader) restore_myloader "$run" ;;
			myship|myship_t[0-9]*|myship_enc|base)
				restore_myship "$run" "$tool" ;;
			*) ms_fail "unknown restore tool $tool" ;;
			esac
		done
	done
	echo
	machine
	echo
	report "$RAW"
	printf '\nLoad average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
	! grep -q FAILED "$T/res.tsv" || ms_fail "a run failed (see above)"
}

main
