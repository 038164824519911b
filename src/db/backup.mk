# src/db/backup.mk: fragment of Makefile.am
