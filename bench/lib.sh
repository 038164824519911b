# bench/lib.sh: what the benchmarks share on top of tests/lib.sh.
#
#   . "$top_srcdir/bench/lib.sh"
#
# It reuses the test harness (private servers on 127.0.0.1, stopped by PID on
# exit, per-run directory $T) and adds:
#
#   bench_server NAME           a private MariaDB sized for bulk work: 1G buffer
#                               pool, 512M redo log, no binary log (myloader
#                               turns logging off for its own sessions anyway;
#                               this way every tool loads into the same server)
#   bench_dataset NAME DB SCALE the dataset, about SCALE GB of SQL text
#   bench_source DB SCALE       server S holding the dataset: started and
#                               generated here, or, with BENCH_SERVER=DIR,
#                               the one bench/serve.sh keeps running (at
#                               SCALE=10 the generation takes ~40 min, and
#                               bench.sh, load.sh and profile.sh can share it)
#   bench_counts NAME DB        "table rows" lines, sorted
#   bench_checksums NAME DB     "table checksum" lines, sorted
#   bench_time OUT CMD...       runs CMD under /usr/bin/time; OUT gets
#                               "wall user sys maxrss_kib"
#
# The dataset, in shares of its SQL size: sbtest1 (the dominant table,
# sysbench layout) 50%, sbtest2..4 7% each, docs 20% (wide rows: TEXT around
# 1.6 KB of words, a BLOB of random bytes, JSON), events_nopk 9% (no primary
# key, no unique key; DATETIME(3), ENUM, DECIMAL, DOUBLE, NULLs).  Generated
# inside the server with INSERT ... SELECT over the sequence engine, two
# sessions at once, so 1 GB takes a few minutes on two cores.

. "$top_srcdir/tests/lib.sh"

# Bytes of mariadb-dump output per row, measured (bench/RESULTS.md); the row
# counts follow from them so SCALE is close to the real dump size.
BENCH_SB_ROW=200
BENCH_DOC_ROW=2340
BENCH_EV_ROW=172
BENCH_BATCH=200000

bench_server()
{
	# A private tmpdir: servers of other sandboxes sharing /tmp can have
	# our PID and so our temporary table names.
	ms_tmpdir
	mkdir -p "$T/tmp-$1"
	TMPDIR=$T/tmp-$1 mariadb_start "$1" --tmpdir="$T/tmp-$1" \
	    --innodb-buffer-pool-size="${BENCH_POOL:-1G}" \
	    --innodb-log-file-size="${BENCH_REDO:-512M}" \
	    --innodb-log-buffer-size=64M --max-allowed-packet=256M \
	    --skip-log-bin --group-concat-max-len=16M
}

bench_time()
{
	local out=$1
	shift
	/usr/bin/time -o "$out" -f '%e %U %S %M' "$@"
}

# Prints INSERT ... SELECT statements filling TABLE's rows FIRST..LAST in
# batches; EXPR is the select list over `seq`.
bench__batches()
{
	local table=$1 first=$2 last=$3 expr=$4 a b
	a=$first
	while [ "$a" -le "$last" ]; do
		b=$((a + BENCH_BATCH - 1))
		[ "$b" -gt "$last" ] && b=$last
		printf 'INSERT INTO %s SELECT %s FROM seq_%d_to_%d;\n' \
		    "$table" "$expr" "$a" "$b"
		a=$((b + 1))
	done
}

bench__session()
{
	printf 'SET SESSION unique_checks=0, foreign_key_checks=0;\n'
	printf 'USE `%s`;\n' "$1"
}

# sysbench's c and pad: groups of 11 random digits joined by '-'.
bench__digits()
{
	local n=$1 i s=""
	for i in $(seq 1 "$n"); do
		s="$s${s:+, }LPAD(FLOOR(RAND()*99999999999), 11, '0')"
	done
	printf "CONCAT_WS('-', %s)" "$s"
}

bench__sbtest_sql()
{
	local t=$1 rows=$2
	printf 'CREATE TABLE %s (id INT UNSIGNED NOT NULL AUTO_INCREMENT,
	    k INT UNSIGNED NOT NULL DEFAULT 0,
	    c CHAR(120) NOT NULL DEFAULT %s, pad CHAR(60) NOT NULL DEFAULT %s,
	    PRIMARY KEY (id), KEY k_1 (k)) ENGINE=InnoDB;\n' "$t" "''" "''"
	bench__batches "$t" 1 "$rows" \
	    "seq, FLOOR(1 + RAND() * $rows), $(bench__digits 10), $(bench__digits 5)"
}

BENCH_WORDS="'the','of','and','backup','table','server','restore','row',
'stream','chunk','lorem','ipsum','dolor','sit','amet','consectetur',
'adipiscing','elit','sed','do','eiusmod','tempor','incididunt','labore',
'magna','aliqua','enim','minim','veniam','quis','nostrud','exercitation',
'ullamco','laboris','nisi','aliquip','commodo','consequat','duis','aute'"

bench__word()
{
	printf 'ELT(1 + FLOOR(RAND() * 40), %s)' "$BENCH_WORDS"
}

# Phrase J of row seq: one of 16384 phrases of about 200 bytes of words
# (3 MB, more than zstd's window at low levels), picked by a hash.
bench__phrase()
{
	printf '(SELECT p FROM bench_scratch.phrases WHERE id = CRC32(CONCAT(seq, %s)) %% 16384)' \
	    "'-$1'"
}

bench__docs_sql()
{
	local rows=$1 j list=""
	# Bodies of 800 to 2400 bytes made of phrases: text that compresses
	# like prose does (about 4x), not like a repeat.  The phrase table
	# lives in a database of its own, dropped at the end (not TEMPORARY:
	# MySQL cannot read a temporary table twice in one statement).
	printf 'CREATE DATABASE bench_scratch;
	    CREATE TABLE bench_scratch.phrases (id INT PRIMARY KEY,
	    p TEXT) ENGINE=InnoDB;
	    INSERT INTO bench_scratch.phrases SELECT seq DIV 34, GROUP_CONCAT(%s
	    SEPARATOR %s) FROM seq_0_to_557055 GROUP BY seq DIV 34;\n' \
	    "$(bench__word)" "' '"
	for j in 1 2 3 4 5 6 7 8 9 10 11 12; do
		list="$list${list:+, }$(bench__phrase $j)"
	done
	printf 'CREATE TABLE docs (id BIGINT NOT NULL PRIMARY KEY,
	    created DATETIME NOT NULL, title VARCHAR(200) NOT NULL,
	    body TEXT, attachment BLOB, meta JSON,
	    KEY created (created)) ENGINE=InnoDB;\n'
	bench__batches docs 1 "$rows" \
	    "seq, '2020-01-01' + INTERVAL seq * 37 SECOND,
	    CONCAT_WS(' ', $(bench__word), $(bench__word), $(bench__word),
	    LEFT(SHA2(seq, 256), 32)),
	    LEFT(CONCAT_WS(' ', $list), 800 + FLOOR(RAND() * 1600)),
	    IF(seq % 10 = 0, NULL, RANDOM_BYTES(256 + FLOOR(RAND() * 512))),
	    IF(seq % 7 = 0, NULL, JSON_OBJECT('id', seq,
	    'owner', CONCAT('user', FLOOR(RAND() * 10000)),
	    'tags', JSON_ARRAY($(bench__word), $(bench__word), $(bench__word)),
	    'score', ROUND(RAND() * 1000, 3), 'active', seq % 3 = 0,
	    'note', 'it''s \"quoted\" \\\\ and tab\\tend'))"
	printf 'DROP DATABASE bench_scratch;\n'
}

bench__events_sql()
{
	local rows=$1
	printf "CREATE TABLE events_nopk (ts DATETIME(3) NOT NULL,
	    host VARCHAR(64) NOT NULL,
	    level ENUM('debug','info','warn','error') NOT NULL,
	    code INT, message VARCHAR(255), amount DECIMAL(12,2),
	    ratio DOUBLE, KEY ts (ts)) ENGINE=InnoDB;\n"
	bench__batches events_nopk 1 "$rows" \
	    "'2024-01-01' + INTERVAL seq * 3 SECOND
	    + INTERVAL FLOOR(RAND() * 1000) * 1000 MICROSECOND,
	    CONCAT('web', LPAD(seq % 50, 2, '0'), '.example.com'),
	    1 + FLOOR(RAND() * 4), IF(seq % 5 = 0, NULL, FLOOR(RAND() * 600)),
	    CONCAT_WS(' ', $(bench__word), $(bench__word), $(bench__word),
	    $(bench__word), 'request', LEFT(SHA2(seq, 256), 32), 'took', FLOOR(RAND() * 5000),
	    'ms'),
	    ROUND(RAND() * 100000, 2), IF(seq % 11 = 0, NULL, RAND())"
}

# rows for SHARE percent of SCALE GB at ROWBYTES per row (at least 1000).
bench__rows()
{
	awk -v s="$1" -v p="$2" -v b="$3" 'BEGIN {
		n = int(s * 1e9 * p / 100 / b); if (n < 1000) n = 1000
		print n }'
}

bench_dataset()
{
	local name=$1 db=$2 scale=$3 sb1 sbn docs ev p1 p2 rc=0
	sb1=$(bench__rows "$scale" 50 $BENCH_SB_ROW)
	sbn=$(bench__rows "$scale" 7 $BENCH_SB_ROW)
	docs=$(bench__rows "$scale" 20 $BENCH_DOC_ROW)
	ev=$(bench__rows "$scale" 9 $BENCH_EV_ROW)
	ms_sql "$name" "CREATE DATABASE \`$db\`"
	# Two sessions, about half of the bytes each.
	{ bench__session "$db"; bench__sbtest_sql sbtest1 "$sb1"; } |
	    ms_sql "$name" &
	p1=$!
	{
		bench__session "$db"
		bench__sbtest_sql sbtest2 "$sbn"
		bench__sbtest_sql sbtest3 "$sbn"
		bench__sbtest_sql sbtest4 "$sbn"
		bench__docs_sql "$docs"
		bench__events_sql "$ev"
	} | ms_sql "$name" &
	p2=$!
	wait "$p1" || rc=1
	wait "$p2" || rc=1
	[ "$rc" = 0 ] || ms_fail "generating the dataset failed"
}

bench_source()
{
	local db=$1 scale=$2 have
	if [ -z "${BENCH_SERVER:-}" ]; then
		bench_server S
		echo "bench: generating SCALE=$scale GB..." >&2
		bench_dataset S "$db" "$scale"
		return 0
	fi
	ms_tmpdir
	echo "bench: adopting the SCALE=$scale server of $BENCH_SERVER" >&2
	[ -r "$BENCH_SERVER/env" ] ||
	    ms_fail "BENCH_SERVER=$BENCH_SERVER: no env file (start bench/serve.sh)"
	# shellcheck disable=SC1091
	. "$BENCH_SERVER/env"
	have=$(cat "$BENCH_SERVER/scale")
	[ "$have" = "$scale" ] ||
	    ms_fail "BENCH_SERVER=$BENCH_SERVER holds SCALE=$have, not $scale"
	kill -0 "$S_PID" 2>/dev/null ||
	    ms_fail "BENCH_SERVER=$BENCH_SERVER: its server (pid $S_PID) is not running"
	[ "$(ms_sql S "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '$db'")" -gt 0 ] ||
	    ms_fail "BENCH_SERVER=$BENCH_SERVER has no database $db"
}

bench_counts()
{
	local name=$1 db=$2 t
	for t in $(ms_sql "$name" "SELECT table_name FROM
	    information_schema.tables WHERE table_schema = '$db'
	    ORDER BY table_name"); do
		printf '%s %s\n' "$t" \
		    "$(ms_sql "$name" "SELECT COUNT(*) FROM \`$db\`.\`$t\`")"
	done
}

bench_checksums()
{
	local name=$1 db=$2 t list=""
	for t in $(ms_sql "$name" "SELECT table_name FROM
	    information_schema.tables WHERE table_schema = '$db'
	    ORDER BY table_name"); do
		list="$list${list:+, }\`$db\`.\`$t\`"
	done
	[ -n "$list" ] || return 0
	ms_sql "$name" "CHECKSUM TABLE $list" | sed 's/^[^.]*\.//' | sort
}
