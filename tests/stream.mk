# tests/stream.mk: unit tests of the stream, repository and manifest layers,
# and the fuzz targets (run over their corpus by `make check`).
EXTRA_DIST += tests/unit/memio.h

check_PROGRAMS += tests/unit/zstd_test tests/unit/hash_test tests/unit/tar_test
TESTS += tests/unit/zstd_test tests/unit/hash_test tests/unit/tar_test
tests_unit_zstd_test_SOURCES = tests/unit/zstd_test.c
tests_unit_zstd_test_LDADD = $(MYSHIP_LIBS)
tests_unit_hash_test_SOURCES = tests/unit/hash_test.c
tests_unit_hash_test_LDADD = $(MYSHIP_LIBS)
tests_unit_tar_test_SOURCES = tests/unit/tar_test.c
tests_unit_tar_test_LDADD = $(MYSHIP_LIBS)

check_PROGRAMS += tests/unit/repo_local_test
TESTS += tests/unit/repo_local_test
tests_unit_repo_local_test_SOURCES = tests/unit/repo_local_test.c
tests_unit_repo_local_test_LDADD = $(MYSHIP_LIBS)

check_PROGRAMS += tests/unit/manifest_test
TESTS += tests/unit/manifest_test
tests_unit_manifest_test_SOURCES = tests/unit/manifest_test.c
tests_unit_manifest_test_LDADD = $(MYSHIP_LIBS)
