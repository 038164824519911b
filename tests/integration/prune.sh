#!/bin/sh
# prune on a local repository with backups written at chosen times:
# --dry-run lists every backup with keep/delete and the deciding rule and
# changes nothing; the real prune removes exactly the others; the newest
# complete backup survives keep_last = 0; incomplete backups within the
# grace are kept; a removal error is reported with a non-zero exit.
. "$top_srcdir/tests/lib.sh"
ms_tmpdir

NOW=2025-03-10T00:00:00Z
repo=$T/repo

# mk HOST ID [incomplete] [MTIME]: a backup directory as the repository has
# them (manifest.ini only when complete), files dated MTIME (default: ID).
mk()
{
	local d=$repo/$1/$2 when
	when=${4:-$(printf '%s' "$2" |
	    sed 's/^\(....\)\(..\)\(..\)T\(..\)\(..\)\(..\)Z$/\1-\2-\3 \4:\5:\6 UTC/')}
	mkdir -p "$d" || ms_fail "mkdir $d"
	head -c 2048 /dev/urandom >"$d/backup.tar"
	[ "${3:-}" = incomplete ] || printf '[backup]\nid = %s\n' "$2" >"$d/manifest.ini"
	touch -d "$when" "$d"/* "$d" || ms_fail "touch $d"
}

listing()
{
	(cd "$repo" && find . | LC_ALL=C sort)
}

cat >"$T/policy.ini" <<EOP
[global]
repository = $repo
lock_file = $T/myship.lock
[retention]
keep_last = 2
keep_weekly = 2
keep_monthly = 2
incomplete_grace = 24h
[host db1]
host = 127.0.0.1
port = 9
user = nobody
[host db2]
host = 127.0.0.1
port = 9
user = nobody
keep_last = 0
keep_weekly = 0
keep_monthly = 0
max_age = 1d
EOP
chmod 600 "$T/policy.ini"

# db1: what the rules keep at $NOW (a Monday) is marked K.
mk db1 20250105T230000Z			# D
mk db1 20250131T230000Z			# D: January is the 3rd month
mk db1 20250215T230000Z			# D
mk db1 20250228T230000Z			# K monthly (February)
mk db1 20250301T230000Z			# D
mk db1 20250302T120000Z			# K weekly (2025-W09)
mk db1 20250308T230000Z			# K last
mk db1 20250309T120000Z			# K last, weekly, monthly
mk db1 20250309T200000Z incomplete	# K: 4h old, within grace
mk db1 20250201T000000Z incomplete	# D: older than grace
# db2: everything beyond max_age and keep_last = 0: the newest survives.
mk db2 20250101T000000Z			# D
mk db2 20250201T000000Z			# K newest complete

myship()
{
	ms_myship -c "$T/policy.ini" --now "$NOW" "$@"
}

before=$(listing)
myship prune --dry-run >"$T/dry.out"
ms_assert_eq "$MS_RC" 0 "prune --dry-run exit status"
cat "$T/dry.out"
ms_assert_eq "$(listing)" "$before" "repository after --dry-run"
# Every backup is printed, with its decision and rule.
ms_assert_eq "$(grep -c 'T[0-9]*Z' "$T/dry.out")" 12 "backups listed by --dry-run"
line()
{
	grep "^  $1 " "$T/dry.out" | sed 's/  */ /g'
}
case $(line 20250228T230000Z) in
*" keep monthly") ;; *) ms_fail "20250228: $(line 20250228T230000Z)" ;; esac
case $(line 20250131T230000Z) in
*" delete no rule") ;; *) ms_fail "20250131: $(line 20250131T230000Z)" ;; esac
case $(line 20250309T120000Z) in
*" keep last, weekly, monthly") ;; *) ms_fail "20250309: $(line 20250309T120000Z)" ;; esac
case $(line 20250309T200000Z) in
*"incomplete"*" keep incomplete, within grace") ;;
*) ms_fail "20250309T2000: $(line 20250309T200000Z)" ;; esac
case $(line 20250201T000000Z | head -1) in
*" delete incomplete, older than grace") ;;
*) ms_fail "20250201 incomplete: $(line 20250201T000000Z)" ;; esac
grep -q '20250201T000000Z .* keep  *newest complete' "$T/dry.out" ||
    ms_fail "db2's newest complete backup is not kept as newest"
grep -q '^host db1: 10 backups, keep 5, would delete 5$' "$T/dry.out" ||
    ms_fail "db1 dry-run header"

# --host limits the prune to one host.
myship prune --host db2
ms_assert_eq "$MS_RC" 0 "prune --host db2 exit status"
[ -d "$repo/db2/20250101T000000Z" ] && ms_fail "db2 old backup not removed"
[ -d "$repo/db2/20250201T000000Z" ] || ms_fail "db2 newest backup removed"
[ -d "$repo/db1/20250105T230000Z" ] || ms_fail "--host db2 touched db1"

myship prune
ms_assert_eq "$MS_RC" 0 "prune exit status"
ms_assert_eq "$(ls "$repo/db1" | tr '\n' ' ')" \
    "20250228T230000Z 20250302T120000Z 20250308T230000Z 20250309T120000Z 20250309T200000Z " \
    "db1 backups after prune"

# Pruning again removes nothing.
before=$(listing)
myship prune
ms_assert_eq "$MS_RC" 0 "second prune exit status"
ms_assert_eq "$(listing)" "$before" "repository after a second prune"

# A backup that cannot be removed (a foreign file in its directory) is
# reported, the exit status is the repository's, and the others still go.
mk db1 20250106T000000Z
mk db1 20250107T000000Z
echo junk >"$repo/db1/20250106T000000Z/not-ours"
myship prune
ms_assert_eq "$MS_RC" 6 "prune exit status with a removal error"
grep -q '20250106T000000Z' "$T/myship.err" ||
    ms_fail "the removal error does not name the backup"
[ -d "$repo/db1/20250107T000000Z" ] &&
    ms_fail "a removal error stopped the other removals"

myship prune --host nosuch
ms_assert_eq "$MS_RC" 8 "prune --host of an unknown host"
exit 0
