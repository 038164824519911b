#!/bin/bash
# bench/serve.sh: starts the bench server (bench/lib.sh's bench_server),
# generates the dataset once, writes DIR/env and DIR/scale, and keeps the
# server running until it gets SIGTERM or SIGINT (then stops it by PID, like
# every test server).  bench.sh, load.sh and profile.sh run with
# BENCH_SERVER=DIR then adopt that server instead of generating their own:
# at SCALE=10 the generation alone takes about 40 minutes.
#
#   SCALE=10 bash bench/serve.sh DIR &
#   while [ ! -e DIR/env ]; do sleep 10; done
#   BENCH_SERVER=DIR SCALE=10 MYSHIP=... bash bench/bench.sh >out.md
#   kill %1
#
# Each script keeps to its own databases (bench_restored, sysbench's) and
# drops them; the dataset itself is only read.
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}

. "$top_srcdir/bench/lib.sh"

DIR=${1:?usage: SCALE=N bench/serve.sh DIR}
SCALE=${SCALE:-1.1}
DB=bench
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)
rm -f "$DIR/env" "$DIR/scale"
BENCH_SERVER= bench_source "$DB" "$SCALE"
# Caches warm for everyone, as bench.sh's own start does.
mariadb-dump --defaults-file="$S_CNF" --single-transaction --quick "$DB" |
    wc -c >"$DIR/raw.bytes"
printf '%s\n' "$SCALE" >"$DIR/scale"
{
	for v in S_PORT S_SOCK S_PASSFILE S_CNF S_PID S_DIR S_IN; do
		printf '%s=%q\n' "$v" "${!v}"
	done
	printf 'export S_PORT S_SOCK S_PASSFILE S_CNF\n'
} >"$DIR/env.tmp"
mv "$DIR/env.tmp" "$DIR/env"
echo "bench-serve: SCALE=$SCALE ready in $DIR (pid $$); kill it to stop the server" >&2
# Being stopped is how this script ends: exit 0, so the working
# directory (the server's datadir) is removed, as after a good test.
trap 'exit 0' INT TERM HUP
# sleep in the background so the traps run at once on a signal.
while :; do
	sleep 3600 &
	wait $! || :
done
