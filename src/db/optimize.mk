# src/db/optimize.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/db/optimize_host.c src/db/optimize_host.h
