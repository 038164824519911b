# tests/restore.mk: fragment of Makefile.am
