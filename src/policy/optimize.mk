# src/policy/optimize.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/policy/optimize_rules.c src/policy/optimize_rules.h
