# tests/s3.mk: fragment of Makefile.am
check_PROGRAMS += tests/unit/s3_xml_test tests/unit/s3_part_test \
	tests/unit/s3_sign_test
TESTS += tests/unit/s3_xml_test tests/unit/s3_part_test \
	tests/unit/s3_sign_test
tests_unit_s3_xml_test_SOURCES = tests/unit/s3_xml_test.c
tests_unit_s3_xml_test_LDADD = $(MYSHIP_LIBS)
tests_unit_s3_part_test_SOURCES = tests/unit/s3_part_test.c
tests_unit_s3_part_test_LDADD = $(MYSHIP_LIBS)
tests_unit_s3_sign_test_SOURCES = tests/unit/s3_sign_test.c
tests_unit_s3_sign_test_LDADD = $(MYSHIP_LIBS)
check_PROGRAMS += tests/fuzz/s3_xml_fuzz
TESTS += tests/fuzz/s3_xml_fuzz
tests_fuzz_s3_xml_fuzz_SOURCES = tests/fuzz/s3_xml_fuzz.c tests/fuzz/driver.c
tests_fuzz_s3_xml_fuzz_LDADD = $(MYSHIP_LIBS)
EXTRA_DIST += tests/fuzz/corpus/s3_xml
TESTS += tests/integration/s3_roundtrip.sh tests/integration/s3_faults.sh
EXTRA_DIST += tests/integration/s3_roundtrip.sh tests/integration/s3_faults.sh
