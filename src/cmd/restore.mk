# src/cmd/restore.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/cmd/restore.c
