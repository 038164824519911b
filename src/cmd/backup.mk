# src/cmd/backup.mk: fragment of Makefile.am
