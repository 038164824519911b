# src/util/local.mk: the bottom layer (errors, buffers, log, the INI engine and
# the policy read with it, signals, a background job's priority).
libmyship_a_SOURCES += src/util/err.c src/util/err.h src/util/buf.c src/util/buf.h \
	src/util/xmalloc.c src/util/xmalloc.h src/util/log.c src/util/log.h \
	src/util/strutil.c src/util/strutil.h src/util/names.c src/util/names.h \
	src/util/signals.c src/util/signals.h src/util/config.c src/util/config.h \
	src/util/config_keys.c src/util/config_keys.h \
	src/util/inifile.c src/util/inifile.h \
	src/util/json.c src/util/json.h src/util/clock.c src/util/clock.h \
	src/util/show.c src/util/show.h src/util/lock.c src/util/lock.h \
	src/util/rate.c src/util/rate.h src/util/sum256.c src/util/sum256.h \
	src/util/keyrange.c src/util/keyrange.h \
	src/util/prio.c src/util/prio.h
