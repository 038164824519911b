libmyship_a_SOURCES += src/policy/manifest.c src/policy/manifest.h
