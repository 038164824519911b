libmyship_a_SOURCES += src/repo/repo.c src/repo/repo.h src/repo/repo_impl.h \
	src/repo/local.c src/repo/local.h
