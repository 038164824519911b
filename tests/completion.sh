#!/bin/sh
# tests/completion.sh: the bash completion (completion/myship) offers what
# the built myship's command table and a policy hold: commands, a command's
# options, an option's listed values, [host] names of the policy given with
# -c, and backup ids read from the repository (the format1 fixture's).
if [ -z "${BASH_VERSION:-}" ]; then
	exec bash "$0" "$@"
fi
set -eu
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
MYSHIP=${MYSHIP:-$top_srcdir/myship}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "completion: $*" >&2; exit 1; }

# complete LINE: the candidates for the last word of LINE (a trailing space
# completes a new, empty word), one per line, sorted.
complete_line() {
	local line=$1
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_WORDS[0]=$MYSHIP
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_myship
	printf '%s\n' "${COMPREPLY[@]}" | sort
}
expect() {	# LINE WANTED...: each WANTED is among the candidates
	local line=$1 got w
	shift
	got=$(complete_line "$line")
	for w in "$@"; do
		printf '%s\n' "$got" | grep -qxF -- "$w" ||
		    fail "'$line': '$w' not offered (got: $(echo $got))"
	done
}
expect_only() {	# LINE WANTED...: exactly these candidates
	local line=$1 got want
	shift
	got=$(complete_line "$line" | tr '\n' ' ')
	want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "'$line': got '$got', want '$want'"
}

. "$top_srcdir/completion/myship"
complete -p myship >/dev/null || fail "no completion registered"

# A policy with two hosts over the fixture's repository (host A's backups).
cp -r "$top_srcdir/tests/fixtures/format1/repo" "$T/repo"
cat >"$T/p.ini" <<EOI
[global]
repository = $T/repo
lock_file = $T/lock
[host A]
host = 127.0.0.1
user = root
[host db-two]
host = 127.0.0.1
user = root
EOI
chmod 600 "$T/p.ini"
ids=$(ls "$T/repo/A")
[ -n "$ids" ] || fail "the fixture has no backups"

# Commands come from `myship --help`, every one of them.
cmds=$("$MYSHIP" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1}')
[ "$(echo "$cmds" | wc -l)" -ge 8 ] || fail "myship --help lists too few commands"
expect "myship " $cmds
expect_only "myship re" restore
expect_only "myship -q -c $T/p.ini pr" prune
expect "myship --" --help --version --log-file --wait-lock
# A command's options, from its usage line.
expect "myship restore --" --host --target --database --threads --force --dry-run --help
expect_only "myship list --" --host --json --help
# Listed values of an option.
expect_only "myship restore --defer-indexes " always auto never
expect_only "myship restore --defer-indexes a" always auto
# Host names from the policy named by -c.
expect_only "myship -c $T/p.ini backup --host " A db-two
expect_only "myship -c $T/p.ini restore latest --host A --target d" db-two
# Backup ids from the repository, for the host given.
expect_only "myship -c $T/p.ini restore --host A " latest $ids
expect_only "myship -c $T/p.ini restore --host A 2026" $ids
# Without --host there is no repository to read: only "latest".
expect_only "myship -c $T/p.ini restore " latest
# A value that is not a file, a list or a host offers nothing.
expect_only "myship restore --threads " 
echo "completion: $(echo "$cmds" | wc -l) commands, hosts, option values and $(echo "$ids" | wc -w) backup ids offered"
