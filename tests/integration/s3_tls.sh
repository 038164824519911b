#!/bin/bash
# https end to end, against the S3 test server and Ceph's radosgw, each
# behind stunnel4 with a certificate of the test's own CA (openssl):
#   - ca_file = that CA: check, a multipart backup (its 5 MiB parts go
#     with UNSIGNED-PAYLOAD, as over https), list and restore work;
#   - ca_file = another CA, or no ca_file (the system's CAs): exit 6 with
#     one clear error naming the https endpoint, no retries, nothing
#     written (no fallback to plain http);
#   - verify_tls = no with the wrong CA: the backup works;
#   - radosgw: virtual-host addressing, https://localhost:PORT with
#     path_style = no, so requests go to myship-test.localhost (which
#     curl resolves to the loopback address).
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"

mariadb_start A
ms_sql A "CREATE DATABASE myship_bulk; USE myship_bulk;
    CREATE TABLE r (id INT PRIMARY KEY, b VARBINARY(1024)) ENGINE=InnoDB;
    INSERT INTO r SELECT seq, RANDOM_BYTES(1024) FROM seq_1_to_8000;"
sum=$(ms_sql A 'CHECKSUM TABLE myship_bulk.r' | cut -f2)
ms_tls_certs myship-test.localhost

policy() {	# endpoint, then extra [s3] lines...
	local ep=$1
	shift
	{
		printf '[global]\nrepository = s3\nlock_file = %s\n\n' "$T/lock"
		printf '[backup]\ndatabases = myship_bulk\nthreads = 2\n\n'
		ms_policy_s3 | grep -v -e '^endpoint' -e '^path_style'
		printf 'endpoint = %s\nprefix = tls\npart_size = 5M\nretries = 2\n' \
		    "$ep"
		for l in "$@"; do printf '%s\n' "$l"; done
		printf '\n'
		ms_policy_host A
	} >"$T/policy.ini"
}

backups() {
	ms_aws s3 ls --recursive "s3://$S3_BUCKET/tls/" | grep -c manifest.ini ||
	    true
}

# A TLS failure: exit 6, one error naming the endpoint, no retry, nothing new.
refused() {	# what, expected backups
	: >"$T/myship.err"
	ms_myship -c "$T/policy.ini" backup --host A
	ms_assert_eq "$MS_RC" 6 "$srv: backup with $1"
	grep -q "certificate.*(endpoint $ep); .*ca_file" "$T/myship.err" ||
	    ms_fail "$srv: $1: no certificate error naming $ep and ca_file"
	grep -q retrying "$T/myship.err" && ms_fail "$srv: $1 was retried"
	ms_assert_eq "$(backups)" "$2" "$srv: backups after $1"
}

tls_cases() {
	local n=0
	tls_front "$srv" "${S3_ENDPOINT##*:}"
	eval "port=\$${srv}_TLS_PORT"
	ep=https://127.0.0.1:$port

	policy "$ep" "ca_file = $TLS_CA"
	ms_myship -c "$T/policy.ini" check --host A >"$T/check.out"
	ms_assert_eq "$MS_RC" 0 "$srv: check over https"
	grep -q "ok (writable)" "$T/check.out" || ms_fail "$srv: check: $(cat "$T/check.out")"
	ms_myship -c "$T/policy.ini" backup --host A
	ms_assert_eq "$MS_RC" 0 "$srv: backup over https"
	n=$((n + 1))
	ms_assert_eq "$(backups)" $n "$srv: backups over https"
	ms_myship -c "$T/policy.ini" list --host A >"$T/list.out"
	ms_assert_eq "$MS_RC" 0 "$srv: list over https"
	ms_assert_eq "$(grep -c ' complete$' "$T/list.out")" $n "$srv: listed"
	ms_sql A "DROP DATABASE IF EXISTS copy"
	ms_myship -c "$T/policy.ini" restore latest --host A \
	    --database myship_bulk:copy
	ms_assert_eq "$MS_RC" 0 "$srv: restore over https"
	ms_assert_eq "$(ms_sql A 'CHECKSUM TABLE copy.r' | cut -f2)" "$sum" \
	    "$srv: restored checksum"

	policy "$ep" "ca_file = $TLS_OTHER_CA"
	refused "the wrong CA" $n
	policy "$ep"
	refused "the system's CAs" $n

	policy "$ep" "ca_file = $TLS_OTHER_CA" "verify_tls = no"
	ms_myship -c "$T/policy.ini" backup --host A
	ms_assert_eq "$MS_RC" 0 "$srv: backup with verify_tls = no"
	n=$((n + 1))
	ms_assert_eq "$(backups)" $n "$srv: backups with verify_tls = no"

	[ "$srv" = rgw ] || return 0
	# Virtual-host addressing: only radosgw (rgw_dns_name = localhost)
	# takes the bucket from the host name.
	ep=https://localhost:$port
	policy "$ep" "ca_file = $TLS_CA" "path_style = no"
	from=$(($(wc -l <"$RGW_DIR/server.log") + 1))
	ms_myship -c "$T/policy.ini" backup --host A
	ms_assert_eq "$MS_RC" 0 "$srv: backup with virtual-host addressing"
	# radosgw's access log: the bucket is not in the request paths.
	tail -n +"$from" "$RGW_DIR/server.log" | grep ' beast: .* myship \[' \
	    >"$T/vhost.log" || true
	grep -q '"PUT /tls/A/[0-9TZ]*/manifest.ini' "$T/vhost.log" ||
	    ms_fail "$srv: no virtual-host PUT of the manifest in the access log"
	grep -q '"[A-Z]* /myship-test' "$T/vhost.log" &&
	    ms_fail "$srv: a path-style request with virtual-host addressing"
	n=$((n + 1))
	ms_assert_eq "$(backups)" $n "$srv: backups with virtual-host addressing"
	ms_myship -c "$T/policy.ini" list --host A >"$T/list.out"
	ms_assert_eq "$(grep -c ' complete$' "$T/list.out")" $n \
	    "$srv: listed with virtual-host addressing"
	policy "$ep" "ca_file = $TLS_OTHER_CA" "path_style = no"
	refused "the wrong CA (virtual host)" $n
}

for srv in $(ms_s3_servers); do
	ms_s3_start "$srv"
	tls_cases
done
exit 0
