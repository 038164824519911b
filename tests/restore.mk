# tests/restore.mk: fragment of Makefile.am
check_PROGRAMS += tests/unit/sqlsplit_test
TESTS += tests/unit/sqlsplit_test
tests_unit_sqlsplit_test_SOURCES = tests/unit/sqlsplit_test.c
tests_unit_sqlsplit_test_LDADD = $(MYSHIP_LIBS)
# The splitter's fuzz target: replays tests/fuzz/corpus/sqlsplit and
# mutations of it (tests/fuzz/driver.c); `make fuzz` builds it for libFuzzer.
check_PROGRAMS += tests/fuzz/sqlsplit_fuzz
TESTS += tests/fuzz/sqlsplit_fuzz
tests_fuzz_sqlsplit_fuzz_SOURCES = tests/fuzz/sqlsplit_fuzz.c tests/fuzz/driver.c
tests_fuzz_sqlsplit_fuzz_LDADD = $(MYSHIP_LIBS)
EXTRA_DIST += tests/fuzz/corpus/sqlsplit
TESTS += tests/integration/restore_faults.sh
EXTRA_DIST += tests/integration/restore_faults.sh
check_PROGRAMS += tests/unit/defer_test
TESTS += tests/unit/defer_test
tests_unit_defer_test_SOURCES = tests/unit/defer_test.c
tests_unit_defer_test_LDADD = $(MYSHIP_LIBS)
TESTS += tests/integration/restore_defer.sh
EXTRA_DIST += tests/integration/restore_defer.sh
check_PROGRAMS += tests/unit/restore_plan_test
TESTS += tests/unit/restore_plan_test
tests_unit_restore_plan_test_SOURCES = tests/unit/restore_plan_test.c
tests_unit_restore_plan_test_LDADD = $(MYSHIP_LIBS)
