# tests/run.mk: fragment of Makefile.am
