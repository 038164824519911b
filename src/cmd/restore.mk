# src/cmd/restore.mk: fragment of Makefile.am
