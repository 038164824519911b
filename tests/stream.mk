# tests/stream.mk: unit tests of the stream, repository and manifest layers,
# and the fuzz targets (run over their corpus by `make check`).
EXTRA_DIST += tests/unit/memio.h

check_PROGRAMS += tests/unit/zstd_test tests/unit/hash_test tests/unit/tar_test
TESTS += tests/unit/zstd_test tests/unit/hash_test tests/unit/tar_test
tests_unit_zstd_test_SOURCES = tests/unit/zstd_test.c
tests_unit_zstd_test_LDADD = $(MYSHIP_LIBS)
tests_unit_hash_test_SOURCES = tests/unit/hash_test.c
tests_unit_hash_test_LDADD = $(MYSHIP_LIBS)
tests_unit_tar_test_SOURCES = tests/unit/tar_test.c
tests_unit_tar_test_LDADD = $(MYSHIP_LIBS)

check_PROGRAMS += tests/unit/filter_test
TESTS += tests/unit/filter_test
tests_unit_filter_test_SOURCES = tests/unit/filter_test.c
tests_unit_filter_test_LDADD = $(MYSHIP_LIBS)

check_PROGRAMS += tests/unit/repo_local_test
TESTS += tests/unit/repo_local_test
tests_unit_repo_local_test_SOURCES = tests/unit/repo_local_test.c
tests_unit_repo_local_test_LDADD = $(MYSHIP_LIBS)

check_PROGRAMS += tests/unit/manifest_test
TESTS += tests/unit/manifest_test
tests_unit_manifest_test_SOURCES = tests/unit/manifest_test.c
tests_unit_manifest_test_LDADD = $(MYSHIP_LIBS)

# Fuzz targets: each NAME_fuzz.c with driver.c is a check program that
# replays tests/fuzz/corpus/NAME and mutations of it (see driver.c).
# Another module adds its own target the same way:
#   check_PROGRAMS += tests/fuzz/NAME_fuzz
#   TESTS += tests/fuzz/NAME_fuzz
#   tests_fuzz_NAME_fuzz_SOURCES = tests/fuzz/NAME_fuzz.c tests/fuzz/driver.c
#   tests_fuzz_NAME_fuzz_LDADD = $(MYSHIP_LIBS)
#   EXTRA_DIST += tests/fuzz/corpus/NAME
# and `make fuzz` builds it for libFuzzer with no further wiring.
EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/build.sh \
	tests/fuzz/corpus/manifest tests/fuzz/corpus/tar
check_PROGRAMS += tests/fuzz/manifest_fuzz tests/fuzz/tar_fuzz
TESTS += tests/fuzz/manifest_fuzz tests/fuzz/tar_fuzz
tests_fuzz_manifest_fuzz_SOURCES = tests/fuzz/manifest_fuzz.c tests/fuzz/driver.c
tests_fuzz_manifest_fuzz_LDADD = $(MYSHIP_LIBS)
tests_fuzz_tar_fuzz_SOURCES = tests/fuzz/tar_fuzz.c tests/fuzz/driver.c
tests_fuzz_tar_fuzz_LDADD = $(MYSHIP_LIBS)

# libFuzzer builds (clang), in ./fuzz/; see tests/fuzz/build.sh.
FUZZ_CC = clang
fuzz:
	srcdir='$(srcdir)' FUZZ_CC='$(FUZZ_CC)' \
	CPPFLAGS='$(DEFS) -I$(top_builddir) $(AM_CPPFLAGS) $(CPPFLAGS)' \
	SOURCES='$(libmyship_a_SOURCES)' \
	LIBS='$(MARIADB_LIBS) $(CURL_LIBS) $(ARCHIVE_LIBS) $(ZSTD_LIBS) $(INIH_LIBS) $(CRYPTO_LIBS) -lpthread -lm' \
	$(SHELL) $(srcdir)/tests/fuzz/build.sh
clean-local: clean-fuzz
clean-fuzz:
	rm -rf fuzz
.PHONY: fuzz clean-fuzz

TESTS += tests/integration/list.sh
EXTRA_DIST += tests/integration/list.sh
