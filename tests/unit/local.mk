# tests/unit/local.mk: one TAP program per module, tests/unit/NAME_test.c.
UNIT_TESTS = \
	tests/unit/retention_test tests/unit/lock_test tests/unit/config_test \
	tests/unit/strutil_test tests/unit/cmd_args_test \
	tests/unit/optimize_rules_test tests/unit/restore_plan_test \
	tests/unit/manifest_test tests/unit/schema_test tests/unit/dbfilter_test \
	tests/unit/rowfmt_test tests/unit/chunk_test tests/unit/sqlsplit_test \
	tests/unit/defer_test tests/unit/zstd_test tests/unit/hash_test \
	tests/unit/tar_test tests/unit/filter_test tests/unit/repo_local_test \
	tests/unit/s3_xml_test tests/unit/s3_part_test tests/unit/s3_sign_test \
	tests/unit/s3_addr_test tests/unit/s3_creds_test tests/unit/s3_container_test tests/unit/s3_error_test \
	tests/unit/s3_lock_test tests/unit/s3_sigv4_test \
	tests/unit/config_doc_test tests/unit/inifile_test tests/unit/log_test \
	tests/unit/verify_test tests/unit/crypt_test tests/unit/verify_due_test \
	tests/unit/insert_cut_test tests/unit/rate_test tests/unit/digest_test \
	tests/unit/users_rules_test tests/unit/drill_test \
	tests/unit/restore_diff_test tests/unit/sum256_test tests/unit/rowsum_test \
	tests/unit/swap_plan_test tests/unit/keyrange_test
check_PROGRAMS += $(UNIT_TESTS)
TESTS += $(UNIT_TESTS)
EXTRA_DIST += tests/unit/tap.h tests/unit/memio.h
