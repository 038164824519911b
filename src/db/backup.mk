# src/db/backup.mk: fragment of Makefile.am
# The connection layer is shared by backup, restore and optimize.
libmyship_a_SOURCES += src/db/conn.c src/db/conn.h
# The dump engine.
libmyship_a_SOURCES += src/db/rowfmt.c src/db/rowfmt.h \
	src/db/chunk.c src/db/chunk.h \
	src/db/catalog.c src/db/catalog.h \
	src/db/snapshot.c src/db/snapshot.h \
	src/db/dump.c src/db/dump.h \
	src/db/schema.c src/db/schema.h
