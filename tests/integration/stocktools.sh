#!/bin/bash
# A backup restores without myship, with the exact command of myship(8):
#     tar -xOf backup.tar | zstd -dcq | mariadb --binary-mode
# (mysql for MySQL; and without zstd when compression_level = 0), into a
# fresh server, and
# the result equals the original (tests/integration/fingerprint.py).
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
FP="python3 $top_srcdir/tests/integration/fingerprint.py"
WEIRD=$(printf 'we`ird/..\ndb ü€')

mariadb_start A
mariadb_start B
mariadb_start C
ms_sql A <"$MS_HARDCASE" >/dev/null

policy() {	# level
	cat <<EOF
[global]
repository = $T/repo$1
lock_file = $T/myship.lock

[backup]
databases = myship_hard we.*
compression_level = $1
chunk_size = 64K

$(ms_policy_host A)
EOF
}
policy 3 >"$T/policy3.ini"
policy 0 >"$T/policy0.ini"

# Connection options only, from an option file: the command is otherwise
# exactly the documented one (no character set option).
stock_cnf() {	# server
	local port pw dir
	eval "port=\$$1_PORT pw=\$(cat \"\$$1_PASSFILE\") dir=\$$1_DIR"
	printf '[client]\nuser=root\npassword=%s\nhost=127.0.0.1\nport=%s\n' \
	    "$pw" "$port" >"$dir/stock.cnf"
}
stock_cnf B
stock_cnf C

ms_myship -c "$T/policy3.ini" -q backup
ms_assert_eq "$MS_RC" 0 "backup (zstd)"
ms_myship -c "$T/policy0.ini" -q backup
ms_assert_eq "$MS_RC" 0 "backup (no compression)"

tar3=$(ls "$T"/repo3/A/*/backup.tar)
tar0=$(ls "$T"/repo0/A/*/backup.tar)
tar -tf "$tar3" | grep -q '\.sql\.zst$' || ms_fail "no .sql.zst members"
tar -tf "$tar0" | grep -q '\.sql$' || ms_fail "no .sql members at level 0"

# The server's own client: mariadb, or mysql for MySQL.
tar -xOf "$tar3" | zstd -dcq | ms_stock_client B stock.cnf --binary-mode ||
    ms_fail "stock restore (tar | zstd | client) failed"
tar -xOf "$tar0" | ms_stock_client C stock.cnf --binary-mode ||
    ms_fail "stock restore (tar | client) failed"

for srv in B C; do
	eval "cnf=\$${srv}_CNF"
	for db in myship_hard "$WEIRD"; do
		$FP "$A_CNF" "$db" >"$T/orig" 2>/dev/null
		$FP "$cnf" "$db" >"$T/copy" 2>/dev/null ||
		    ms_fail "$srv: database missing after stock restore"
		if ! diff "$T/orig" "$T/copy" >"$T/diff"; then
			head -n 40 "$T/diff" >&2
			ms_fail "$srv: stock restore differs from the original"
		fi
	done
done
ms_assert_eq "$(ms_sql B 'SELECT COUNT(*) FROM myship_hard.trg_log')" 2 \
    "triggers did not fire"
echo "stocktools ($MS_SERVER): tar|zstd|client and tar|client restores equal the original"
