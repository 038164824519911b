# src/cmd/run.mk: fragment of Makefile.am
