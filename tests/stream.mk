# tests/stream.mk: fragment of Makefile.am
