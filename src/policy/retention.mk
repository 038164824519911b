# src/policy/retention.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/policy/retention.c src/policy/retention.h
