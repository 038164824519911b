# src/cmd/run.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/cmd/run.c src/cmd/prune.c src/cmd/prune.h \
	src/cmd/status.c src/cmd/replica.c src/cmd/replica.h \
	src/cmd/metrics.c src/cmd/metrics.h src/cmd/notify.c src/cmd/notify.h
