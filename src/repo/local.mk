libmyship_a_SOURCES += src/repo/repo.c src/repo/repo.h src/repo/repo_impl.h \
	src/repo/local.c src/repo/local.h
# `myship list` lives with the repository code it presents.
libmyship_a_SOURCES += src/cmd/list.c
