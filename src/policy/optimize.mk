# src/policy/optimize.mk: fragment of Makefile.am
