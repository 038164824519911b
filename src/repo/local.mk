# src/repo/local.mk: fragment of Makefile.am
