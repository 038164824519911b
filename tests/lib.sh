# tests/lib.sh: the shell harness every integration test sources.
#
#   . "$top_srcdir/tests/lib.sh"
#
# It starts private, throw-away servers (MariaDB, the S3 test server) on
# 127.0.0.1 and random free ports, under one per-test directory $T, and
# stops every one of them by PID when the test exits, whatever the exit
# path.  Nothing here touches a system service or kills by process name.
#
# API
#   ms_tmpdir                   create $T (idempotent); removed when the test
#                               passes or skips, kept (and its logs printed)
#                               when it fails (always kept with MS_KEEP=1)
#   mariadb_start NAME [opt...] private mariadbd (binlog on, server-id set);
#                               extra options go to mariadbd and win.  Sets
#                               NAME_PORT NAME_SOCK NAME_PASSFILE (0600, root's
#                               password for 127.0.0.1:$NAME_PORT), NAME_CNF
#                               (0600 client option file, for
#                               `mariadb --defaults-file=$NAME_CNF`),
#                               NAME_PID, NAME_DIR
#                               MS_SERVER=mariadb|mariadb11|mysql picks the
#                               server (see ms__chroot)
#   ms_stock_client NAME FILE ARG...  that server's own client (mysql for
#                               MySQL) with option file $NAME_DIR/FILE
#   MS_HARDCASE                 the hard-case SQL corpus for that server
#   ms_tls_certs [NAME...]      a CA, a server certificate for 127.0.0.1,
#                               localhost and NAME..., another CA: TLS_CA
#                               TLS_OTHER_CA TLS_CERT (cert and key, for
#                               stunnel); MS_TLS_DIR, and MS_TLS_SRV where the
#                               database server sees the same files
#   mariadb_stop NAME           stop it early (TERM, then KILL after a deadline)
#   ms_sql NAME ["SQL"]         run SQL (or stdin when no SQL is given) as root
#                               over TCP; prints TSV without column names;
#                               fails the test on an SQL error unless
#                               MS_SQL_MAY_FAIL=1 is set in its environment
#   ms_policy_host NAME         prints a [host NAME] section for that server
#   s3_start [fault...]         S3 test server (see tests/s3server/launcher.js
#                               for the fault options, e.g. --fail-part=3);
#                               sets S3_ENDPOINT S3_BUCKET S3_ACCESS_KEY
#                               S3_SECRET_KEY S3_PID S3_DIR S3_CONTROL
#   s3_control PATH             GET http://127.0.0.1:PORT/__control/PATH
#                               (change faults of a running server)
#   ms_policy_s3                prints an [s3] section for that server
#   rgw_start                   Ceph's radosgw as a second, real S3 server:
#                               a one-node cluster (ceph-mon, one memstore
#                               ceph-osd, no cephx) under $T/rgw, a user with
#                               random keys and a bucket; sets the S3_*
#                               variables as s3_start does (S3_CONTROL and
#                               S3_DIR empty), RGW_CONF, RGW_DIR, RGW_PORT;
#                               SSE-KMS works with key id $RGW_KMS_KEY
#   ms_s3_servers               prints the S3 servers a test loops over:
#                               "s3rver rgw", or $MS_S3 when it is set
#   ms_s3_start NAME [fault...] s3_start (s3rver) or rgw_start (rgw)
#   ms_aws ARGS...              Debian's /usr/bin/aws against the S3 server
#                               started last (path style, its keys)
#   ms_tls_certs [DNS...]       a CA and a server certificate (subjectAltName
#                               IP:127.0.0.1, DNS:localhost and the names
#                               given), and a second, unrelated CA, made with
#                               openssl under $T/tls; sets TLS_CA TLS_CERT
#                               TLS_OTHER_CA
#   tls_front NAME PORT         stunnel4 terminating TLS (that certificate) on
#                               a free loopback port in front of
#                               127.0.0.1:PORT; sets NAME_TLS_PORT NAME_TLS_PID
#   ms_fail "msg"               exit 1
#   ms_skip "why"               exit 77; exit 1 with the reason when CI=true
#   ms_assert_eq A B "what"     fail unless A = B
#   ms_free_port                prints a free TCP port on 127.0.0.1
#   ms_track_pid PID NAME       stop this background process on exit too
#   ms_untrack_pid PID          forget it (after waiting for it yourself)
#   ms_myship ARGS...           runs $MYSHIP, stderr to $T/myship.err too;
#                               sets MS_RC (never fails the test by itself)
#
# Environment: top_srcdir, top_builddir, MYSHIP (set by make check; derived
# from this file's location when run by hand).

# make check runs tests with $(SHELL), often dash: the harness needs bash,
# so re-run the whole test under it.
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi

ms__libdir=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd)
: "${top_srcdir:=$(cd "$ms__libdir/.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${MYSHIP:=$top_builddir/myship}"
export top_srcdir top_builddir MYSHIP

ms__pids=""		# "pid:name" words, stopped in reverse order
ms__names=""		# mariadb server names started
ms__test=$(basename "$0" .sh)
ms__done=0

ms__log()
{
	printf '%s: %s\n' "$ms__test" "$*" >&2
}

ms_fail()
{
	ms__log "FAIL: $*"
	exit 1
}

ms_skip()
{
	if [ "${CI:-}" = true ]; then
		ms__log "FAIL (skip not allowed when CI=true): $*"
		exit 1
	fi
	ms__log "SKIP: $*"
	exit 77
}

ms_assert_eq()
{
	if [ "$1" != "$2" ]; then
		ms__log "FAIL: $3: expected '$2', got '$1'"
		exit 1
	fi
}

ms_tmpdir()
{
	if [ -n "${T:-}" ] && [ -d "$T" ]; then
		return 0
	fi
	# Short base path: a unix socket path must fit in 108 bytes.
	T=$(mktemp -d "${TMPDIR:-/tmp}/ms-$ms__test.XXXXXX") ||
	    ms_fail "cannot create a temporary directory"
	chmod 700 "$T"
	export T
}

# Stops one PID: TERM, wait up to $2 seconds, then KILL.
ms__stop_pid()
{
	local pid=$1 deadline=$2 i=0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null
	while kill -0 "$pid" 2>/dev/null; do
		if [ "$i" -ge $((deadline * 10)) ]; then
			ms__log "pid $pid did not stop in ${deadline}s, killing"
			kill -KILL "$pid" 2>/dev/null
			break
		fi
		sleep 0.1
		i=$((i + 1))
	done
	# Under set -e a child that dies of the TERM (python) must not end
	# the cleanup before the rest is stopped.
	wait "$pid" 2>/dev/null || :
	return 0
}

ms__cleanup()
{
	local rc=$? w pid f
	[ "$ms__done" = 1 ] && return
	ms__done=1
	trap - EXIT INT TERM HUP
	for w in $ms__pids; do
		pid=${w%%:*}
		ms__stop_pid "$pid" 30
	done
	if [ -n "${T:-}" ] && [ -d "$T" ]; then
		if [ "${MS_KEEP:-0}" = 1 ]; then
			ms__log "exit $rc; keeping $T (MS_KEEP=1)"
		elif [ "$rc" = 0 ] || [ "$rc" = 77 ]; then
			rm -rf "$T" $ms__dirs
		else
			ms__log "exit $rc; keeping $T"
			for f in "$T"/*/error.log "$T"/*/server.log \
			    "$T"/myship.err; do
				[ -s "$f" ] || continue
				echo "---- tail of $f (without notes)" >&2
				grep -v '\[Note\]' "$f" | tail -n 30 >&2
			done
		fi
	fi
	exit "$rc"
}
trap ms__cleanup EXIT
trap 'exit 10' INT TERM HUP

ms__register()
{
	# Newest first, so dependants stop before what they depend on.
	ms__pids="$1:$2 $ms__pids"
}

ms__unregister()
{
	local w out=""
	for w in $ms__pids; do
		[ "${w%%:*}" = "$1" ] || out="$out $w"
	done
	ms__pids=$out
}

ms_track_pid()
{
	ms__register "$1" "$2"
}

ms_untrack_pid()
{
	ms__unregister "$1"
}

ms__port_free()
{
	python3 - "$1" <<'EOF' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
s.close()
EOF
}

ms_free_port()
{
	local p i
	for i in $(seq 1 200); do
		p=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
		if ms__port_free "$p"; then
			echo "$p"
			return 0
		fi
	done
	ms_fail "no free TCP port found"
}

ms__check_name()
{
	case $1 in
	[A-Za-z_]*) ;;
	*) ms_fail "server name '$1' must be a shell identifier" ;;
	esac
	case $1 in
	*[!A-Za-z0-9_]*) ms_fail "server name '$1' must be a shell identifier" ;;
	esac
}

ms__random()
{
	od -An -N"$1" -tx1 /dev/urandom | tr -d ' \n'
}

# MS_SERVER picks the server every mariadb_start starts: "mariadb" (the
# default: Debian 12's MariaDB 10.11 on the host), "mariadb11" (MariaDB 11.8
# from a Debian trixie chroot) or "mysql" (MySQL 9.x from a Debian sid
# chroot).  Chroots come from tests/chroot.sh (built once, cached); their
# servers keep their files under DIR/srv/ms/ (linked from $T/NAME) and are
# reached from the host over 127.0.0.1 or the socket, like the host's.
MS_SERVER=${MS_SERVER:-mariadb}
# MS_CHROOT=none: the server's programs are on PATH already (the tests run
# inside its chroot); MS_SQL_CLIENT: the client ms_sql and fingerprint.py
# run (mariadb, or mysql where only MySQL's is installed).
MS_SQL_CLIENT=${MS_SQL_CLIENT:-mariadb}
export MS_SQL_CLIENT
# The hard-case corpus for that server (MySQL's SQL differs).
MS_HARDCASE=$top_srcdir/tests/integration/hardcase.sql
[ "$MS_SERVER" = mysql ] &&
    MS_HARDCASE=$top_srcdir/tests/integration/hardcase-mysql.sql
ms__dirs=""		# server directories outside $T, removed like $T

ms__chroot()
{
	"$top_srcdir/tests/chroot.sh" "$MS_SERVER"
}

# Server directories in a chroot outlive a failed test's $T, which is kept
# for its logs; once that $T is gone, theirs go too (the chroot is a cache
# shared by every run).  A test's $T is named after it and sits beside ours.
ms__orphans()
{
	local d t
	for d in "$1"/ms-*; do
		[ -d "$d" ] || continue
		t=${d##*/}
		t=$(dirname "$T")/${t%-*}
		[ -d "$t" ] || rm -rf "$d"
	done
}

# Sets ms__root (the chroot, or empty), ms__in (the server directory as
# the server sees it) and dir (as the host sees it).
ms__server_dir()
{
	local name=$1
	ms__root=
	# A prefix, not a function: `"${ms__pre[@]}" daemon &` must leave the
	# daemon's own PID in $! (chroot and env exec it).
	ms__pre=(env "PATH=$PATH:/usr/sbin")
	case $MS_SERVER in
	mariadb)
		command -v mariadbd >/dev/null 2>&1 || [ -x /usr/sbin/mariadbd ] ||
		    ms_skip "mariadbd not installed (run tests/setup-deps.sh)"
		dir=$T/$name
		ms__in=$dir
		;;
	mariadb11|mysql)
		if [ "${MS_CHROOT:-}" = none ]; then
			# Already inside the server's system (tests/mysqlclient.sh).
			dir=$T/$name
			ms__in=$dir
			ms__root=
			mkdir -p "$dir/data" "$dir/tmp" || ms_fail "mkdir $dir"
			return 0
		fi
		[ "$(id -u)" = 0 ] || ms_skip "MS_SERVER=$MS_SERVER needs root (chroot)"
		ms__root=$(ms__chroot) ||
		    ms_fail "no $MS_SERVER chroot (tests/chroot.sh failed)"
		ms__pre=(chroot "$ms__root")
		ms__orphans "$ms__root/srv/ms"
		ms__in=/srv/ms/$(basename "$T")-$name
		dir=$ms__root$ms__in
		rm -rf "$dir"
		ln -s "$dir" "$T/$name"
		ms__dirs="$ms__dirs $dir"
		;;
	*) ms_fail "MS_SERVER=$MS_SERVER: not mariadb, mariadb11 or mysql" ;;
	esac
	mkdir -p "$dir/data" "$dir/tmp" || ms_fail "mkdir $dir"
}

# --user=root where we are root: the server refuses to run as root without it.
ms__user_opt()
{
	[ "$(id -u)" = 0 ] && echo --user=root
}

# Runs a server-side program of the chosen server (in its chroot).
ms__srv()
{
	"${ms__pre[@]}" "$@"
}

ms__install_db()
{
	local in=$1
	if [ "$MS_SERVER" = mysql ]; then
		ms__srv mysqld --no-defaults --initialize-insecure $(ms__user_opt) \
		    --datadir="$in/data" --log-error="$in/install.err"
	else
		ms__srv mariadb-install-db --no-defaults $(ms__user_opt) \
		    --datadir="$in/data" --auth-root-authentication-method=normal \
		    --skip-test-db --innodb-log-file-size=48M --tmpdir="$in/tmp"
	fi
}

# The server's own options beyond the common ones (binlog, GTID, sizes).
ms__server_opts()
{
	if [ "$MS_SERVER" = mysql ]; then
		# MySQL's defaults are kept (utf8mb4_0900_ai_ci, local_infile
		# off): they are what a backup tool meets on a MySQL fleet.
		echo --secure-file-priv= --mysqlx=OFF --gtid-mode=ON \
		    --enforce-gtid-consistency=ON
	else
		echo --binlog-format=ROW --character-set-server=utf8mb4 \
		    --collation-server=utf8mb4_general_ci \
		    --innodb-log-file-size=48M
	fi
}

mariadb_start()
{
	local name=$1 dir sock port pidf pw i mpid in
	shift
	ms__check_name "$name"
	ms_tmpdir
	ms__server_dir "$name"
	in=$ms__in
	sock=$dir/sock
	pidf=$dir/server.pid
	if ! ms__install_db "$in" >"$dir/install.log" 2>&1; then
		cat "$dir/install.log" "$dir/install.err" >&2 2>/dev/null
		ms_fail "initialising the $MS_SERVER data directory of $name failed"
	fi
	for i in 1 2 3 4 5; do
		port=$(ms_free_port)
		: >"$dir/error.log"
		# shellcheck disable=SC2046
		"${ms__pre[@]}" "$(ms__daemon)" --no-defaults $(ms__user_opt) \
		    --datadir="$in/data" --socket="$in/sock" --port="$port" \
		    --bind-address=127.0.0.1 --pid-file="$in/server.pid" \
		    --log-error="$in/error.log" --skip-name-resolve \
		    --tmpdir="$in/tmp" \
		    --log-bin=binlog --server-id=$((RANDOM + 1)) \
		    --innodb-buffer-pool-size=128M \
		    --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
		    --event-scheduler=OFF $(ms__server_opts) \
		    "$@" </dev/null >"$dir/server.log" 2>&1 &
		mpid=$!
		ms__register "$mpid" "$name"
		if ms__wait_mariadb "$mpid" "$in/sock" 60; then
			break
		fi
		ms__unregister "$mpid"
		ms__stop_pid "$mpid" 10
		if grep -q 'Address already in use' "$dir/error.log"; then
			continue	# lost a race for the port; retry
		fi
		cat "$dir/error.log" "$dir/server.log" >&2
		ms_fail "$MS_SERVER server $name did not start"
	done
	kill -0 "$mpid" 2>/dev/null || ms_fail "$MS_SERVER server $name did not start"

	# 30 characters: MySQL refuses replication passwords over 32.
	pw=$(ms__random 15)
	(umask 077 && printf '%s\n' "$pw" >"$dir/password")
	(umask 077 && printf '[client]\nuser=root\npassword=%s\nhost=127.0.0.1\nport=%s\nprotocol=tcp\ndefault-character-set=utf8mb4\n' \
	    "$pw" "$port" >"$dir/client.cnf")
	# Root over the socket has no password yet; the password travels on
	# stdin, never in argv.
	if ! ms__root_sql "$pw" | ms__srv "$(ms__client)" --no-defaults \
	    -S "$in/sock" -uroot >"$dir/setup.log" 2>&1; then
		cat "$dir/setup.log" >&2
		ms_fail "cannot set root password on $name"
	fi
	eval "${name}_PORT=\$port ${name}_SOCK=\$sock"
	eval "${name}_PASSFILE=\$dir/password ${name}_CNF=\$dir/client.cnf"
	eval "${name}_PID=\$mpid ${name}_DIR=\$dir ${name}_ROOT=\$ms__root"
	eval "${name}_IN=\$in"
	export "${name}_PORT" "${name}_SOCK" "${name}_PASSFILE" "${name}_CNF"
	ms__names="$ms__names $name"
	ms_assert_eq "$(ms_sql "$name" 'SELECT 1')" 1 "login to $name over TCP"
}

ms__daemon()
{
	if [ "$MS_SERVER" = mysql ]; then echo mysqld; else echo mariadbd; fi
}

ms__admin()
{
	if [ "$MS_SERVER" = mysql ]; then echo mysqladmin; else echo mariadb-admin; fi
}

ms__client()
{
	if [ "$MS_SERVER" = mysql ]; then echo mysql; else echo mariadb; fi
}

# root@127.0.0.1 with a password and no anonymous or remote accounts.
ms__root_sql()
{
	local pw=$1
	if [ "$MS_SERVER" != mysql ]; then
		printf "%s\n" \
		    "DELETE FROM mysql.global_priv WHERE User='' OR (User='root'" \
		    " AND Host NOT IN ('localhost','127.0.0.1','::1'));" \
		    "DELETE FROM mysql.proxies_priv WHERE Host NOT IN" \
		    " ('localhost','127.0.0.1','::1','');" \
		    "FLUSH PRIVILEGES;"
	fi
	printf "%s\n" \
	    "CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';" \
	    "GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;" \
	    "ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY '$pw';" \
	    "ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';"
}

# The server's own command-line client (mysql for MySQL, in its chroot)
# with the option file FILE of the server's directory ($NAME_DIR/FILE) and
# the given arguments: what "stock tools" means for that server.  stdin
# and stdout are the caller's.
ms_stock_client()
{
	local name=$1 file=$2 root in
	shift 2
	eval "root=\${${name}_ROOT-} in=\${${name}_IN:-}"
	[ -n "$in" ] || ms_fail "ms_stock_client: no server $name"
	if [ -n "$root" ]; then
		chroot "$root" "$(ms__client)" --defaults-file="$in/$file" "$@"
	else
		mariadb --defaults-file="$in/$file" "$@"
	fi
}

# Waits until the server answers on its socket, it dies, or the deadline.
ms__wait_mariadb()
{
	local pid=$1 sock=$2 deadline=$3 i=0
	while [ "$i" -lt $((deadline * 10)) ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		if [ -S "$ms__root$sock" ] && ms__srv "$(ms__admin)" \
		    --no-defaults -S "$sock" -uroot --connect-timeout=2 ping \
		    >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	ms__log "server did not answer within ${deadline}s"
	return 1
}

mariadb_stop()
{
	local pid
	eval "pid=\${$1_PID:-}"
	[ -n "$pid" ] || ms_fail "mariadb_stop: no server $1"
	ms__unregister "$pid"
	ms__stop_pid "$pid" 60
}

# MariaDB's Sequence engine (seq_1_to_N tables) is what the tests use to
# make rows; on MySQL each seq_A_to_B becomes a recursive CTE of the same
# name and column.
ms__sql_filter()
{
	if [ "$MS_SERVER" = mysql ]; then
		echo "SET SESSION cte_max_recursion_depth = 100000000,"
		echo "    SESSION information_schema_stats_expiry = 0;"
		sed -E 's/(^|[^A-Za-z0-9_`])seq_([0-9]+)_to_([0-9]+)([^A-Za-z0-9_`]|$)/\1(WITH RECURSIVE ms_seq(seq) AS (SELECT \2 UNION ALL SELECT seq + 1 FROM ms_seq WHERE seq < \3) SELECT seq FROM ms_seq) AS seq_\2_to_\3\4/g'
	else
		cat
	fi
}

ms_sql()
{
	local name=$1 cnf
	shift
	eval "cnf=\${${name}_CNF:-}"
	[ -n "$cnf" ] || ms_fail "ms_sql: no server $name"
	if [ $# -gt 0 ]; then
		printf '%s\n' "$1" | ms__sql_filter |
		    "$MS_SQL_CLIENT" --defaults-file="$cnf" -N -B ||
		    { [ "${MS_SQL_MAY_FAIL:-0}" = 1 ] ||
		    ms_fail "SQL on $name failed: $1"; }
	else
		ms__sql_filter | "$MS_SQL_CLIENT" --defaults-file="$cnf" -N -B \
		    --binary-mode ||
		    { [ "${MS_SQL_MAY_FAIL:-0}" = 1 ] ||
		    ms_fail "SQL script on $name failed"; }
	fi
}

ms_policy_host()
{
	local name=$1 port pf
	eval "port=\${${name}_PORT:-} pf=\${${name}_PASSFILE:-}"
	[ -n "$port" ] || ms_fail "ms_policy_host: no server $name"
	printf '[host %s]\nhost = 127.0.0.1\nport = %s\nuser = root\npassword_file = %s\n\n' \
	    "$name" "$port" "$pf"
}

# The server's npm packages: in the source tree (tests/setup-deps.sh puts
# them there), or else (a release tarball, make distcheck: the source tree
# is read-only) installed once into the build tree from the pinned lock file.
ms__s3_modules()
{
	local src=$top_srcdir/tests/s3server dst=$top_builddir/tests/s3server
	ms__node_path=
	[ -d "$src/node_modules/@20minutes/s3rver" ] && return 0
	ms__node_path=$dst/node_modules
	[ -d "$dst/node_modules/@20minutes/s3rver" ] && return 0
	command -v npm >/dev/null 2>&1 ||
	    ms_skip "S3 test server not installed (run tests/setup-deps.sh)"
	mkdir -p "$dst"
	(
		flock 9
		[ -d "$dst/node_modules/@20minutes/s3rver" ] && exit 0
		cp "$src/package.json" "$src/package-lock.json" "$dst/" &&
		    chmod u+w "$dst/package.json" "$dst/package-lock.json" &&
		    cd "$dst" && npm ci --no-audit --no-fund >npm.log 2>&1
	) 9>"$dst.lock" ||
	    ms_skip "S3 test server could not be installed (see $dst/npm.log)"
}

s3_start()
{
	local dir port i pid
	command -v node >/dev/null 2>&1 ||
	    ms_skip "node not installed (run tests/setup-deps.sh)"
	ms__s3_modules
	ms_tmpdir
	dir=$T/s3
	mkdir -p "$dir/data"
	S3_BUCKET=myship-test
	S3_ACCESS_KEY=AKIA$(ms__random 8 | tr a-f A-F)
	S3_SECRET_KEY=$(ms__random 20)
	for i in 1 2 3 4 5; do
		port=$(ms_free_port)
		: >"$dir/server.log"
		S3_ACCESS_KEY=$S3_ACCESS_KEY S3_SECRET_KEY=$S3_SECRET_KEY \
		    NODE_PATH=$ms__node_path node --openssl-legacy-provider \
		    "$top_srcdir/tests/s3server/launcher.js" --port="$port" \
		    --directory="$dir/data" --bucket="$S3_BUCKET" "$@" \
		    </dev/null >"$dir/server.log" 2>&1 &
		pid=$!
		ms__register "$pid" s3
		if ms__wait_s3 "$pid" "$dir/server.log" 30; then
			break
		fi
		ms__unregister "$pid"
		ms__stop_pid "$pid" 10
		grep -q EADDRINUSE "$dir/server.log" && continue
		cat "$dir/server.log" >&2
		ms_fail "S3 test server did not start"
	done
	kill -0 "$pid" 2>/dev/null || ms_fail "S3 test server did not start"
	S3_PID=$pid
	S3_DIR=$dir/data
	S3_ENDPOINT=http://127.0.0.1:$port
	S3_CONTROL=$S3_ENDPOINT/__control
	export S3_ENDPOINT S3_BUCKET S3_ACCESS_KEY S3_SECRET_KEY S3_PID S3_DIR \
	    S3_CONTROL
}

ms__wait_s3()
{
	local pid=$1 log=$2 deadline=$3 i=0
	while [ "$i" -lt $((deadline * 10)) ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		grep -q '^ready ' "$log" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

s3_control()
{
	curl -fsS "$S3_CONTROL/$1" || ms_fail "s3_control $1 failed"
}

ms_policy_s3()
{
	[ -n "${S3_ENDPOINT:-}" ] || ms_fail "ms_policy_s3: s3_start first"
	printf '[s3]\nendpoint = %s\nregion = us-east-1\nbucket = %s\npath_style = yes\naccess_key_id = %s\nsecret_access_key = %s\n\n' \
	    "$S3_ENDPOINT" "$S3_BUCKET" "$S3_ACCESS_KEY" "$S3_SECRET_KEY"
}

ms_myship()
{
	ms_tmpdir
	MS_RC=0
	"$MYSHIP" "$@" 2>"$T/myship.err.last" || MS_RC=$?
	cat "$T/myship.err.last" >&2
	cat "$T/myship.err.last" >>"$T/myship.err"
	return 0
}

# Ceph radosgw: a real S3 implementation, for what the test server gets
# wrong.  Every daemon runs in the foreground (-f) as our child, so it is
# stopped by the PID we started it with; its data and sockets live in
# $T/rgw, its objects in memory (memstore).
RGW_KMS_KEY=myship-test-key
ms__rgw_conf()
{
	local dir=$1 fsid=$2 monport=$3 port=$4
	cat <<EOC
[global]
fsid = $fsid
mon_host = v1:127.0.0.1:$monport
mon_initial_members = a
public_addr = 127.0.0.1
ms_bind_ipv6 = false
auth_cluster_required = none
auth_service_required = none
auth_client_required = none
osd_pool_default_size = 1
osd_pool_default_min_size = 1
osd_pool_default_pg_num = 8
osd_pool_default_pgp_num = 8
osd_pool_default_pg_autoscale_mode = off
mon_allow_pool_size_one = true
mon_max_pg_per_osd = 1000
osd_crush_chooseleaf_type = 0
osd_objectstore = memstore
# The crush entry is made by rgw_start; the OSD's own early mon commands
# can race the monitor's start ("wrong fsid") and stop it from booting.
osd_crush_update_on_start = false
osd_class_update_on_start = false
memstore_device_bytes = 2147483648
run_dir = $dir/run
admin_socket = $dir/run/\$name.asok
log_file = $dir/log/\$name.log
pid_file = $dir/run/\$name.pid
mon_data = $dir/mon/\$name
osd_data = $dir/osd/\$name
keyring = $dir/keyring
[client.rgw.t]
rgw_frontends = beast endpoint=127.0.0.1:$port
rgw_dns_name = localhost
log_file = $dir/server.log
# SSE-KMS with radosgw's built-in test key store (key id $RGW_KMS_KEY),
# over plain http too.  Pacific (16.2) has no SSE-S3 (AES256) backend.
rgw_crypt_s3_kms_backend = testing
rgw_crypt_s3_kms_encryption_keys = $RGW_KMS_KEY=$(ms__random 32 | head -c 32 | base64)
rgw_crypt_require_ssl = false
EOC
}

# Runs "until CMD succeeds" for at most $2 seconds while PID $1 lives.
ms__rgw_wait()
{
	local pid=$1 deadline=$2 i=0
	shift 2
	while [ "$i" -lt $((deadline * 5)) ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		i=$((i + 1))
	done
	return 1
}

ms__rgw_daemon()
{
	local name=$1 pid
	shift
	"$@" -f </dev/null >>"$RGW_DIR/log/$name.out" 2>&1 &
	pid=$!
	ms__register "$pid" "$name"
	RGW_LASTPID=$pid
}

ms__rgw_fail()
{
	local f
	for f in "$RGW_DIR"/log/*.out; do
		[ -s "$f" ] && { echo "---- $f" >&2; tail -n 20 "$f" >&2; }
	done
	ms_fail "radosgw: $*"
}

rgw_start()
{
	local dir fsid monport port c uuid id osdpid
	local t
	for t in ceph ceph-mon ceph-osd monmaptool radosgw radosgw-admin; do
		command -v "$t" >/dev/null 2>&1 ||
		    ms_skip "$t not installed (run tests/setup-deps.sh)"
	done
	ms_tmpdir
	dir=$T/rgw
	RGW_DIR=$dir
	mkdir -p "$dir/mon" "$dir/osd" "$dir/run" "$dir/log" ||
	    ms_fail "mkdir $dir"
	fsid=$(cat /proc/sys/kernel/random/uuid)
	monport=$(ms_free_port)
	port=$(ms_free_port)
	RGW_CONF=$dir/ceph.conf
	ms__rgw_conf "$dir" "$fsid" "$monport" "$port" >"$RGW_CONF"
	c="-c $RGW_CONF"
	monmaptool --create --add a "v1:127.0.0.1:$monport" --fsid "$fsid" \
	    "$dir/monmap" >"$dir/log/mkfs.out" 2>&1 &&
	    ceph-mon $c --mkfs -i a --monmap "$dir/monmap" \
	    >>"$dir/log/mkfs.out" 2>&1 || ms__rgw_fail "ceph-mon --mkfs failed"
	ms__rgw_daemon ceph-mon ceph-mon $c -i a
	ms__rgw_wait "$RGW_LASTPID" 30 ceph $c --connect-timeout 5 -s ||
	    ms__rgw_fail "the monitor did not answer"
	# The OSD's data directory must exist before --mkfs (memstore).
	# A command sent while the new monitor still settles can fail ("fsid
	# 0000... !="): these are idempotent, so they are retried.
	uuid=$(cat /proc/sys/kernel/random/uuid)
	id=$(ms__rgw_retry ceph $c osd create "$uuid") ||
	    ms__rgw_fail "ceph osd create failed"
	mkdir -p "$dir/osd/osd.$id"
	ceph-osd $c -i "$id" --mkfs --osd-uuid "$uuid" \
	    >>"$dir/log/mkfs.out" 2>&1 ||
	    ms__rgw_fail "ceph-osd --mkfs failed"
	ms__rgw_retry ceph $c osd crush add "osd.$id" 1 root=default \
	    >/dev/null || ms__rgw_fail "ceph osd crush add failed"
	# One more start if it does not boot (see osd_class_update_on_start).
	for t in 1 2; do
		ms__rgw_daemon ceph-osd ceph-osd $c -i "$id"
		osdpid=$RGW_LASTPID
		ms__rgw_wait "$osdpid" 30 ms__rgw_osd_up && break
		ms__unregister "$osdpid"
		ms__stop_pid "$osdpid" 10
		[ "$t" = 2 ] || continue
		tail -n 20 "$dir/log/osd.$id.log" >&2
		ms__rgw_fail "the OSD did not come up"
	done
	ms__rgw_daemon radosgw radosgw $c -n client.rgw.t
	ms__rgw_wait "$RGW_LASTPID" 60 curl -fsS -o /dev/null \
	    "http://127.0.0.1:$port/" || ms__rgw_fail "radosgw did not answer"
	RGW_PID=$RGW_LASTPID
	RGW_PORT=$port
	S3_BUCKET=myship-test
	S3_ACCESS_KEY=AKIA$(ms__random 8 | tr a-f A-F)
	S3_SECRET_KEY=$(ms__random 20)
	radosgw-admin $c user create --uid=myship --display-name=myship \
	    --access-key="$S3_ACCESS_KEY" --secret="$S3_SECRET_KEY" \
	    >"$dir/log/user.out" 2>&1 || ms__rgw_fail "user create failed"
	S3_ENDPOINT=http://127.0.0.1:$port
	S3_PID=$RGW_PID
	S3_DIR=
	S3_CONTROL=
	# An empty body's SHA-256: curl 7.88 does not add the header itself.
	curl -fsS -X PUT --aws-sigv4 aws:amz:us-east-1:s3 \
	    --user "$S3_ACCESS_KEY:$S3_SECRET_KEY" -H "x-amz-content-sha256: \
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" \
	    "$S3_ENDPOINT/$S3_BUCKET" >"$dir/log/bucket.out" 2>&1 ||
	    ms__rgw_fail "cannot create bucket $S3_BUCKET"
	export S3_ENDPOINT S3_BUCKET S3_ACCESS_KEY S3_SECRET_KEY S3_PID S3_DIR \
	    S3_CONTROL RGW_CONF RGW_DIR RGW_PORT RGW_KMS_KEY
}

# Runs a ceph command up to 10 times, a second apart; its stdout is ours.
ms__rgw_retry()
{
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		"$@" 2>>"$RGW_DIR/log/mkfs.out" && return 0
		sleep 1
	done
	return 1
}

ms__rgw_osd_up()
{
	ceph -c "$RGW_CONF" --connect-timeout 5 osd stat 2>/dev/null |
	    grep -q ' 1 up'
}

ms_s3_servers()
{
	if [ -n "${MS_S3:-}" ]; then
		echo "$MS_S3"
	else
		echo "s3rver rgw"
	fi
}

ms_s3_start()
{
	local name=$1
	shift
	case $name in
	s3rver) s3_start "$@" ;;
	rgw) rgw_start "$@" ;;
	*) ms_fail "ms_s3_start: unknown S3 server '$name' (s3rver or rgw)" ;;
	esac
}

ms_aws()
{
	[ -x /usr/bin/aws ] || ms_skip "/usr/bin/aws (Debian awscli) not installed"
	[ -n "${S3_ENDPOINT:-}" ] || ms_fail "ms_aws: start an S3 server first"
	ms_tmpdir
	(umask 077 &&
	    printf '[default]\nregion = us-east-1\ns3 =\n  addressing_style = path\n' \
	    >"$T/aws.cfg" &&
	    printf '[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n' \
	    "$S3_ACCESS_KEY" "$S3_SECRET_KEY" >"$T/aws.cred")
	AWS_CONFIG_FILE=$T/aws.cfg AWS_SHARED_CREDENTIALS_FILE=$T/aws.cred \
	    /usr/bin/aws --endpoint-url "$S3_ENDPOINT" "$@"
}

# One certificate signed by a CA of the test's own, so that ca_file has
# something to trust and something (the other CA) to refuse.
ms_tls_certs()
{
	local dir san=IP:127.0.0.1,DNS:localhost n
	command -v openssl >/dev/null 2>&1 || ms_skip "openssl not installed"
	ms_tmpdir
	dir=$T/tls
	mkdir -p "$dir"
	for n in "$@"; do
		san=$san,DNS:$n
	done
	(
		cd "$dir" &&
		for ca in ca other-ca; do
			openssl req -x509 -newkey ec -pkeyopt \
			    ec_paramgen_curve:prime256v1 -nodes -days 2 \
			    -keyout $ca.key -out $ca.pem \
			    -subj "/CN=myship test $ca" \
			    -addext "basicConstraints=critical,CA:TRUE" \
			    -addext "keyUsage=critical,keyCertSign,cRLSign" ||
			    exit 1
		done &&
		openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
		    -nodes -keyout server.key -out server.csr \
		    -subj "/CN=localhost" &&
		printf 'subjectAltName = %s\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\n' \
		    "$san" >server.ext &&
		openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key \
		    -CAcreateserial -days 2 -extfile server.ext \
		    -out server.crt &&
		cat server.crt server.key >server.pem
	) >"$dir/openssl.log" 2>&1 || {
		cat "$dir/openssl.log" >&2
		ms_fail "openssl could not make the test certificates"
	}
	TLS_CA=$dir/ca.pem
	TLS_OTHER_CA=$dir/other-ca.pem
	TLS_CERT=$dir/server.pem
	export TLS_CA TLS_OTHER_CA TLS_CERT
	# The database server's view: server.crt and server.key, in its chroot.
	MS_TLS_DIR=$dir
	MS_TLS_SRV=$dir
	if [ "$MS_SERVER" != mariadb ] && [ "${MS_CHROOT:-}" != none ]; then
		MS_TLS_SRV=/srv/ms/$(basename "$T")-tls
		rm -rf "$(ms__chroot)$MS_TLS_SRV"
		cp -r "$dir" "$(ms__chroot)$MS_TLS_SRV"
		ms__dirs="$ms__dirs $(ms__chroot)$MS_TLS_SRV"
	fi
}

tls_front()
{
	local name=$1 backend=$2 dir port pid i
	ms__check_name "$name"
	command -v stunnel4 >/dev/null 2>&1 ||
	    ms_skip "stunnel4 not installed (run tests/setup-deps.sh)"
	[ -n "${TLS_CERT:-}" ] || ms_tls_certs
	dir=$T/tls-$name
	mkdir -p "$dir"
	for i in 1 2 3 4 5; do
		port=$(ms_free_port)
		printf 'foreground = yes\npid =\noutput = %s\n[%s]\naccept = 127.0.0.1:%s\nconnect = 127.0.0.1:%s\ncert = %s\n' \
		    "$dir/server.log" "$name" "$port" "$backend" "$TLS_CERT" \
		    >"$dir/stunnel.conf"
		: >"$dir/server.log"
		stunnel4 "$dir/stunnel.conf" </dev/null >"$dir/stunnel.out" 2>&1 &
		pid=$!
		ms__register "$pid" "tls-$name"
		if ms__rgw_wait "$pid" 20 curl -s -o /dev/null \
		    --cacert "$TLS_CA" "https://127.0.0.1:$port/"; then
			break
		fi
		ms__unregister "$pid"
		ms__stop_pid "$pid" 10
		grep -q 'Address already in use' "$dir/server.log" && continue
		cat "$dir/stunnel.out" "$dir/server.log" >&2
		ms_fail "stunnel4 in front of port $backend did not start"
	done
	eval "${name}_TLS_PORT=\$port ${name}_TLS_PID=\$pid"
	export "${name}_TLS_PORT"
}
