# src/util/lock.mk: fragment of Makefile.am
