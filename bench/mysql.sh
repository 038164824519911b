#!/bin/bash
# bench/mysql.sh: restore speed on MySQL 9.x (MS_SERVER=mysql's chroot,
# tests/chroot.sh), myship against the stock `mysql < dump` of the same data
# (mysqldump --single-transaction), on one private server, medians of RUNS.
#
#   MYSHIP=/path/to/build/myship bash bench/mysql.sh
#
# Environment: SCALE=0.2 (GB of SQL text, bench/lib.sh's dataset), RUNS=3,
# THREADS=2 (myship's loaders).  myship restores twice: with the server's
# default local_infile=OFF (INSERT statements) and with local_infile=ON
# (LOAD DATA LOCAL), which this script sets on its own server.  Prints one
# line per tool: median wall seconds, MB/s, and the ratio against
# `mysql < dump` (above 1: faster than it).
set -eu
: "${top_srcdir:=$(cd "$(dirname "$0")/.." && pwd)}"
export MS_SERVER=mysql
. "$top_srcdir/bench/lib.sh"
SCALE=${SCALE:-0.2}
RUNS=${RUNS:-3}
THREADS=${THREADS:-2}
[ -x "$MYSHIP" ] || ms_fail "no myship at $MYSHIP"

ms_tmpdir
mariadb_start M --innodb-buffer-pool-size=1G --innodb-redo-log-capacity=1G \
    --skip-log-bin --max-allowed-packet=256M
echo "mysql bench: generating ${SCALE} GB" >&2
bench_dataset M bench "$SCALE"
cat >"$T/policy.ini" <<EOP
[global]
repository = $T/repo
lock_file = $T/lock
[restore]
threads = $THREADS
$(ms_policy_host M)
EOP
MYSHIP_LOG_STDERR=1 "$MYSHIP" -c "$T/policy.ini" -q backup >/dev/null
pw=$(cat "$M_PASSFILE")
printf '[client]\nuser=root\npassword=%s\nhost=127.0.0.1\nport=%s\n' \
    "$pw" "$M_PORT" >"$M_DIR/stock.cnf"
ms_stock_client M stock.cnf --version >/dev/null
chroot "$M_ROOT" mysqldump --defaults-file="$M_IN/stock.cnf" \
    --single-transaction --set-gtid-purged=OFF --databases bench \
    >"$T/dump.sql"
sed -i 's/^CREATE DATABASE .*`bench`/CREATE DATABASE `copy`/; s/^USE `bench`/USE `copy`/' "$T/dump.sql"
mb=$(( $(stat -c %s "$T/dump.sql") / 1000000 ))
rows=$(ms_sql M "SELECT SUM(TABLE_ROWS) FROM information_schema.TABLES WHERE TABLE_SCHEMA='bench'")

run() {	# tool: prints wall seconds of one restore into `copy`
	ms_sql M "DROP DATABASE IF EXISTS copy"
	local t0 t1
	t0=$(date +%s.%N)
	case $1 in
	stock) ms_stock_client M stock.cnf <"$T/dump.sql" ;;
	myship*) MYSHIP_LOG_STDERR=1 "$MYSHIP" -c "$T/policy.ini" -q restore \
	    latest --host M --database bench:copy >/dev/null ;;
	esac
	t1=$(date +%s.%N)
	[ "$(bench_counts M copy | awk '{s += $2} END {print s}')" = \
	    "$(bench_counts M bench | awk '{s += $2} END {print s}')" ] ||
	    ms_fail "$1: row counts differ after the restore"
	awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

declare -A med
for tool in stock myship myship_infile; do
	[ "$tool" = myship_infile ] && ms_sql M "SET GLOBAL local_infile = ON"
	[ "$tool" = myship ] && ms_sql M "SET GLOBAL local_infile = OFF"
	for i in $(seq "$RUNS"); do run "$tool"; done >"$T/$tool.times"
	med[$tool]=$(median <"$T/$tool.times")
done
echo "mysql bench: $(ms_sql M 'SELECT VERSION()'), ${mb} MB of mysqldump SQL, ~$rows rows, RUNS=$RUNS, myship threads=$THREADS"
for tool in stock myship myship_infile; do
	awk -v t="$tool" -v s="${med[$tool]}" -v b="${med[stock]}" -v mb="$mb" \
	    'BEGIN { printf "  %-14s %7.2f s  %6.1f MB/s  %5.2fx mysql<dump\n", t, s, mb / s, b / s }'
done
