#!/bin/sh
# myship run end to end on a local repository: the summary, retention after
# the backup, a failing host that does not stop the others (exit 1), the
# metrics textfile (parsed), healthchecks pings received by a listener on
# 127.0.0.1, and on_failure with the summary on stdin and no secrets in its
# environment.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir
mariadb_start db1
ms_sql db1 "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v TEXT);
    INSERT INTO shop.t VALUES (1,'a'),(2,'b'),(3,'c');
    CREATE TABLE shop.u (id INT PRIMARY KEY); INSERT INTO shop.u VALUES (7)"

python3 "$top_srcdir/tests/integration/hc_listener.py" "$T/hc.log" \
    "$T/hc.port" "$T/delay" 2>"$T/hc.err" &
ms__register $! hc_listener
for i in $(seq 50); do [ -s "$T/hc.port" ] && break; sleep 0.1; done
[ -s "$T/hc.port" ] || ms_fail "ping listener did not start"
dead_port=$(ms_free_port)

policy()
{
	cat <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock
metrics_file = $T/myship.prom
notify_url = http://127.0.0.1:$(cat "$T/hc.port")/hc/
on_failure = cat >$T/onfail.txt; env >$T/onfail.env
parallel_hosts = 2
[retention]
keep_last = 1
[optimize]
when = after-backup
min_free_ratio = 0
[verify]
when = after-backup
$(ms_policy_host db1)
EOP
	[ "${1:-}" = dead ] && printf '[host dead]\nhost = 127.0.0.1\nport = %s\nuser = root\n' "$dead_port"
}
policy >"$T/policy.ini"
chmod 600 "$T/policy.ini"

# metric NAME HOST: the value of one sample of the textfile.
metric()
{
	python3 - "$T/myship.prom" "$1" "$2" <<'PY'
import re, sys
path, name, host = sys.argv[1:4]
want = name + ('{host="%s"}' % host if host else "")
for line in open(path):
    if line.startswith("#"):
        continue
    m = re.fullmatch(r'([a-z_]+(?:\{host="[^"]*"\})?) (\S+)\n', line)
    if not m:
        sys.exit("bad textfile line: %r" % line)
    if m.group(1) == want:
        print(m.group(2)); break
else:
    sys.exit("no sample " + want)
PY
}

# 1. A successful run.
ms_myship -c "$T/policy.ini" --log-file "$T/run.log" run >"$T/run1.out"
ms_assert_eq "$MS_RC" 0 "exit status of a successful run"
cat "$T/run1.out"
grep -q '^db1  *ok  ' "$T/run1.out" || ms_fail "summary has no ok line for db1"
grep -q '^total: 1 host, 0 failed, ' "$T/run1.out" || ms_fail "summary total"
first=$(ls "$T/repo/db1")
[ -f "$T/repo/db1/$first/manifest.ini" ] || ms_fail "no complete backup after run"
# [verify] when = after-backup: re-read, marked, counted.
grep -q "^verified .*: [0-9]* members, .*no damage$" "$T/repo/db1/$first/verified.txt" ||
    ms_fail "run did not verify its backup"
ms_assert_eq "$(metric myship_host_last_run_verified db1)" 1 "metrics: verified"
ms_assert_eq "$(metric myship_host_last_run_success db1)" 1 "metrics: success"
ms_assert_eq "$(metric myship_host_last_run_rows db1)" 4 "metrics: rows"
[ "$(metric myship_host_last_run_bytes db1)" -gt 0 ] || ms_fail "metrics: bytes"
python3 -c "import sys; s, e, t = map(float, sys.argv[1:]); sys.exit(not (0 < s <= e and abs(t - e) < 60))" \
    "$(metric myship_run_start_timestamp_seconds '')" \
    "$(metric myship_run_end_timestamp_seconds '')" \
    "$(metric myship_host_last_success_timestamp_seconds db1)" ||
    ms_fail "metrics: run start/end and last success times"
ms_assert_eq "$(cat "$T/hc.log")" "GET /hc/start 0
GET /hc 0" "pings of a successful run"
[ -e "$T/onfail.txt" ] && ms_fail "on_failure ran after a successful run"
grep -q 'run finished' "$T/run.log" || ms_fail "--log-file has no run log"
grep -Eq 'host db1: optimize: [0-9]+ tables? optimized, 0 failed' "$T/run.log" ||
    ms_fail "no optimize after the backup"
[ "$(stat -c %a "$T/myship.prom")" = 644 ] || ms_fail "metrics file mode"

# 2. Quiet: nothing on stdout when all went well; retention keeps 1.
sleep 1
ms_myship -c "$T/policy.ini" -q run >"$T/run2.out"
ms_assert_eq "$MS_RC" 0 "exit status of a quiet run"
ms_assert_eq "$(cat "$T/run2.out")" "" "stdout of a quiet successful run"
ms_assert_eq "$(ls "$T/repo/db1" | wc -l)" 1 "backups left with keep_last = 1"
[ "$(ls "$T/repo/db1")" \> "$first" ] || ms_fail "retention removed the newest"
success1=$(metric myship_host_last_success_timestamp_seconds db1)

# 3. A host that cannot be reached: the others still run, exit 1.
policy dead >"$T/policy.ini"
: >"$T/hc.log"
AWS_SECRET_ACCESS_KEY=do-not-leak ms_myship -c "$T/policy.ini" -q run >"$T/run3.out"
ms_assert_eq "$MS_RC" 1 "exit status with one host failing"
cat "$T/run3.out"
grep -q '^dead  *FAILED ' "$T/run3.out" || ms_fail "summary has no FAILED line"
grep -q '^db1  *ok ' "$T/run3.out" || ms_fail "db1 did not run next to a failing host"
grep -q '^total: 2 hosts, 1 failed, ' "$T/run3.out" || ms_fail "summary total"
grep -q "run: host dead failed" "$T/myship.err.last" || ms_fail "error message"
grep -q '^POST /hc/fail [1-9]' "$T/hc.log" || ms_fail "no /fail ping with a body"
grep -q 'dead' "$T/hc.log.body" || ms_fail "the /fail body does not name the host"
grep -q '^dead  *FAILED ' "$T/onfail.txt" || ms_fail "on_failure stdin lacks the summary"
grep -q do-not-leak "$T/onfail.env" && ms_fail "on_failure got a secret in its environment"
ms_assert_eq "$(metric myship_host_last_run_success dead)" 0 "metrics: dead failed"
ms_assert_eq "$(metric myship_host_last_success_timestamp_seconds dead)" 0.000 \
    "metrics: dead never succeeded"

# 4. db1 down: its last success time is carried over from the last file.
success2=$(metric myship_host_last_success_timestamp_seconds db1)
mariadb_stop db1
ms_myship -c "$T/policy.ini" -q run >/dev/null
ms_assert_eq "$MS_RC" 1 "exit status with every host failing"
ms_assert_eq "$(metric myship_host_last_run_success db1)" 0 "metrics: db1 failed"
ms_assert_eq "$(metric myship_host_last_success_timestamp_seconds db1)" "$success2" \
    "metrics: last success kept over a failure"
[ "$success2" != "$success1" ] || ms_fail "last success not updated by run 3"
exit 0
