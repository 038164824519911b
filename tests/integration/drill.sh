#!/bin/bash
# myship drill: a backup taken with [backup] checksums = yes restores into
# scratch databases of another server, every table's rows and CHECKSUM
# TABLE match (exit 0), the RTO is in the metrics file and in status, and no
# scratch database is left; a checksum that does not match (edited in the
# manifest) fails the drill with exit 15 naming the table; a drill killed
# halfway leaves scratch databases that the next drill drops, saying so; a
# drill stopped by SIGTERM drops its own (exit 10).
. "$top_srcdir/tests/lib.sh"
set -eu
umask 077

mariadb_start A
mariadb_start B
# Rows enough that a restore takes a moment (the kill below needs one).
ms_sql A "CREATE DATABASE shop; CREATE DATABASE \`Odd:Name\`;
CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(200), n BIGINT);
INSERT INTO shop.orders (note, n) VALUES ('a', 1), ('b', 2), ('c', 3), ('d', 4);
CREATE TABLE shop.small (k VARCHAR(10) PRIMARY KEY, v DOUBLE);
INSERT INTO shop.small VALUES ('x', 1.5), ('y', NULL);
CREATE TABLE \`Odd:Name\`.t (id INT PRIMARY KEY);
INSERT INTO \`Odd:Name\`.t VALUES (1), (2), (3);
CREATE VIEW shop.v AS SELECT id FROM shop.orders;"
for i in $(seq 14); do
	ms_sql A "INSERT INTO shop.orders (note, n) SELECT CONCAT(REPEAT('x', 80), id), n * 3 FROM shop.orders"
done
rows=$(ms_sql A "SELECT COUNT(*) FROM shop.orders")

cat >"$T/policy.ini" <<EOP
[global]
repository = $T/repo
lock_file = $T/myship.lock
metrics_file = $T/myship.prom
[backup]
databases = shop
databases = Odd:Name
checksums = yes
$(ms_policy_host A)
$(ms_policy_host B)
EOP
json() {	# expression [argv...]: evaluated with d, the document on stdin
	python3 -c 'import json, sys; d = json.load(sys.stdin); print(eval(sys.argv[1]))' "$@"
}
metric() {	# name host
	sed -n "s/^$1{host=\"$2\"} //p" "$T/myship.prom"
}
scratch() {	# the drill's databases left on B
	ms_sql B "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'myship\\_drill\\_%'"
}

ms_myship -c "$T/policy.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup with checksums"
id=$(ls "$T/repo/A")
man=$T/repo/A/$id/manifest.ini
ms_assert_eq "$(grep -c '^checksum = [0-9]' "$man")" 3 "a checksum per table"
grep -q '^checksum_server = ' "$man" || ms_fail "no checksum_server"

ms_myship -c "$T/policy.ini" drill --host A --target B --json >"$T/ok.json"
cat "$T/ok.json"
ms_assert_eq "$MS_RC" 0 "a good drill"
ms_assert_eq "$(json 'd["ok"], d["id"], d["tables"], d["failed"], d["checksums"], d["restore_seconds"] > 0' <"$T/ok.json")" \
    "(True, '$id', 3, 0, 'compared', True)" "drill --json"
ms_assert_eq "$(scratch)" 0 "scratch databases dropped after the drill"
ms_assert_eq "$(metric myship_drill_last_success A)" 1.000 "metrics: drill success"
rto=$(metric myship_drill_last_restore_seconds A)
python3 -c "import sys; sys.exit(not 0 < float('$rto') < 600)" ||
    ms_fail "metrics: restore seconds $rto"
ms_myship -c "$T/policy.ini" status --host A >"$T/st.out"
cat "$T/st.out"
grep -q "drill: ok, backup $id into host B, restore [0-9.]* s, 3 of 3 tables as backed up, checksums compared" "$T/st.out" ||
    ms_fail "status shows no drill"
ms_myship -c "$T/policy.ini" status --host A --json >"$T/st.json"
ms_assert_eq "$(json 'd["hosts"][0]["last_drill"]["ok"], d["hosts"][0]["last_drill"]["id"], d["hosts"][0]["last_drill"]["restore_seconds"] > 0' <"$T/st.json")" \
    "(True, '$id', True)" "status --json: last drill"

# The recorded checksum of shop.small no longer matches (the manifest is not
# itself hashed: its members and archive are).
cp "$man" "$T/manifest.good"
python3 - "$man" <<'PY'
import sys
p = sys.argv[1]
lines = open(p).read().split('\n')
out, table = [], None
for l in lines:
    if l.startswith('name = '):
        table = l[7:]
    if table == 'small' and l.startswith('checksum = '):
        l = 'checksum = 12345'
    out.append(l)
open(p, 'w').write('\n'.join(out))
PY
ms_myship -c "$T/policy.ini" drill "$id" --host A --target B >"$T/bad.out"
cat "$T/bad.out"
ms_assert_eq "$MS_RC" 15 "a drill whose checksum differs"
grep -q "^A/$id: table shop.small: checksum [0-9]*, the backup recorded 12345$" "$T/bad.out" ||
    ms_fail "the table that differs is not named"
grep -q "FAILED: restore [0-9.]* s, 2 of 3 tables" "$T/bad.out" || ms_fail "no FAILED line"
ms_assert_eq "$(scratch)" 0 "scratch databases dropped after a failed drill"
ms_assert_eq "$(metric myship_drill_last_success A)" 0.000 "metrics: drill failed"
cp "$T/manifest.good" "$man"

# Killed halfway: its scratch databases stay, the next drill drops them.
halfway() {	# signal
	"$MYSHIP" -c "$T/policy.ini" drill --host A --target B >/dev/null 2>"$T/killed.err" &
	pid=$!
	for i in $(seq 300); do
		[ "$(scratch)" -gt 0 ] && break
		sleep 0.05
	done
	ms_assert_eq "$(scratch)" 2 "the drill's scratch databases are there"
	kill -"$1" "$pid"
	rc=0
	wait "$pid" || rc=$?
}
halfway KILL
ms_assert_eq "$(scratch)" 2 "a killed drill leaves its scratch databases"
ms_myship -c "$T/policy.ini" drill --host A --target B >"$T/next.out"
ms_assert_eq "$MS_RC" 0 "the drill after a killed one"
ms_assert_eq "$(grep -c 'dropped myship_drill_.*, left by an earlier drill of A' "$T/myship.err.last")" 2 \
    "the leftovers are dropped and said"
ms_assert_eq "$(scratch)" 0 "no scratch database after the next drill"
halfway TERM
cat "$T/killed.err"
ms_assert_eq "$rc" 10 "a drill stopped by SIGTERM"
ms_assert_eq "$(scratch)" 0 "a drill stopped by SIGTERM drops its scratch databases"
ms_assert_eq "$(ms_sql B "SHOW DATABASES LIKE 'shop'")" "" "nothing restored under the real names"
# The same from an S3 repository: the drill reads the backup there and
# records its result beside it (status reads it back).
ms_s3_start s3rver
sed "s|^repository = .*|repository = s3|" "$T/policy.ini" >"$T/s3.ini"
ms_policy_s3 >>"$T/s3.ini"
ms_myship -c "$T/s3.ini" -q backup --host A
ms_assert_eq "$MS_RC" 0 "backup with checksums to S3"
ms_myship -c "$T/s3.ini" drill --host A --target B --json >"$T/s3.json"
ms_assert_eq "$MS_RC" 0 "a good drill from S3"
s3id=$(json 'd["id"]' <"$T/s3.json")
ms_assert_eq "$(json 'd["ok"], d["tables"], d["failed"], d["checksums"]' <"$T/s3.json")" \
    "(True, 3, 0, 'compared')" "drill --json from S3"
ms_assert_eq "$(scratch)" 0 "no scratch database after the drill from S3"
ms_myship -c "$T/s3.ini" status --host A --json >"$T/s3status.json"
ms_assert_eq "$(json 'd["hosts"][0]["last_drill"]["ok"], d["hosts"][0]["last_drill"]["id"]' <"$T/s3status.json")" \
    "(True, '$s3id')" "status reads the drill's result from S3"
echo "drill: ok (local and S3) ($rows rows, RTO $rto s), a differing checksum names its table (exit 15), leftovers of a killed drill dropped, SIGTERM cleans up"
