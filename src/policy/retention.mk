# src/policy/retention.mk: fragment of Makefile.am
