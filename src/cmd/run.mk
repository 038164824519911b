# src/cmd/run.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/cmd/run.c src/job/prune_host.c src/job/prune_host.h \
	src/cmd/prune.c src/cmd/status.c src/db/replica.c src/db/replica.h \
	src/job/metrics.c src/job/metrics.h src/job/notify.c src/job/notify.h
