# src/db/optimize.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/db/optimize.c src/db/optimize.h
