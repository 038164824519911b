# tests/backup.mk: fragment of Makefile.am
check_PROGRAMS += tests/unit/rowfmt_test tests/unit/chunk_test
TESTS += tests/unit/rowfmt_test tests/unit/chunk_test
tests_unit_rowfmt_test_SOURCES = tests/unit/rowfmt_test.c
tests_unit_rowfmt_test_LDADD = $(MYSHIP_LIBS)
tests_unit_chunk_test_SOURCES = tests/unit/chunk_test.c
tests_unit_chunk_test_LDADD = $(MYSHIP_LIBS)
check_PROGRAMS += tests/unit/dbfilter_test
TESTS += tests/unit/dbfilter_test
tests_unit_dbfilter_test_SOURCES = tests/unit/dbfilter_test.c
tests_unit_dbfilter_test_LDADD = $(MYSHIP_LIBS)
