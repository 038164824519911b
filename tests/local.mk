# Unit tests are TAP programs; integration tests are shell scripts that
# exit 0 (pass), 1 (fail) or 77 (skip; never allowed when CI=true).
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	MYSHIP='$(abs_top_builddir)/myship'; export top_srcdir top_builddir MYSHIP;
EXTRA_DIST += tests/unit/tap.h
check_PROGRAMS += tests/unit/config_test tests/unit/strutil_test
TESTS += tests/unit/config_test tests/unit/strutil_test
tests_unit_config_test_SOURCES = tests/unit/config_test.c
tests_unit_config_test_LDADD = $(MYSHIP_LIBS)
tests_unit_strutil_test_SOURCES = tests/unit/strutil_test.c
tests_unit_strutil_test_LDADD = $(MYSHIP_LIBS)
check_PROGRAMS += tests/fuzz/config_fuzz
TESTS += tests/fuzz/config_fuzz
tests_fuzz_config_fuzz_SOURCES = tests/fuzz/config_fuzz.c tests/fuzz/driver.c
tests_fuzz_config_fuzz_LDADD = $(MYSHIP_LIBS)
EXTRA_DIST += tests/fuzz/corpus/config
check_PROGRAMS += tests/unit/cmd_args_test
TESTS += tests/unit/cmd_args_test
tests_unit_cmd_args_test_SOURCES = tests/unit/cmd_args_test.c
tests_unit_cmd_args_test_LDADD = $(MYSHIP_LIBS)
