#!/bin/sh
# TLS to the server, with a CA and a server certificate made by the test
# (ms_tls_certs): a server that requires secure transport is reached with tls =
# required and verify (the CA checked, and the name: 127.0.0.1 is in the
# certificate); a wrong CA is one clear line naming the host, and tls =
# disabled is refused by the server, never a silent fallback; a backup
# and restore run over TLS.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir
ms_tls_certs
mariadb_start A --ssl-ca="$MS_TLS_SRV/ca.pem" --ssl-cert="$MS_TLS_SRV/server.crt" \
    --ssl-key="$MS_TLS_SRV/server.key" --require-secure-transport=ON
ms_sql A "CREATE DATABASE shop; CREATE TABLE shop.t (id INT PRIMARY KEY, v VARCHAR(10));
INSERT INTO shop.t VALUES (1, 'a'), (2, 'b')"

policy() {	# tls mode, CA file
	cat <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock
$(ms_policy_host A)
tls = $1
tls_ca = $2
EOP
}
check() {	# tls mode, CA file: prints check's output, sets MS_RC
	policy "$1" "$2" >"$T/policy.ini"
	chmod 600 "$T/policy.ini"
	ms_myship -c "$T/policy.ini" check --host A >"$T/check.out"
}

for mode in required verify verify_ca verify_identity; do
	check "$mode" "$TLS_CA"
	ms_assert_eq "$MS_RC" 0 "check with tls = $mode and the right CA"
	grep -q '^A: ok' "$T/check.out" || ms_fail "tls = $mode: $(cat "$T/check.out")"
done
# The server's session is encrypted: what it says of our connection.
ms_myship -c "$T/policy.ini" backup --host A
ms_assert_eq "$MS_RC" 0 "backup over TLS"
ms_myship -c "$T/policy.ini" restore latest --host A --database shop:shop2
ms_assert_eq "$MS_RC" 0 "restore over TLS"
ms_assert_eq "$(ms_sql A "SELECT GROUP_CONCAT(v ORDER BY id) FROM shop2.t")" "a,b" \
    "rows restored over TLS"

check verify_identity "$TLS_OTHER_CA"
[ "$MS_RC" != 0 ] || ms_fail "a certificate signed by another CA was accepted"
ms_assert_eq "$(grep -c '^A: ' "$T/check.out")" 1 "lines for a wrong CA"
grep -Eq '^A: cannot connect \(127\.0\.0\.1:[0-9]+\): .*(TLS|SSL|certificate)' \
    "$T/check.out" || ms_fail "wrong CA: $(cat "$T/check.out")"
wrong=$(grep '^A: ' "$T/check.out")
check disabled "$TLS_CA"
[ "$MS_RC" != 0 ] || ms_fail "tls = disabled reached a server that requires TLS"
grep -q '^A: cannot connect' "$T/check.out" ||
    ms_fail "tls = disabled: $(cat "$T/check.out")"
# Without TLS at all (tls = disabled, a server that allows it): on MySQL,
# caching_sha2_password then needs the server's RSA key exchange.
mariadb_start B
ms_sql B "CREATE DATABASE plain; CREATE TABLE plain.t (id INT PRIMARY KEY); INSERT INTO plain.t VALUES (1)"
{
	printf '[global]\nrepository = %s\nlock_file = %s\n' "$T/repo" "$T/myship.lock"
	ms_policy_host B
	printf 'tls = disabled\n'
} >"$T/plain.ini"
chmod 600 "$T/plain.ini"
ms_myship -c "$T/plain.ini" check --host B >"$T/plain.out"
ms_assert_eq "$MS_RC" 0 "check with tls = disabled on a server without TLS required"
ms_myship -c "$T/plain.ini" backup --host B
ms_assert_eq "$MS_RC" 0 "backup with tls = disabled"
echo "tls ($MS_SERVER): required and verify work; refused: $wrong;" \
    "$(grep '^A: ' "$T/check.out")"
