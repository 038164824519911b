#!/bin/sh
# Builds every tests/fuzz/*_fuzz.c as a libFuzzer binary in ./fuzz/ (run
# by `make fuzz`, which passes the variables below).  The library sources
# are compiled with clang's coverage instrumentation so libFuzzer sees
# inside them.  Then, for example:
#   fuzz/manifest_fuzz -max_total_time=300 fuzz/corpus-manifest $srcdir/tests/fuzz/corpus/manifest
# (the first directory is where new inputs go; the seeds stay untouched).
#
# Variables: srcdir, FUZZ_CC (clang), CPPFLAGS, SOURCES (libmyship's), LIBS.
set -eu
: "${FUZZ_CC:=clang}"
flags="-g -O1 -std=gnu11 -fno-omit-frame-pointer -fsanitize=address,undefined"
out=fuzz
mkdir -p "$out/obj"
objs=
for f in $SOURCES; do
	case $f in
	*.c) ;;
	*) continue ;;
	esac
	o="$out/obj/$(echo "$f" | tr / _ | sed 's/\.c$/.o/')"
	$FUZZ_CC $flags -fsanitize=fuzzer-no-link $CPPFLAGS -c "$srcdir/$f" -o "$o"
	objs="$objs $o"
done
for t in "$srcdir"/tests/fuzz/*_fuzz.c; do
	name=$(basename "$t" .c)
	$FUZZ_CC $flags -fsanitize=fuzzer $CPPFLAGS -I"$srcdir/tests/fuzz" \
	    "$t" $objs $LIBS -o "$out/$name"
	mkdir -p "$out/corpus-${name%_fuzz}"
	echo "built $out/$name"
done
