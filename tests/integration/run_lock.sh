#!/bin/sh
# The run lock: a second run while one holds the lock exits 9 naming the
# holder's PID; --wait-lock waits for it; a SIGKILLed holder never blocks
# the next run.  The first run is held at its notify_url /start ping by a
# listener that answers slowly, so the timing does not depend on the dump.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir
mariadb_start db1
ms_sql db1 "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY); INSERT INTO shop.t VALUES (1),(2)"

# The first run waits 4s for its /start ping: the refusals below take far less.
echo 4 >"$T/delay"
python3 "$top_srcdir/tests/integration/hc_listener.py" "$T/hc.log" \
    "$T/hc.port" "$T/delay" 2>"$T/hc.err" &
ms__register $! hc_listener
for i in $(seq 50); do [ -s "$T/hc.port" ] && break; sleep 0.1; done
[ -s "$T/hc.port" ] || ms_fail "ping listener did not start"

cat >"$T/policy.ini" <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock
notify_url = http://127.0.0.1:$(cat "$T/hc.port")/hc
$(ms_policy_host db1)
EOP
chmod 600 "$T/policy.ini"

# wait_start N: until the listener has seen N /start pings.
wait_start()
{
	local n
	for i in $(seq 100); do
		n=$(grep -c ' /hc/start ' "$T/hc.log" 2>/dev/null)
		[ "${n:-0}" -ge "$1" ] && return 0
		sleep 0.1
	done
	ms_fail "no /start ping number $1"
}

"$MYSHIP" -c "$T/policy.ini" run >"$T/first.out" 2>"$T/first.err" &
first=$!
wait_start 1
ms_myship -c "$T/policy.ini" run
ms_assert_eq "$MS_RC" 9 "exit status of a second run"
grep -q "lock $T/myship.lock is held by pid $first" "$T/myship.err.last" ||
    ms_fail "the refusal does not name pid $first"
ms_myship -c "$T/policy.ini" prune
ms_assert_eq "$MS_RC" 9 "exit status of prune during a run"
# status only reads: it does not wait for the lock.
ms_myship -c "$T/policy.ini" status
[ "$MS_RC" = 9 ] && ms_fail "status waited for the run lock"

# --wait-lock: waits until the first run is done.
echo 0 >"$T/delay"
ms_myship -c "$T/policy.ini" --wait-lock 60s run
ms_assert_eq "$MS_RC" 0 "exit status of a run with --wait-lock"
wait "$first"
ms_assert_eq "$?" 0 "exit status of the first run"

# A run SIGKILLed while holding the lock does not block the next one.
echo 30 >"$T/delay"
"$MYSHIP" -c "$T/policy.ini" run >/dev/null 2>&1 &
victim=$!
wait_start 3
kill -KILL "$victim"
wait "$victim" 2>/dev/null
echo 0 >"$T/delay"
ms_myship -c "$T/policy.ini" run
ms_assert_eq "$MS_RC" 0 "exit status of a run after a SIGKILLed one"
exit 0
