#!/bin/bash
# Accounts, roles and grants ([backup] users = yes, restore --users):
# accounts with passwords, a role granted and made default, column and
# routine grants, a proxy grant (MariaDB), WITH GRANT OPTION and (MySQL) a partial
# revoke are stored in an accounts member (in the manifest, checked by
# verify), never holding root@localhost or the system accounts or what
# users_exclude names; a restore without --users leaves accounts alone;
# --dry-run shows the statements with every hash masked; --users brings
# them back with the same SHOW CREATE USER and SHOW GRANTS, and a user logs
# in with its password; an account that exists is skipped unless --force;
# --users=PATTERN chooses; into the other flavour (MariaDB to MySQL 9, or
# MySQL to MariaDB 10.11) an account whose plugin the target lacks is
# listed as refused (exit 13) and nothing else stops.
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

mariadb_start A
mariadb_start B
my=0
[ "$MS_SERVER" = mysql ] && my=1

app="CREATE DATABASE app; CREATE TABLE app.t (id INT PRIMARY KEY, a INT, b INT);
CREATE PROCEDURE app.p() SELECT 1;"
ms_sql A "$app"
if [ $my = 1 ]; then
	ms_sql A "SET GLOBAL partial_revokes = ON"
	ms_sql B "SET GLOBAL partial_revokes = ON"
	defrole="SET DEFAULT ROLE r_read TO 'alice'@'%'"
	# MySQL's root@127.0.0.1 holds no PROXY ... WITH GRANT OPTION
	proxy=
else
	defrole="SET DEFAULT ROLE r_read FOR 'alice'@'%'"
	proxy="GRANT PROXY ON 'alice'@'%' TO 'bob'@'localhost';"
fi
ms_sql A "CREATE ROLE r_read; GRANT SELECT ON app.* TO r_read;
CREATE USER 'alice'@'%' IDENTIFIED BY 'pw-alice';
GRANT r_read TO 'alice'@'%'; $defrole;
GRANT SELECT (a), UPDATE (b) ON app.t TO 'alice'@'%';
GRANT EXECUTE ON PROCEDURE app.p TO 'alice'@'%';
CREATE USER 'bob'@'localhost' IDENTIFIED BY 'pw-bob';
GRANT INSERT ON app.* TO 'bob'@'localhost' WITH GRANT OPTION;
$proxy
CREATE USER 'skipme'@'%' IDENTIFIED BY 'pw-skip';"
accounts="'alice'@'%' 'bob'@'localhost' 'r_read'@'%'"
if [ $my = 1 ]; then
	ms_sql A "CREATE USER 'carol'@'%' IDENTIFIED BY 'pw-carol';
GRANT SELECT, INSERT ON *.* TO 'carol'@'%';
REVOKE INSERT ON mysql.* FROM 'carol'@'%';"
	accounts="$accounts 'carol'@'%'"
	hash=$(ms_sql A "SELECT HEX(authentication_string) FROM mysql.user WHERE User = 'alice'")
else
	hash=$(ms_sql A "SELECT authentication_string FROM mysql.user WHERE User = 'alice'")
fi
[ ${#hash} -gt 20 ] || ms_fail "no password hash for alice"

# SHOW CREATE USER and SHOW GRANTS of every test account, sorted.
grants() {	# server
	local a role
	for a in $accounts; do
		role=$a
		[ $my = 0 ] && [ "$a" = "'r_read'@'%'" ] && role=r_read
		{
			if [ $my = 1 ]; then
				ms_sql "$1" "SET SESSION print_identified_with_as_hex = ON; SHOW CREATE USER $role"
			elif [ "$role" != r_read ]; then
				ms_sql "$1" "SHOW CREATE USER $role"
			fi
			ms_sql "$1" "SHOW GRANTS FOR $role"
		} | sort
	done
}
grants A >"$T/before"

cat >"$T/p.ini" <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock
[backup]
databases = app
users = yes
users_exclude = skipme root
$(ms_policy_host A)
$(ms_policy_host B)
EOP
ms_myship -c "$T/p.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup with users = yes"
id=$(ls "$T/repo/A")
man=$T/repo/A/$id/manifest.ini
grep -q '^users_member = 3-users.sql.zst$' "$man" || ms_fail "no users_member"
grep -q "^users = $((my + 3))$" "$man" || ms_fail "wrong account count: $(grep '^users = ' "$man")"
grep -q '^users_sha256 = [0-9a-f]\{64\}$' "$man" || ms_fail "no users_sha256"
tar -xOf "$T/repo/A/$id/backup.tar" 3-users.sql.zst | zstd -dcq >"$T/users.sql"
for bad in skipme root mariadb.sys mysql.sys mysql.session; do
	! grep -q "^-- myship .* $bad@" "$T/users.sql" ||
	    ms_fail "the member holds $bad"
done
ms_myship -c "$T/p.ini" verify --host A >"$T/verify.out"
ms_assert_eq "$MS_RC" 0 "verify with an accounts member"

# A restore without --users creates no account.
ms_myship -c "$T/p.ini" -q restore latest --host A --target B
ms_assert_eq "$MS_RC" 0 "restore without --users"
ms_assert_eq "$(ms_sql B "SELECT COUNT(*) FROM mysql.user WHERE User IN ('alice', 'bob', 'r_read')")" 0 \
    "accounts created without --users"

# --dry-run: the statements, hashes masked, nothing created.
ms_myship -c "$T/p.ini" restore latest --host A --target B --users --dry-run >"$T/dry.out"
ms_assert_eq "$MS_RC" 0 "dry run"
grep -q "account \`alice\`@\`%\`: would be created" "$T/dry.out" || ms_fail "dry run lists no alice"
grep -q "<secret>" "$T/dry.out" || ms_fail "dry run shows no masked hash"
! grep -qi "$hash" "$T/dry.out" "$T/myship.err" || ms_fail "a hash was shown"
ms_assert_eq "$(ms_sql B "SELECT COUNT(*) FROM mysql.user WHERE User = 'alice'")" 0 "dry run created alice"

# --users alone: the accounts, as they were.
ms_myship -c "$T/p.ini" restore latest --host A --target B --users >"$T/r1.out"
ms_assert_eq "$MS_RC" 0 "restore --users"
grep -q "account \`bob\`@\`localhost\`: created" "$T/r1.out" || ms_fail "bob not listed as created"
! grep -qi "$hash" "$T/r1.out" "$T/myship.err" || ms_fail "a hash was logged"
grants B >"$T/after"
diff "$T/before" "$T/after" >&2 || ms_fail "SHOW CREATE USER / SHOW GRANTS differ after restore"
cat >"$B_DIR/alice.cnf" <<EOC
[client]
host = 127.0.0.1
port = $B_PORT
user = alice
password = pw-alice
EOC
ms_assert_eq "$(ms_stock_client B alice.cnf -N -B -e 'SELECT COUNT(*) FROM app.t' 2>&1)" 0 \
    "alice logs in with her password and reads app.t through her default role"

# Exists: skipped, unless --force.
ms_myship -c "$T/p.ini" restore latest --host A --target B --users >"$T/r2.out"
ms_assert_eq "$MS_RC" 0 "restore --users over existing accounts"
grep -q "account \`alice\`@\`%\`: skipped: exists on the target" "$T/r2.out" || ms_fail "alice not skipped"
ms_sql B "REVOKE EXECUTE ON PROCEDURE app.p FROM 'alice'@'%'"
ms_myship -c "$T/p.ini" restore latest --host A --target B --users=alice --force >"$T/r3.out"
ms_assert_eq "$MS_RC" 0 "restore --users=alice --force"
grep -q "account \`alice\`@\`%\`: replaced" "$T/r3.out" || ms_fail "alice not replaced"
! grep -q bob "$T/r3.out" || ms_fail "--users=alice touched bob"
grants B >"$T/after2"
diff "$T/before" "$T/after2" >&2 || ms_fail "grants differ after --force"

# The other flavour: what its plugins cannot create is refused, listed.
if [ $my = 1 ]; then
	MS_SERVER=mariadb mariadb_start C
	want="caching_sha2_password is not on the target"
else
	MS_SERVER=mysql mariadb_start C
	want="mysql_native_password is not on the target"
fi
cat "$T/p.ini" >"$T/c.ini"
ms_policy_host C >>"$T/c.ini"
ms_myship -c "$T/c.ini" restore latest --host A --target C --users >"$T/c.out"
ms_assert_eq "$MS_RC" 13 "accounts into the other flavour"
grep -q "account \`alice\`@\`%\`: refused: authentication plugin $want" "$T/c.out" ||
    ms_fail "alice not refused for her plugin: $(cat "$T/c.out")"
ms_assert_eq "$(MS_SERVER=mariadb ms_sql C "SELECT COUNT(*) FROM mysql.user WHERE User = 'alice'")" 0 \
    "alice created on the other flavour"
! grep -qi "$hash" "$T/c.out" "$T/myship.err" || ms_fail "a hash was logged"
echo "users: ok"
