# tests/run.mk: fragment of Makefile.am
check_PROGRAMS += tests/unit/retention_test tests/unit/lock_test
TESTS += tests/unit/retention_test tests/unit/lock_test
tests_unit_retention_test_SOURCES = tests/unit/retention_test.c
tests_unit_retention_test_LDADD = $(MYSHIP_LIBS)
tests_unit_lock_test_SOURCES = tests/unit/lock_test.c
tests_unit_lock_test_LDADD = $(MYSHIP_LIBS)
TESTS += tests/integration/prune.sh tests/integration/run_lock.sh \
	tests/integration/run.sh tests/integration/status.sh \
	tests/integration/replica.sh tests/integration/prune_s3.sh
EXTRA_DIST += tests/integration/prune.sh tests/integration/run_lock.sh \
	tests/integration/run.sh tests/integration/status.sh \
	tests/integration/replica.sh tests/integration/prune_s3.sh \
	tests/integration/hc_listener.py
