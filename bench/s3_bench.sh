#!/bin/bash
# One run, same data and same S3 test server for both:
#   myship backup                                     (to S3, streaming)
#   mariadb-dump --single-transaction --quick | zstd -3 | aws s3 cp - s3://...
# Prints, for each: seconds, object size, ratio (raw SQL bytes / object
# bytes), MB/s of raw SQL, and peak RSS (each process of the pipeline).
#
#   top_srcdir=. MYSHIP=./build/myship bash bench/s3_bench.sh [ROWS]
#
# ROWS (default 2000000) rows of ~110 bytes of half-compressible text.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
set -eu
umask 077

ROWS=${1:-2000000}
[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
[ -x /usr/bin/aws ] || ms_fail "/usr/bin/aws (Debian awscli) is needed"
[ -x /usr/bin/time ] || ms_fail "/usr/bin/time (Debian time) is needed"

mariadb_start A
s3_start
echo "loading $ROWS rows..." >&2
ms_sql A "CREATE DATABASE bench; USE bench;
    CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(100), b INT, c DATETIME)
    ENGINE=InnoDB;
    INSERT INTO t SELECT seq, CONCAT(MD5(seq), ' ', MD5(seq DIV 7), ' x'),
    seq * 7 MOD 100003, '2024-01-01' + INTERVAL seq SECOND
    FROM seq_1_to_$ROWS;"

cat >"$T/policy.ini" <<EOF
[global]
repository = s3
lock_file = $T/lock

[backup]
databases = bench
compression_level = 3

$(ms_policy_s3)

$(ms_policy_host A)
EOF

export AWS_CONFIG_FILE=$T/aws.cfg AWS_SHARED_CREDENTIALS_FILE=$T/aws.cred
printf '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n' \
    >"$AWS_CONFIG_FILE"
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >"$AWS_SHARED_CREDENTIALS_FILE"
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
DUMP="mariadb-dump --defaults-file=$A_CNF --single-transaction --quick bench"

raw=$($DUMP | wc -c)

# myship
/usr/bin/time -o "$T/ms.time" -f '%e %M' \
    "$MYSHIP" -q -c "$T/policy.ini" backup --host A 2>"$T/ms.err" ||
    { cat "$T/ms.err" >&2; ms_fail "myship backup failed"; }
ms_obj=$($AWS s3 ls --recursive "s3://$S3_BUCKET/A/" | awk '/backup.tar$/ { print $3 }')

# the shell pipeline
/usr/bin/time -o "$T/p1.time" -f '%e %M' $DUMP 2>"$T/p.err" |
    /usr/bin/time -o "$T/p2.time" -f '%e %M' zstd -q -3 |
    /usr/bin/time -o "$T/p3.time" -f '%e %M' \
    $AWS s3 cp - "s3://$S3_BUCKET/pipeline/bench.sql.zst" 2>>"$T/p.err" ||
    { cat "$T/p.err" >&2; ms_fail "pipeline failed"; }
p_obj=$($AWS s3 ls "s3://$S3_BUCKET/pipeline/bench.sql.zst" | awk '{ print $3 }')

read -r ms_s ms_rss <"$T/ms.time"
read -r p1_s p1_rss <"$T/p1.time"
read -r p2_s p2_rss <"$T/p2.time"
read -r p3_s p3_rss <"$T/p3.time"
python3 - "$raw" "$ms_obj" "$ms_s" "$ms_rss" "$p_obj" "$p3_s" "$p1_rss" \
    "$p2_rss" "$p3_rss" <<'PY'
import sys
raw, mo, ms, mr, po, ps, r1, r2, r3 = sys.argv[1:]
raw, mo, po = int(raw), int(mo), int(po)
ms, ps = float(ms), float(ps)
print("raw SQL (mariadb-dump output): %.1f MB" % (raw / 1e6))
print("%-10s %8s %10s %6s %8s  %s" % ("", "seconds", "object MB", "ratio",
      "MB/s", "peak RSS"))
print("%-10s %8.2f %10.1f %6.2f %8.1f  %.0f MiB" % ("myship", ms, mo / 1e6,
      raw / mo, raw / 1e6 / ms, int(mr) / 1024))
print("%-10s %8.2f %10.1f %6.2f %8.1f  dump %.0f + zstd %.0f + aws %.0f MiB"
      % ("pipeline", ps, po / 1e6, raw / po, raw / 1e6 / ps, int(r1) / 1024,
         int(r2) / 1024, int(r3) / 1024))
PY
