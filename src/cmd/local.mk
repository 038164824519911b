libmyship_a_SOURCES += src/cmd/cmd.c src/cmd/cmd.h src/cmd/args.c src/cmd/args.h
