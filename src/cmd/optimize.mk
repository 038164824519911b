# src/cmd/optimize.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/cmd/optimize.c src/job/optimize_fleet.c src/job/optimize_fleet.h
