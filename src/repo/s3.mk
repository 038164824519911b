# src/repo/s3.mk: fragment of Makefile.am
