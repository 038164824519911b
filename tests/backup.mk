# tests/backup.mk: fragment of Makefile.am
