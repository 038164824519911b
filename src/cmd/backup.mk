# src/cmd/backup.mk: fragment of Makefile.am
# myship check (H2c).
libmyship_a_SOURCES += src/cmd/check.c
