#!/bin/bash
# One run, same data and same S3 server for each, backup and restore:
#   myship backup                                     (to S3, streaming)
#   mariadb-dump --single-transaction --quick | zstd -3 | aws s3 cp - s3://...
#   myship restore                                    (from S3, streaming)
#   aws s3 cp s3://... - | zstd -dc | mariadb
#   myship verify                                     (ranged GETs, 4 workers)
#   aws s3 cp s3://.../backup.tar - | sha256sum       (the same archive, read once)
# Prints, for each: seconds, object size, ratio (raw SQL bytes / object
# bytes), MB/s of raw SQL, and peak RSS (/usr/bin/time -v's maximum resident
# set size of each process of a pipeline); both restores are checked
# against the source table's CHECKSUM.
#
#   S3=s3rver|rgw top_srcdir=. MYSHIP=./_build/myship bash bench/s3_bench.sh [ROWS]
#
# VERIFY_BASE=/path/to/myship also times that build's verify of the same
# backup (one before ranged reads: one stream), just before myship's.
# S3 picks the server (default s3rver, the S3 test server; rgw: Ceph's
# radosgw, tests/lib.sh rgw_start).  ROWS (default 2000000) rows of ~110
# bytes of half-compressible text.
. "${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}/tests/lib.sh"
set -eu
umask 077

ROWS=${1:-2000000}
S3=${S3:-s3rver}
[ -x "$MYSHIP" ] || ms_fail "no myship binary at $MYSHIP"
[ -x /usr/bin/aws ] || ms_fail "/usr/bin/aws (Debian awscli) is needed"
[ -x /usr/bin/time ] || ms_fail "/usr/bin/time (Debian time) is needed"

mariadb_start A
ms_s3_start "$S3"
echo "loading $ROWS rows..." >&2
ms_sql A "CREATE DATABASE bench; USE bench;
    CREATE TABLE t (id INT PRIMARY KEY, a VARCHAR(100), b INT, c DATETIME)
    ENGINE=InnoDB;
    INSERT INTO t SELECT seq, CONCAT(MD5(seq), ' ', MD5(seq DIV 7), ' x'),
    seq * 7 MOD 100003, '2024-01-01' + INTERVAL seq SECOND
    FROM seq_1_to_$ROWS;
    CREATE DATABASE bench_pipe"

{
	printf '[global]\nrepository = s3\nlock_file = %s\n\n' "$T/lock"
	printf '[backup]\ndatabases = bench\ncompression_level = 3\n\n'
	ms_policy_s3
	ms_policy_host A
} >"$T/policy.ini"

export AWS_CONFIG_FILE=$T/aws.cfg AWS_SHARED_CREDENTIALS_FILE=$T/aws.cred
printf '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n' \
    >"$AWS_CONFIG_FILE"
printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
    "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >"$AWS_SHARED_CREDENTIALS_FILE"
AWS="/usr/bin/aws --endpoint-url $S3_ENDPOINT"
DUMP="mariadb-dump --defaults-file=$A_CNF --single-transaction --quick bench"
OBJ=s3://$S3_BUCKET/pipeline/bench.sql.zst

raw=$($DUMP | wc -c)

# The first upload into a fresh radosgw costs about 2 s more than the next
# ones (measured: 5.1 s, then 3.0 s for the same myship backup), which would
# count against whichever tool goes first: one multipart upload warms the
# server before anything is timed.
head -c $((40 * 1024 * 1024)) /dev/urandom >"$T/warm"
$AWS s3 cp --quiet "$T/warm" "s3://$S3_BUCKET/warmup/warm"
$AWS s3 rm --quiet "s3://$S3_BUCKET/warmup/warm"
rm -f "$T/warm"

# TAG CMD...: CMD under /usr/bin/time -v, its report in $T/TAG.v.
vtime() {
	local tag=$1
	shift
	/usr/bin/time -v -o "$T/$tag.v" "$@"
}
vread() {	# TAG -> "seconds kib"
	python3 - "$T/$1.v" <<'PY'
import sys
w = m = None
for l in open(sys.argv[1]):
    k, _, v = l.strip().rpartition(": ")
    if k.startswith("Elapsed (wall clock) time"):
        s = 0.0
        for part in v.split(":"):
            s = s * 60 + float(part)
        w = s
    elif k == "Maximum resident set size (kbytes)":
        m = int(v)
print(w, m)
PY
}

# Backups.
vtime ms_b "$MYSHIP" -q -c "$T/policy.ini" backup --host A 2>"$T/ms.err" ||
    { cat "$T/ms.err" >&2; ms_fail "myship backup failed"; }
ms_obj=$($AWS s3 ls --recursive "s3://$S3_BUCKET/A/" |
    awk '/backup.tar$/ { print $3 }')
vtime p1 $DUMP 2>"$T/p.err" | vtime p2 zstd -q -3 |
    vtime p3 $AWS s3 cp - "$OBJ" 2>>"$T/p.err" ||
    { cat "$T/p.err" >&2; ms_fail "backup pipeline failed"; }
p_obj=$($AWS s3 ls "$OBJ" | awk '{ print $3 }')

# Verify of myship's archive, against one streamed read and hash of it.
ms_key=$($AWS s3 ls --recursive "s3://$S3_BUCKET/A/" |
    awk '/backup.tar$/ { print $4 }')
if [ -n "${VERIFY_BASE:-}" ]; then
	vtime ms_vb "$VERIFY_BASE" -q -c "$T/policy.ini" verify --host A \
	    >/dev/null 2>"$T/ms.err" ||
	    { cat "$T/ms.err" >&2; ms_fail "$VERIFY_BASE verify failed"; }
fi
vtime ms_v "$MYSHIP" -q -c "$T/policy.ini" verify --host A --json \
    >"$T/verify.json" 2>"$T/ms.err" ||
    { cat "$T/ms.err" >&2; ms_fail "myship verify failed"; }
vtime v1 $AWS s3 cp "s3://$S3_BUCKET/$ms_key" - 2>"$T/v.err" |
    vtime v2 sha256sum >/dev/null ||
    { cat "$T/v.err" >&2; ms_fail "aws s3 cp | sha256sum failed"; }
verify_ranges=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1]))[0]
assert d["ok"] and d["bytes"] == int(sys.argv[2]), d
print(d["ranges"], d["workers"])' "$T/verify.json" "$ms_obj")

# Restores, into other databases of the same server.
vtime ms_r "$MYSHIP" -q -c "$T/policy.ini" restore latest --host A \
    --database bench:bench_ms 2>"$T/ms.err" ||
    { cat "$T/ms.err" >&2; ms_fail "myship restore failed"; }
vtime r1 $AWS s3 cp "$OBJ" - 2>"$T/r.err" | vtime r2 zstd -q -dc |
    vtime r3 mariadb --defaults-file="$A_CNF" bench_pipe 2>>"$T/r.err" ||
    { cat "$T/r.err" >&2; ms_fail "restore pipeline failed"; }
want=$(ms_sql A 'CHECKSUM TABLE bench.t' | cut -f2)
ms_assert_eq "$(ms_sql A 'CHECKSUM TABLE bench_ms.t' | cut -f2)" "$want" \
    "myship restore checksum"
ms_assert_eq "$(ms_sql A 'CHECKSUM TABLE bench_pipe.t' | cut -f2)" "$want" \
    "pipeline restore checksum"

times=$(for t in ms_b p1 p2 p3 ms_r r1 r2 r3 ms_v v1 v2; do vread "$t"; done)
# shellcheck disable=SC2086
python3 - "$S3" "$ROWS" "$raw" "$ms_obj" "$p_obj" $verify_ranges $times <<'PY'
import sys
a = sys.argv[1:]
s3, rows, raw, mo, po = a[0], int(a[1]), int(a[2]), int(a[3]), int(a[4])
nranges, nworkers = int(a[5]), int(a[6])
v = [float(x) for x in a[7:]]
t = {k: (v[2 * i], v[2 * i + 1] / 1024) for i, k in enumerate(
    ["ms_b", "p1", "p2", "p3", "ms_r", "r1", "r2", "r3", "ms_v", "v1", "v2"])}
print("S3 server %s, %d rows, raw SQL (mariadb-dump output) %.1f MB"
      % (s3, rows, raw / 1e6))
print("| | seconds | object MB | ratio | MB/s of SQL | peak RSS MiB |")
print("|---|---:|---:|---:|---:|---|")


def row(name, s, obj, rss):
    print("| %s | %.2f | %s | %s | %.1f | %s |" % (
        name, s, "%.1f" % (obj / 1e6) if obj else "",
        "%.2f" % (raw / obj) if obj else "", raw / 1e6 / s, rss))


row("myship backup (zstd 3)", t["ms_b"][0], mo, "%.0f" % t["ms_b"][1])
row("mariadb-dump \\| zstd -3 \\| aws s3 cp -",
    max(t["p1"][0], t["p2"][0], t["p3"][0]), po,
    "dump %.0f + zstd %.0f + aws %.0f" % (t["p1"][1], t["p2"][1], t["p3"][1]))
row("myship restore", t["ms_r"][0], 0, "%.0f" % t["ms_r"][1])
row("aws s3 cp - \\| zstd -dc \\| mariadb",
    max(t["r1"][0], t["r2"][0], t["r3"][0]), 0,
    "aws %.0f + zstd %.0f + mariadb %.0f" % (t["r1"][1], t["r2"][1],
                                              t["r3"][1]))
print()
print("| verify of the %.1f MB archive | seconds | MB/s of archive | peak RSS MiB |"
      % (mo / 1e6))
print("|---|---:|---:|---|")
print("| myship verify (%d ranged GETs, %d workers) | %.2f | %.1f | %.0f |" % (
    nranges, nworkers, t["ms_v"][0], mo / 1e6 / t["ms_v"][0], t["ms_v"][1]))
vs = max(t["v1"][0], t["v2"][0])
print("| aws s3 cp - \\| sha256sum | %.2f | %.1f | aws %.0f + sha256sum %.0f |"
      % (vs, mo / 1e6 / vs, t["v1"][1], t["v2"][1]))
PY
if [ -n "${VERIFY_BASE:-}" ]; then
	read -r vb_s vb_kib <<<"$(vread ms_vb)"
	python3 -c 'import sys; s, k, mo = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
print("| VERIFY_BASE verify (one stream) | %.2f | %.1f | %.0f |" % (s, mo / 1e6 / s, k / 1024))' \
	    "$vb_s" "$vb_kib" "$ms_obj"
fi
