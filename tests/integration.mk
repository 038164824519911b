# tests/integration.mk: fragment of Makefile.am
