# src/db/restore.mk: fragment of Makefile.am
