# src/stream/local.mk: sinks, sources, filters (zstd, SHA-256, encryption),
# codec, tar.
libmyship_a_SOURCES += src/stream/io.c src/stream/io.h \
	src/stream/hash.c src/stream/hash.h \
	src/stream/digest.c src/stream/digest.h \
	src/stream/zstd_filter.c src/stream/zstd_filter.h \
	src/stream/tar.c src/stream/tar.h \
	src/stream/filter.c src/stream/filter.h \
	src/stream/crypt_keys.c src/stream/crypt_keys.h \
	src/stream/crypt_filter.c src/stream/crypt_filter.h \
	src/stream/codec.c src/stream/codec.h \
	src/stream/archive.c src/stream/archive.h
