libmyship_a_SOURCES += src/stream/io.c src/stream/io.h \
	src/stream/hash.c src/stream/hash.h \
	src/stream/zstd_filter.c src/stream/zstd_filter.h \
	src/stream/tar.c src/stream/tar.h
