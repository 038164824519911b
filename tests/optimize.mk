# tests/optimize.mk: fragment of Makefile.am
