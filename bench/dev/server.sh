#!/bin/bash
# bench/dev/server.sh: a private MariaDB with the bench dataset that stays up
# for iteration until $STATE/stop appears (or 3 hours pass).
#
#   STATE=/tmp/h8-bench SCALE=0.4 bash bench/dev/server.sh &
#
# Writes $STATE/env (S_PORT, S_CNF, S_PASSFILE) and $STATE/myship.ini,
# $STATE/myship0.ini, then touches $STATE/ready.
#
# With AB_TOOLS set, runs bench/dev/run.sh with TOOLS=$AB_TOOLS at once and
# stops: the server and the tools are then in one session, so in one
# scheduler autogroup as in bench/bench.sh (a server started from another
# session gets its own share of a busy machine, which favours tools that
# wait for it).
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/bench/lib.sh"
set -eu -o pipefail
STATE=${STATE:?}
SCALE=${SCALE:-0.4}
mkdir -p "$STATE"
rm -f "$STATE/ready" "$STATE/stop"
bench_server S
bench_dataset S bench "$SCALE"
ms_sql S "ANALYZE TABLE bench.sbtest1, bench.sbtest2, bench.sbtest3,
    bench.sbtest4, bench.docs, bench.events_nopk" >/dev/null
printf 'S_PORT=%s\nS_CNF=%s\nS_PASSFILE=%s\nT=%s\n' "$S_PORT" "$S_CNF" \
    "$S_PASSFILE" "$T" >"$STATE/env"
for l in "" 0; do
	{
		printf '[global]\nrepository = %s\nlock_file = %s\n\n' \
		    "$STATE/repo$l" "$STATE/lock$l"
		printf '[backup]\ndatabases = bench\n'
		[ -z "$l" ] || printf 'compression_level = %s\n' "$l"
		printf '\n'
		ms_policy_host S
	} >"$STATE/myship$l.ini"
done
touch "$STATE/ready"
if [ -n "${AB_TOOLS:-}" ]; then
	STATE=$STATE TOOLS=$AB_TOOLS bash "$top_srcdir/bench/dev/run.sh"
	exit 0
fi
for i in $(seq 1 10800); do
	[ -e "$STATE/stop" ] && break
	sleep 1
done
