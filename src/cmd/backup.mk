# src/cmd/backup.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/cmd/backup.c src/cmd/backup.h
# myship check (H2c).
libmyship_a_SOURCES += src/cmd/check.c
TESTS += tests/integration/check.sh
EXTRA_DIST += tests/integration/check.sh
