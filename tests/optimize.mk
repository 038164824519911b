# tests/optimize.mk: fragment of Makefile.am
check_PROGRAMS += tests/unit/optimize_rules_test
TESTS += tests/unit/optimize_rules_test
tests_unit_optimize_rules_test_SOURCES = tests/unit/optimize_rules_test.c
tests_unit_optimize_rules_test_LDADD = $(MYSHIP_LIBS)

TESTS += tests/integration/optimize.sh
EXTRA_DIST += tests/integration/optimize.sh
