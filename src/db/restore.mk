# src/db/restore.mk: fragment of Makefile.am
# The restore engine: statement splitter and the parallel loader.
libmyship_a_SOURCES += src/db/sqlsplit.c src/db/sqlsplit.h \
	src/db/load.c src/db/load.h src/db/load_pool.c src/db/defer.c src/db/defer.h
# The target probes, and the apply step that runs a restore plan.
libmyship_a_SOURCES += src/db/target.c src/db/target.h \
	src/db/restore_apply.c src/db/restore_apply.h
