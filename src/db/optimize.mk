# src/db/optimize.mk: fragment of Makefile.am
