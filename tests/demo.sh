#!/bin/bash
# tests/demo.sh: myship's main job on an embedded default, for a first look.
# Run from a build directory (it uses ./myship, or $MYSHIP):
#     ../../tests/demo.sh
# It starts a private MariaDB with sample data and a local S3-compatible
# server, both on 127.0.0.1 and random ports, writes a policy, backs up into
# a local repository, lists, restores into a new database name and compares
# row counts; then does the same through S3.  Everything lives in one
# temporary directory, removed at the end (kept with MS_KEEP=1); the servers
# are stopped by PID.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top_srcdir=$(cd "$here/.." && pwd)
top_builddir=${top_builddir:-$PWD}
MYSHIP=${MYSHIP:-$top_builddir/myship}
export top_srcdir top_builddir MYSHIP
. "$top_srcdir/tests/lib.sh"
umask 077

[ -x "$MYSHIP" ] || ms_fail "no myship at $MYSHIP: run me from the build directory"

step() { printf '\n==> %s\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "starting a private MariaDB with sample data"
mariadb_start DEMO
ms_sql DEMO "CREATE DATABASE shop CHARACTER SET utf8mb4; USE shop;
CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(60) NOT NULL,
    email VARCHAR(80), created DATETIME(6) NOT NULL);
CREATE TABLE shop.products (id INT PRIMARY KEY, title VARCHAR(80) NOT NULL,
    price DECIMAL(10,2) NOT NULL, photo BLOB);
CREATE TABLE shop.orders (id INT AUTO_INCREMENT PRIMARY KEY,
    customer_id INT NOT NULL, product_id INT NOT NULL, qty INT NOT NULL,
    placed TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    FOREIGN KEY (customer_id) REFERENCES shop.customers (id),
    FOREIGN KEY (product_id) REFERENCES shop.products (id));
INSERT INTO shop.customers SELECT seq, CONCAT('Customer ', seq, ' Müller'),
    IF(seq % 7 = 0, NULL, CONCAT('c', seq, '@example.com')),
    '2024-01-01' + INTERVAL seq MINUTE FROM seq_1_to_2000;
INSERT INTO shop.products SELECT seq, CONCAT('Product ', seq),
    seq * 1.25, UNHEX(SHA2(seq, 256)) FROM seq_1_to_300;
INSERT INTO shop.orders (customer_id, product_id, qty)
    SELECT 1 + seq % 2000, 1 + seq % 300, 1 + seq % 5 FROM seq_1_to_8000;
CREATE VIEW shop.big_orders AS SELECT * FROM shop.orders WHERE qty > 3;"
echo "MariaDB on 127.0.0.1:$DEMO_PORT, database shop:"
ms_sql DEMO "SELECT table_name, table_rows FROM information_schema.tables
    WHERE table_schema = 'shop' AND table_type = 'BASE TABLE'"

step "starting the local S3-compatible test server"
s3_start
echo "S3 endpoint $S3_ENDPOINT, bucket $S3_BUCKET"

step "writing the policy (local repository) to $T/myship.ini"
cat >"$T/myship.ini" <<EOF
[global]
repository = $T/repository
lock_file = $T/myship.lock

[backup]
databases = shop
threads = 2

$(ms_policy_host DEMO)
EOF
sed 's/^/    /' "$T/myship.ini"

counts() {	# database
	ms_sql DEMO "SELECT 'customers', COUNT(*) FROM \`$1\`.customers UNION ALL
	    SELECT 'products', COUNT(*) FROM \`$1\`.products UNION ALL
	    SELECT 'orders', COUNT(*) FROM \`$1\`.orders UNION ALL
	    SELECT 'big_orders (view)', COUNT(*) FROM \`$1\`.big_orders"
}

compare() {	# copy
	counts shop >"$T/counts.orig"
	counts "$1" >"$T/counts.copy"
	paste "$T/counts.orig" "$T/counts.copy" |
	    awk -F'\t' '{ printf "    %-18s original %6s   restored %6s\n", $1, $2, $4 }'
	cmp -s "$T/counts.orig" "$T/counts.copy" ||
	    ms_fail "row counts of $1 differ from shop"
	echo "    row counts match"
}

step "backup into the local repository"
show "$MYSHIP" -c "$T/myship.ini" backup
step "list"
show "$MYSHIP" -c "$T/myship.ini" list
step "restore into a new database name, shop_restored"
show "$MYSHIP" -c "$T/myship.ini" restore latest --host DEMO \
    --database shop:shop_restored
compare shop_restored

step "the same through S3: policy with repository = s3"
{
	sed 's|^repository = .*|repository = s3|' "$T/myship.ini"
	ms_policy_s3 | sed 's/^secret_access_key = .*/secret_access_key = (hidden)/' \
	    >"$T/s3.shown"
	ms_policy_s3
} >"$T/myship-s3.ini"
sed 's/^/    /' "$T/s3.shown"
show "$MYSHIP" -c "$T/myship-s3.ini" check
show "$MYSHIP" -c "$T/myship-s3.ini" backup
show "$MYSHIP" -c "$T/myship-s3.ini" list
echo "objects in the bucket:"
find "$S3_DIR/$S3_BUCKET" -name '*._S3rver_object' | sed "s|^$S3_DIR/||;s|._S3rver_object\$||;s/^/    /"
show "$MYSHIP" -c "$T/myship-s3.ini" restore latest --host DEMO \
    --database shop:shop_from_s3
compare shop_from_s3

step "done; stopping the servers"
if [ "${MS_KEEP:-0}" = 1 ]; then
	echo "keeping $T"
fi
