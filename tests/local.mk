# tests/local.mk: how the suite runs.  Unit tests are TAP programs;
# integration tests are shell scripts that exit 0 (pass), 1 (fail) or 77
# (skip; never allowed when CI=true).  Each folder lists its own tests.
TEST_EXTENSIONS = .sh
SH_LOG_COMPILER = $(SHELL)
AM_TESTS_ENVIRONMENT = top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	MYSHIP='$(abs_top_builddir)/myship'; export top_srcdir top_builddir MYSHIP;
# Every test program links the library; each unit test is NAME.c alone.
LDADD = $(MYSHIP_LIBS)
EXTRA_DIST += tests/lib.sh tests/setup-deps.sh tests/ci.sh tests/demo.sh tests/chroot.sh tests/mysqlclient.sh \
	tests/s3server/launcher.js tests/s3server/package.json \
	tests/s3server/package-lock.json tests/fixtures/format1
# The house rules a machine can hold (file and function length, one name
# per file, header banners, one fragment per folder, layers look down).
HOUSE_TESTS = tests/style.sh tests/completion.sh
TESTS += $(HOUSE_TESTS)
EXTRA_DIST += tests/style.sh tests/completion.sh tests/package.sh
