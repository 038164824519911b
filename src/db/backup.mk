# src/db/backup.mk: fragment of Makefile.am
# The connection layer is shared by backup, restore and optimize.
libmyship_a_SOURCES += src/db/conn.c src/db/conn.h
# The dump engine.
libmyship_a_SOURCES += src/db/rowfmt.c src/db/rowfmt.h \
	src/db/chunk.c src/db/chunk.h \
	src/db/catalog.c src/db/catalog.h \
	src/db/snapshot.c src/db/snapshot.h \
	src/db/dump.c src/db/dump.h src/db/dump_int.h \
	src/db/dump_plan.c src/db/dump_worker.c \
	src/db/schema.c src/db/schema.h
# Privileges a backup needs, and the schema/grants unit test (H2c).
libmyship_a_SOURCES += src/db/privs.c src/db/privs.h
check_PROGRAMS += tests/unit/schema_test
TESTS += tests/unit/schema_test
tests_unit_schema_test_SOURCES = tests/unit/schema_test.c tests/unit/tap.h
tests_unit_schema_test_LDADD = $(MYSHIP_LIBS)
