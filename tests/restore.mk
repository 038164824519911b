# tests/restore.mk: fragment of Makefile.am
check_PROGRAMS += tests/unit/sqlsplit_test
TESTS += tests/unit/sqlsplit_test
tests_unit_sqlsplit_test_SOURCES = tests/unit/sqlsplit_test.c
tests_unit_sqlsplit_test_LDADD = $(MYSHIP_LIBS)
