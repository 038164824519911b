# src/cmd/optimize.mk: fragment of Makefile.am
