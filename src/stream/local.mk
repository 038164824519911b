libmyship_a_SOURCES += src/stream/io.c src/stream/io.h
