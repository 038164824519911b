#!/bin/bash
# restore --swap: a backup of database app (marker row 'new', 300 rows) is
# swapped in over app as it is now (marker 'old', 500 rows) under two
# clients of account app: one running a long query (killed after the grace:
# it sees its connection lost) and one running short queries on new
# connections in a loop (sees no error but "account is locked" or its
# session killed; its longest gap between two successful queries is
# printed next to the lockout myship prints, and must be within it + 5 s).
# Then myship is stopped before each step (MYSHIP_SWAP_HOLD), by SIGTERM
# and by SIGKILL followed by a rerun (which unlocks what the killed one
# locked, saying so): no account stays locked and app is always wholly old
# or wholly new, with its view, routine and trigger: after SIGKILL between
# the rename and the replay, the rerun finishes that swap (post-data only,
# the old rows kept in the archive, exit 0); and by both inside the RENAME
# (blocked by another session's lock).  --dry-run changes nothing; a shadow
# database that is not myship's is refused; --drop-old drops the archive;
# myship check unlocks what a killed swap left locked, and warns of one
# killed after its rename, which a rerun with a newer backup refuses.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
mariadb_start A
mysql=0
[ "${MS_SERVER:-mariadb}" = mysql ] && mysql=1

# mk MARKER ROWS: app as a copy: marker, rows, a trigger, a view, a routine.
mk() {
	ms_sql A "DROP DATABASE IF EXISTS app; CREATE DATABASE app; USE app;
	    CREATE TABLE marker (v VARCHAR(10));
	    INSERT INTO marker VALUES ('$1');
	    CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20));
	    INSERT INTO t WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL
	        SELECT n + 1 FROM s WHERE n < $2) SELECT n, '$1' FROM s;
	    CREATE TABLE log (n INT);
	    CREATE TRIGGER trg AFTER INSERT ON t FOR EACH ROW
	        INSERT INTO log VALUES (NEW.id);
	    CREATE VIEW vw AS SELECT v, COUNT(*) AS n FROM t GROUP BY v;
	    CREATE PROCEDURE p() SELECT v FROM marker;"
}
ms_sql A "CREATE USER app@'%' IDENTIFIED BY 'apppw';
    GRANT ALL ON app.* TO app@'%';
    CREATE USER other@'%' IDENTIFIED BY 'otherpw'"
printf '[client]\nuser=app\npassword=apppw\nhost=127.0.0.1\nport=%s\nprotocol=tcp\n' \
    "$A_PORT" >"$T/app.cnf"
app() { "$MS_SQL_CLIENT" --defaults-file="$T/app.cnf" -N -B "$@"; }
grace=2
cat >"$T/policy.ini" <<EOF
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = app

[restore]
swap_grace = ${grace}s

$(ms_policy_host A)
EOF
P="-c $T/policy.ini"
mk new 300
ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup exit status"
mk old 500
SH=$(python3 -c 'import sys
h = 2166136261
for c in sys.argv[1].encode(): h = ((h ^ c) * 16777619) & 0xffffffff
print("%08x" % h)' app)
ARCH=_myship_old_app_$SH
SHADOW=_myship_new_app_$SH
state() {
	local m n
	m=$(ms_sql A "SELECT v FROM app.marker")
	n=$(ms_sql A "SELECT COUNT(*) FROM app.t")
	case "$m $n" in
	"old 500"|"new 300") ;;
	*) ms_fail "app is a mix: marker '$m', $n rows ($1)" ;;
	esac
	echo "$m"
}
# objs: views, routines and triggers of app (1 1 1 in either copy).
objs() {
	ms_sql A "SELECT (SELECT COUNT(*) FROM information_schema.VIEWS
	    WHERE TABLE_SCHEMA = 'app'), (SELECT COUNT(*) FROM
	    information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'app'),
	    (SELECT COUNT(*) FROM information_schema.TRIGGERS
	    WHERE TRIGGER_SCHEMA = 'app')" | tr '\t' ' '
}
locked() {
	ms_sql A "SHOW CREATE USER app@'%'" | grep -c ' ACCOUNT LOCK' || :
}

# --dry-run: the plan, nothing changed.
ms_myship $P restore latest --host A --database app --swap --dry-run \
    >"$T/dry.out"
ms_assert_eq "$MS_RC" 0 "dry run exit status"
grep -q "accounts to lock: 1" "$T/dry.out" || ms_fail "dry run: accounts"
ms_assert_eq "$(state dry-run)" old "app after --dry-run"
ms_assert_eq "$(locked)" 0 "app locked after --dry-run"

# The swap under a long query and a loop of short ones, each on a new
# connection, timed: "TIME ok" or "TIME err MESSAGE" per query.
short_loop() {
	local t0 out
	while [ ! -e "$T/short.stop" ]; do
		t0=$EPOCHREALTIME
		if out=$(app -e "SELECT COUNT(*) FROM app.t" 2>&1); then
			echo "$t0 $EPOCHREALTIME ok"
		else
			echo "$t0 $EPOCHREALTIME err $(echo "$out" | head -1)"
		fi
		sleep 0.05
	done >"$T/short.log"
}
short_loop &
short=$!
ms_track_pid "$short" short
app -e "SELECT SLEEP(60)" >"$T/long.out" 2>"$T/long.err" &
long=$!
ms_track_pid "$long" long
sleep 1
ms_myship $P restore latest --host A --database app --swap >"$T/swap.out"
ms_assert_eq "$MS_RC" 0 "swap exit status"
sleep 1
touch "$T/short.stop"
wait "$short" || ms_fail "short query loop failed"
ms_untrack_pid "$short"
if wait "$long"; then ms_fail "the long query was not killed"; fi
ms_untrack_pid "$long"
cat "$T/long.err"
# (over TLS, 11.8's client says the server closed it: 2026 unexpected eof)
grep -Eqi "2013|1317|1927|Lost connection|interrupted|Connection was killed|2026.*unexpected eof" \
    "$T/long.err" || ms_fail "the long query's client saw no lost connection"
ms_assert_eq "$(state swap)" new "app after the swap"
ms_assert_eq "$(objs)" "1 1 1" "views, routines, triggers after the swap"
ms_assert_eq "$(locked)" 0 "app locked after the swap"
ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM \`$ARCH\`.t")" 500 \
    "old rows in the archive"
cat "$T/swap.out"
# Only "locked" (new connections) or "lost/killed" (a query the kill cut)
# errors, all within the printed lockout + 5 s, with successful queries
# before and after them; the longest gap between two successful queries
# (end of one to start of the next) within the printed lockout + 5 s.
printed=$(sed -n 's/.*locked out for \([0-9.]*\) s.*/\1/p' "$T/swap.out")
[ -n "$printed" ] || ms_fail "no lockout printed"
bad=$(grep ' err ' "$T/short.log" | grep -Eiv \
    "locked|4151|3118|2013|2006|1927|1317|Lost connection|gone away|killed|interrupted|refused|unexpected eof" || :)
[ -z "$bad" ] || ms_fail "short queries saw another error: $bad"
read -r nok nerr gap span around < <(awk '$3 == "ok" {
	if (last != "" && $1 - last > g) g = $1 - last
	last = $2; ls = $1; ok++; if (e1 == "") before = 1 }
	$3 == "err" { if (e1 == "") e1 = $1; e2 = $2; err++ }
	END { printf "%d %d %.2f %.2f %d\n", ok, err, g, e2 - e1,
	    (before && ls > e2) }' "$T/short.log")
echo "lockout: printed $printed s, longest gap between short queries" \
    "$gap s ($nok ok, $nerr refused within $span s)"
[ "$nerr" -ge 1 ] || ms_fail "no short query met the lock"
[ "$around" = 1 ] || ms_fail "no short query ran before and after the lock"
awk -v g="$span" -v p="$printed" 'BEGIN { exit !(g <= p + 5) }' ||
	ms_fail "short queries refused over $span s, lockout printed $printed s"
awk -v g="$gap" -v p="$printed" 'BEGIN { exit !(g <= p + 5) }' ||
	ms_fail "short queries stopped $gap s, lockout printed $printed s"

# An archive holding old tables is refused.
ms_myship $P -q restore latest --host A --database app --swap
ms_assert_eq "$MS_RC" 11 "swap over a full archive"
reset() {
	ms_sql A "DROP DATABASE IF EXISTS \`$ARCH\`;
	    DROP DATABASE IF EXISTS \`$SHADOW\`"
	mk old 500
}
# A shadow database that is not myship's leftover is refused, untouched.
reset
ms_sql A "CREATE DATABASE \`$SHADOW\`; CREATE TABLE \`$SHADOW\`.mine (i INT);
    INSERT INTO \`$SHADOW\`.mine VALUES (7)"
ms_myship $P -q restore latest --host A --database app --swap
ms_assert_eq "$MS_RC" 11 "swap over a foreign shadow database"
grep -q "shadow database $SHADOW exists and is not myship's" \
    "$T/myship.err.last" || ms_fail "foreign shadow: no reason given"
ms_assert_eq "$(ms_sql A "SELECT i FROM \`$SHADOW\`.mine")" 7 \
    "the foreign shadow's rows"
ms_assert_eq "$(state foreign-shadow)" old "app after a foreign shadow"
# --drop-old.
reset
ms_myship $P -q restore latest --host A --database app --swap --drop-old
ms_assert_eq "$MS_RC" 0 "swap --drop-old exit status"
ms_assert_eq "$(state drop-old)" new "app after --drop-old"
ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM information_schema.SCHEMATA
    WHERE SCHEMA_NAME LIKE '\\_myship%'")" 0 "databases after --drop-old"

# Starts restore ID --swap held before STEP in the background, stdout to
# OUT and stderr to ERR: $held is its PID (tracked); returns once it holds.
start_held() {	# step id out err
	local n=0
	MYSHIP_SWAP_HOLD=$1 "$MYSHIP" $P restore "$2" --host A --database app \
	    --swap >"$3" 2>"$4" &
	held=$!
	ms_track_pid "$held" myship
	until grep -q "holding before step $1" "$4"; do
		n=$((n + 1))
		[ "$n" -lt 300 ] || ms_fail "never held before $1"
		sleep 0.1
	done
}

# Stops the held restore with SIGNAL; its exit status in rc.
stop_held() {	# signal
	kill "-$1" "$held"
	rc=0
	wait "$held" || rc=$?
	ms_untrack_pid "$held"
}

# The rerun that finishes a swap killed after its rename, held before its
# first step: the accounts are still locked (never unlocked in between);
# SIGTERM then no longer stops it (db is the new copy already).
rerun_held() {
	start_held journal latest "$T/rerun.out" "$T/myship.err.last"
	ms_assert_eq "$(locked)" 1 "app locked while the rerun reads the post-data"
	stop_held TERM
	MS_RC=$rc
	cat "$T/myship.err.last" >&2
}

# Stopped before each step: SIGTERM, then SIGKILL and a rerun.
for sig in TERM KILL; do
	for step in journal lock grace kill triggers rename post unlock cleanup; do
		reset
		start_held "$step" latest "$T/held.out" "$T/held.err"
		stop_held "$sig"
		s=$(state "$sig before $step")
		o=$(objs)
		if [ "$sig" = KILL ]; then
			# locked from the lock to the unlock: the rerun unlocks
			# the accounts the journal lists, and says so
			case $step in
			grace|kill|triggers|rename|post|unlock) w=1 ;;
			*) w=0 ;;
			esac
			ms_assert_eq "$(locked)" "$w" "app locked after KILL before $step"
			if [ "$step" = post ]; then
				rerun_held
			else
				ms_myship $P restore latest --host A --database \
				    app --swap >"$T/rerun.out"
			fi
			case "$step:$MS_RC" in
			post:0) ;;
			post:*) ms_fail "rerun after KILL before post: exit $MS_RC" ;;
			*:0|*:11) ;;
			*) ms_fail "rerun after KILL before $step: exit $MS_RC" ;;
			esac
			# killed after its rename: the rerun finishes that swap
			if [ "$step" = post ]; then
				grep -q "only the post-data is replayed now" \
				    "$T/myship.err.last" ||
				    ms_fail "rerun after KILL before post: not finished"
				grep -q "kept locked until its post-data is replayed" \
				    "$T/myship.err.last" ||
				    ms_fail "rerun after KILL before post: unlocked first"
				ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM
				    \`$ARCH\`.\`_myship_swap_rename\`")" 0 \
				    "the rename mark after the rerun"
				ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM
				    \`$ARCH\`.\`_myship_swap_journal\`")" 0 \
				    "the journal after the rerun"
				ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM
				    information_schema.SCHEMATA WHERE
				    SCHEMA_NAME = '$SHADOW'")" 0 \
				    "the shadow after the rerun"
				ms_assert_eq "$(ms_sql A "SELECT COUNT(*) FROM
				    \`$ARCH\`.t")" 500 "old rows after the rerun"
				# it read the post-data only: fewer bytes
				cat "$T/rerun.out"
				b0=$(sed -n 's/.* \([0-9]*\) bytes read.*/\1/p' \
				    "$T/swap.out")
				b1=$(sed -n 's/.* \([0-9]*\) bytes read.*/\1/p' \
				    "$T/rerun.out")
				[ -n "$b0" ] && [ -n "$b1" ] && [ "$b1" -lt "$b0" ] ||
				    ms_fail "rerun read '$b1' bytes, the swap '$b0'"
				echo "rerun after KILL before post read $b1 bytes" \
				    "(the whole swap $b0)"
			fi
			case $step in lock|grace|kill|triggers|rename|post|unlock)
				grep -q "left locked by a swap that was killed" \
				    "$T/myship.err.last" ||
				    ms_fail "rerun after KILL before $step: no unlock warning"
			esac
			o=$(objs)
			s="$s, rerun exit $MS_RC: $(state "rerun after $step")"
		fi
		ms_assert_eq "$o" "1 1 1" \
		    "views, routines, triggers after $sig before $step"
		ms_assert_eq "$(locked)" 0 "app locked after $sig before $step"
		echo "$sig before $step: exit $rc, app $s, views routines triggers $o"
	done
done

# A signal inside a statement: the RENAME waits for a metadata lock that
# another account's transaction holds on app.marker (no step before the
# rename touches it) when myship gets SIGTERM or SIGKILL; that
# transaction then ends.  app is wholly old or new, and no account stays
# locked (after SIGKILL, once the rerun has run).
pl() {	# prefix: sessions whose statement starts with it
	ms_sql A "SELECT COUNT(*) FROM information_schema.PROCESSLIST
	    WHERE INFO LIKE '$1%'"
}
until_pl() {	# prefix count what
	local n=0
	until [ "$(pl "$1")" = "$2" ]; do
		n=$((n + 1))
		[ "$n" -lt 600 ] || ms_fail "$3: never seen"
		sleep 0.1
	done
}
for sig in TERM KILL; do
	reset
	ms_sql A "START TRANSACTION; SELECT COUNT(*) FROM app.marker;
	    DO SLEEP(300); COMMIT" >/dev/null 2>&1 &
	blocker=$!
	ms_track_pid "$blocker" blocker
	until_pl "DO SLEEP(300)" 1 "the blocking transaction"
	"$MYSHIP" $P restore latest --host A --database app --swap \
	    >"$T/in.out" 2>"$T/in.err" &
	held=$!
	ms_track_pid "$held" myship
	until_pl "RENAME TABLE" 1 "the swap's RENAME waiting ($sig)"
	stop=$(date +%s)
	kill "-$sig" "$held"
	sleep 0.5
	ms_sql A "KILL QUERY $(ms_sql A "SELECT ID FROM
	    information_schema.PROCESSLIST WHERE INFO LIKE 'DO SLEEP(300)%'")"
	wait "$blocker" || :
	ms_untrack_pid "$blocker"
	rc=0
	wait "$held" || rc=$?
	ms_untrack_pid "$held"
	cat "$T/in.err" >&2
	until_pl "RENAME TABLE" 0 "the RENAME ending ($sig)"
	s=$(state "$sig inside the rename")
	if [ "$sig" = KILL ]; then
		ms_assert_eq "$(locked)" 1 "app locked after KILL inside the rename"
		ms_myship $P restore latest --host A --database app --swap \
		    >"$T/rerun.out"
		ms_assert_eq "$MS_RC" 0 "rerun after KILL inside the rename"
		s="$s, rerun: $(state "rerun after KILL inside the rename")"
	else
		[ "$rc" -ne 0 ] || [ "$s" = new ] ||
		    ms_fail "exit 0 after TERM inside the rename, app old"
	fi
	ms_assert_eq "$(objs)" "1 1 1" \
	    "views, routines, triggers after $sig inside the rename"
	ms_assert_eq "$(locked)" 0 "app locked after $sig inside the rename"
	echo "$sig inside the rename: exit $rc after $(($(date +%s) - stop)) s," \
	    "app $s"
done

# myship check unlocks what a swap killed before the rename left locked.
reset
start_held rename latest "$T/held.out" "$T/held.err"
stop_held KILL
ms_assert_eq "$(locked)" 1 "app locked after KILL before rename"
ms_myship $P check --host A >"$T/check.out"
cat "$T/check.out"
ms_assert_eq "$MS_RC" 0 "check exit status"
grep -q "^A: ok .*; 1 account left locked by a killed restore --swap unlocked" \
    "$T/check.out" || ms_fail "check: no unlock on the host's line"
grep -q "account app@%, left locked by a swap that was killed" \
    "$T/myship.err.last" || ms_fail "check: the account is not named"
ms_assert_eq "$(locked)" 0 "app locked after check"
ms_myship $P check --host A >"$T/check.out"
if grep -q "locked" "$T/check.out"; then ms_fail "check unlocked twice"; fi

# A swap killed after its rename: check unlocks and warns; rerun with a
# newer backup, refused (exit 11) naming the one to use; with it, finished.
first=$(sed -n 's|^restored A/\([0-9TZ]*\) into.*|\1|p' "$T/swap.out")
[ -n "$first" ] || ms_fail "no backup ID in the swap's output"
mk new 300
sleep 1
ms_myship $P -q backup --host A
ms_assert_eq "$MS_RC" 0 "second backup exit status"
reset
start_held post "$first" "$T/held.out" "$T/held.err"
stop_held KILL
ms_myship $P check --host A >"$T/check.out"
ms_assert_eq "$MS_RC" 0 "check after KILL before post"
grep -q "a swap of backup A/$first was killed at its rename" \
    "$T/myship.err.last" || ms_fail "check: no word of the unfinished swap"
ms_assert_eq "$(locked)" 0 "app locked after check"
ms_myship $P -q restore latest --host A --database app --swap
ms_assert_eq "$MS_RC" 11 "rerun with a newer backup"
grep -q "holds the tables of backup A/$first.*rerun restore --swap with that backup" \
    "$T/myship.err.last" || ms_fail "rerun with a newer backup: no reason"
ms_myship $P restore "$first" --host A --database app --swap --dry-run \
    >"$T/dry.out"
ms_assert_eq "$MS_RC" 0 "dry run of the rerun"
grep -q "finishing a swap killed after its rename" "$T/dry.out" ||
	ms_fail "dry run of the rerun: not said"
ms_myship $P -q restore "$first" --host A --database app --swap
ms_assert_eq "$MS_RC" 0 "rerun with the same backup"
ms_assert_eq "$(state other-backup)" new "app after the rerun"
ms_assert_eq "$(objs)" "1 1 1" "views, routines, triggers after the rerun"
ms_assert_eq "$(locked)" 0 "app locked after the rerun"
