# src/util/lock.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/util/lock.c src/util/lock.h
