libmyship_a_SOURCES += src/cmd/cmd.h
