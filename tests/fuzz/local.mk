# tests/fuzz/local.mk: a fuzz target per parser of outside input.  Each
# NAME_fuzz.c with driver.c is a check program that replays
# tests/fuzz/corpus/NAME and mutations of it (see driver.c); `make fuzz`
# builds every one of them for libFuzzer with no further wiring.
FUZZ_TARGETS = tests/fuzz/config_fuzz tests/fuzz/manifest_fuzz \
	tests/fuzz/tar_fuzz tests/fuzz/sqlsplit_fuzz tests/fuzz/s3_xml_fuzz \
	tests/fuzz/creds_fuzz tests/fuzz/credjson_fuzz tests/fuzz/crypt_fuzz \
	tests/fuzz/insert_cut_fuzz tests/fuzz/archive_fuzz \
	tests/fuzz/users_fuzz tests/fuzz/drill_fuzz
check_PROGRAMS += $(FUZZ_TARGETS)
TESTS += $(FUZZ_TARGETS)
tests_fuzz_config_fuzz_SOURCES = tests/fuzz/config_fuzz.c tests/fuzz/driver.c
tests_fuzz_manifest_fuzz_SOURCES = tests/fuzz/manifest_fuzz.c tests/fuzz/driver.c
tests_fuzz_tar_fuzz_SOURCES = tests/fuzz/tar_fuzz.c tests/fuzz/driver.c
tests_fuzz_sqlsplit_fuzz_SOURCES = tests/fuzz/sqlsplit_fuzz.c tests/fuzz/driver.c
tests_fuzz_s3_xml_fuzz_SOURCES = tests/fuzz/s3_xml_fuzz.c tests/fuzz/driver.c
tests_fuzz_creds_fuzz_SOURCES = tests/fuzz/creds_fuzz.c tests/fuzz/driver.c
tests_fuzz_credjson_fuzz_SOURCES = tests/fuzz/credjson_fuzz.c tests/fuzz/driver.c
tests_fuzz_crypt_fuzz_SOURCES = tests/fuzz/crypt_fuzz.c tests/fuzz/driver.c
tests_fuzz_insert_cut_fuzz_SOURCES = tests/fuzz/insert_cut_fuzz.c tests/fuzz/driver.c
tests_fuzz_archive_fuzz_SOURCES = tests/fuzz/archive_fuzz.c tests/fuzz/driver.c
tests_fuzz_users_fuzz_SOURCES = tests/fuzz/users_fuzz.c tests/fuzz/driver.c
tests_fuzz_drill_fuzz_SOURCES = tests/fuzz/drill_fuzz.c tests/fuzz/driver.c
EXTRA_DIST += tests/fuzz/fuzz.h tests/fuzz/build.sh tests/fuzz/corpus
# libFuzzer builds (clang), in ./fuzz/; see tests/fuzz/build.sh.
FUZZ_CC = clang
fuzz:
	srcdir='$(srcdir)' FUZZ_CC='$(FUZZ_CC)' \
	CPPFLAGS='$(DEFS) -I$(top_builddir) $(AM_CPPFLAGS) $(CPPFLAGS)' \
	SOURCES='$(libmyship_a_SOURCES)' \
	LIBS='$(MARIADB_LIBS) $(CURL_LIBS) $(ARCHIVE_LIBS) $(ZSTD_LIBS) $(INIH_LIBS) $(SODIUM_LIBS) $(CRYPTO_LIBS) -lpthread -lm' \
	$(SHELL) $(srcdir)/tests/fuzz/build.sh
clean-local: clean-fuzz
clean-fuzz:
	rm -rf fuzz
.PHONY: fuzz clean-fuzz
