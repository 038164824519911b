#!/bin/bash
# Bad input: each mistake exits with its documented status (myship(8), EXIT
# STATUS) and exactly one clear line on stderr, never leaks the password,
# and leaves the earlier backups listed as complete.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
mariadb_start A
ms_sql A "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY);
    INSERT INTO shop.t VALUES (1), (2), (3);"
PW=$(cat "$A_PASSFILE")

base() {	# extra [backup] lines
	cat <<EOF
[global]
repository = $T/repo
lock_file = $T/myship.lock

[backup]
databases = shop
$1

$(ms_policy_host A)
EOF
}
base "" >"$T/good.ini"

ms_myship -c "$T/good.ini" -q backup
ms_assert_eq "$MS_RC" 0 "first backup"
good=$(ls "$T/repo/A")
sleep 1
ms_myship -c "$T/good.ini" -q backup
ms_assert_eq "$MS_RC" 0 "second backup"
second=$(ls "$T/repo/A" | grep -v "^$good\$")

fails=0
# expect CODE "what" ARGS...: runs myship, checks the status and that stderr
# is one non-empty line without the password.
expect() {
	local code=$1 what=$2 lines
	shift 2
	"$MYSHIP" "$@" >"$T/out" 2>"$T/err" && MS_RC=0 || MS_RC=$?
	lines=$(wc -l <"$T/err")
	printf 'badinput: %-34s exit %-3s %s\n' "$what" "$MS_RC" \
	    "$(head -n 1 "$T/err")"
	if [ "$MS_RC" != "$code" ]; then
		echo "badinput: FAIL: $what: exit $MS_RC, expected $code" >&2
		sed 's/^/    stderr: /' "$T/err" >&2
		fails=$((fails + 1))
	elif [ "$lines" != 1 ] || [ ! -s "$T/err" ]; then
		echo "badinput: FAIL: $what: $lines lines on stderr, expected 1" >&2
		sed 's/^/    stderr: /' "$T/err" >&2
		fails=$((fails + 1))
	fi
	if grep -qF "$PW" "$T/err" "$T/out"; then
		echo "badinput: FAIL: $what: the password is in the output" >&2
		fails=$((fails + 1))
	fi
	return 0
}

# Policy file mistakes: 3.
printf '[global\nrepository = %s\n' "$T/repo" >"$T/malformed.ini"
expect 3 "malformed INI" -c "$T/malformed.ini" list
base "no_such_key = 1" >"$T/unknown.ini"
expect 3 "unknown key" -c "$T/unknown.ini" list
cp "$A_PASSFILE" "$T/pw-open"
chmod 644 "$T/pw-open"
sed "s|password_file = .*|password_file = $T/pw-open|" "$T/good.ini" \
    >"$T/openpw.ini"
expect 3 "world-readable password file" -c "$T/openpw.ini" backup
base "databases = (shop" >"$T/badre.ini"
expect 3 "bad regex in the policy" -c "$T/badre.ini" backup
expect 3 "missing policy file" -c "$T/nonexistent.ini" list

# Command line mistakes: 2.
expect 2 "unknown command" -c "$T/good.ini" frobnicate
expect 2 "bad regex on the command line" -c "$T/good.ini" backup \
    --database '(shop'
expect 2 "restore without --host" -c "$T/good.ini" restore latest

# Connection: 4.
printf 'not-the-password\n' >"$T/pw-wrong"
sed "s|password_file = .*|password_file = $T/pw-wrong|" "$T/good.ini" \
    >"$T/wrongpw.ini"
expect 4 "wrong password" -c "$T/wrongpw.ini" backup
port=$(ms_free_port)
sed "s|^port = .*|port = $port|" "$T/good.ini" >"$T/unreach.ini"
expect 4 "unreachable host" -c "$T/unreach.ini" backup

# Database: 5.
expect 5 "unknown database" -c "$T/good.ini" backup --database no_such_db

# Not found: 8.
expect 8 "unknown host" -c "$T/good.ini" backup --host nohost
expect 8 "unknown backup id" -c "$T/good.ini" restore 20000101T000000Z \
    --host A --database shop:shop2

# Missing manifest and corrupt archive: 7.
cp -a "$T/repo/A/$second" "$T/second.saved"
rm "$T/repo/A/$second/manifest.ini"
expect 7 "missing manifest" -c "$T/good.ini" restore "$second" --host A \
    --database shop:shop_nomanifest
rm -rf "$T/repo/A/$second"
cp -a "$T/second.saved" "$T/repo/A/$second"
size=$(stat -c %s "$T/repo/A/$second/backup.tar")
printf '\377\377\377\377' | dd of="$T/repo/A/$second/backup.tar" bs=1 \
    seek=$((size / 2)) conv=notrunc status=none
expect 7 "corrupt archive" -c "$T/good.ini" restore "$second" --host A \
    --database shop:shop_corrupt
truncate -s $((size / 3)) "$T/repo/A/$second/backup.tar"
expect 7 "truncated archive" -c "$T/good.ini" restore "$second" --host A \
    --database shop:shop_trunc

# Lock held by another process: 9.
flock "$T/myship.lock" sleep 30 &
lpid=$!
ms_track_pid "$lpid" flock
sleep 0.3
expect 9 "lock held" -c "$T/good.ini" backup
kill "$lpid" 2>/dev/null; wait "$lpid" 2>/dev/null || true
ms_untrack_pid "$lpid"

# Refused: 11.
ms_sql A "CREATE DATABASE shop_full; CREATE TABLE shop_full.x (i INT);"
expect 11 "restore into a non-empty database" -c "$T/good.ini" restore \
    "$good" --host A --database shop:shop_full

# The first backup is still complete and restorable.
ms_myship -c "$T/good.ini" list --host A --json >"$T/list.json"
ms_assert_eq "$MS_RC" 0 "list after the failures"
python3 - "$T/list.json" "$good" <<'EOF' || ms_fail "$good not listed complete"
import json, sys
rows = json.load(open(sys.argv[1]))
if isinstance(rows, dict):
    rows = rows.get("backups", [])
ok = [r for r in rows if r.get("id") == sys.argv[2]
      and r.get("state") == "complete"]
sys.exit(0 if ok else 1)
EOF
ms_myship -c "$T/good.ini" -q restore "$good" --host A \
    --database shop:shop_restored
ms_assert_eq "$MS_RC" 0 "restore of the first backup"
ms_assert_eq "$(ms_sql A 'SELECT COUNT(*) FROM shop_restored.t')" 3 \
    "rows restored"
[ "$fails" = 0 ] || ms_fail "$fails bad-input checks failed"
echo "badinput: ok"
