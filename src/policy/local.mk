# src/policy/local.mk: fragment of Makefile.am
