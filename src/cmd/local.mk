# src/cmd/local.mk: the command table, the shared parser, one file per command.
libmyship_a_SOURCES += src/cmd/cmd.c src/cmd/cmd.h src/cmd/args.c src/cmd/args.h \
	src/cmd/backup.c src/cmd/check.c src/cmd/list.c \
	src/cmd/optimize.c src/cmd/prune.c src/cmd/restore.c src/cmd/run.c \
	src/cmd/status.c src/cmd/verify.c src/cmd/keygen.c src/cmd/decrypt.c src/cmd/drill.c src/cmd/restore.h \
	src/cmd/restore_int.h src/cmd/restore_report.c
