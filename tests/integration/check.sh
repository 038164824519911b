#!/bin/sh
# myship check: one line per host; missing privileges are named (per
# database when only some lack them, roles and PUBLIC counted); exit 5
# for missing privileges, 4 for an unreachable host, 0 when all is well.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir
mariadb_start db1
# MariaDB: SET DEFAULT ROLE r FOR u; MySQL: SET DEFAULT ROLE r TO u.
default_role()
{
	if [ "$MS_SERVER" = mysql ]; then
		echo "SET DEFAULT ROLE bkrole TO bk@'127.0.0.1'"
	else
		echo "SET DEFAULT ROLE bkrole FOR bk@'127.0.0.1'"
	fi
}
ms_sql db1 "CREATE DATABASE app; CREATE DATABASE shop;
CREATE TABLE app.t (id INT PRIMARY KEY);
CREATE ROLE bkrole; GRANT SHOW VIEW ON *.* TO bkrole;
CREATE USER bk@'127.0.0.1' IDENTIFIED BY 'bkpw';
GRANT SELECT ON *.* TO bk@'127.0.0.1';
GRANT TRIGGER ON app.* TO bk@'127.0.0.1';
GRANT bkrole TO bk@'127.0.0.1'; $(default_role)"
printf 'bkpw\n' >"$T/bkpw"
chmod 600 "$T/bkpw"
dead_port=$(ms_free_port)

policy()
{
	cat <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock
[backup]
databases = app shop
[host bk]
host = 127.0.0.1
port = $db1_PORT
user = bk
password_file = $T/bkpw
$(ms_policy_host db1)
$*
EOP
}
policy >"$T/policy.ini"
chmod 600 "$T/policy.ini"

ms_myship -c "$T/policy.ini" check --help >"$T/help.out"
ms_assert_eq "$MS_RC" 0 "check --help exit status"
grep -q '^usage: myship check' "$T/help.out" || ms_fail "check --help usage"

ms_myship -c "$T/policy.ini" check >"$T/out"
cat "$T/out"
ms_assert_eq "$MS_RC" 5 "check exit status with missing privileges"
flavour='MariaDB 1[0-9]*\.[0-9]*\.[0-9]*'
[ "$MS_SERVER" = mysql ] && flavour='MySQL [89]\.[0-9]*\.[0-9]*'
grep -q "^bk: missing privileges: TRIGGER (on shop), EVENT ($flavour)\$" \
    "$T/out" || ms_fail "missing privileges line for bk"
grep -q "^db1: ok ($flavour, 2 databases)\$" "$T/out" ||
    ms_fail "ok line for db1"
grep -q "^repository local:$T/repo: ok (writable)\$" "$T/out" ||
    ms_fail "repository line"

ms_sql db1 "GRANT TRIGGER, EVENT ON *.* TO bk@'127.0.0.1'"
ms_myship -c "$T/policy.ini" check --host bk >"$T/out"
cat "$T/out"
ms_assert_eq "$MS_RC" 0 "check exit status once granted"
grep -q "^bk: ok ($flavour.*); note: without RELOAD" "$T/out" ||
    ms_fail "ok line for bk with the RELOAD note"
if [ "$MS_SERVER" = mysql ]; then
	grep -q "without BACKUP_ADMIN (LOCK INSTANCE FOR BACKUP)" "$T/out" ||
	    ms_fail "no BACKUP_ADMIN note for bk on MySQL"
	ms_sql db1 "GRANT RELOAD, PROCESS, BACKUP_ADMIN ON *.* TO bk@'127.0.0.1'"
	ms_myship -c "$T/policy.ini" check --host bk >"$T/out"
	cat "$T/out"
	grep -q "^bk: ok ($flavour, 2 databases)\$" "$T/out" ||
	    ms_fail "notes remain once RELOAD, PROCESS and BACKUP_ADMIN are granted"
fi

policy "[host dead]
host = 127.0.0.1
port = $dead_port
user = root" >"$T/policy.ini"
ms_myship -c "$T/policy.ini" check >"$T/out"
cat "$T/out"
ms_assert_eq "$MS_RC" 4 "check exit status with a host down"
grep -q "^dead: cannot connect (127.0.0.1:$dead_port): " "$T/out" ||
    ms_fail "cannot connect line for dead"
grep -q '^bk: ok' "$T/out" || ms_fail "other hosts still checked"

ms_myship -c "$T/policy.ini" check --host nosuch
ms_assert_eq "$MS_RC" 8 "check --host of an unknown host"
exit 0
