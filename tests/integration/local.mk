# tests/integration/local.mk: end-to-end scripts on tests/lib.sh, each with
# its own private servers.
INTEGRATION_TESTS = tests/integration/harness.sh tests/integration/drill.sh \
	tests/integration/roundtrip.sh tests/integration/stocktools.sh \
	tests/integration/badinput.sh tests/integration/consistency.sh \
	tests/integration/oldbackup.sh tests/integration/check.sh \
	tests/integration/restore_faults.sh tests/integration/restore_defer.sh \
	tests/integration/optimize.sh tests/integration/list.sh \
	tests/integration/prune.sh tests/integration/run_lock.sh \
	tests/integration/run.sh tests/integration/status.sh \
	tests/integration/replica.sh tests/integration/prune_s3.sh \
	tests/integration/s3_roundtrip.sh tests/integration/s3_faults.sh \
	tests/integration/tls.sh tests/integration/s3_tls.sh \
	tests/integration/s3_container.sh tests/integration/restore_past.sh \
	tests/integration/broken.sh tests/integration/own_rows.sh \
	tests/integration/resume.sh tests/integration/verify.sh \
	tests/integration/encrypt.sh tests/integration/s3_lock.sh \
	tests/integration/hostile.sh tests/integration/ranged.sh \
	tests/integration/packet.sh tests/integration/max_rate.sh \
	tests/integration/users.sh \
	tests/integration/diff.sh \
	tests/integration/swap.sh
TESTS += $(INTEGRATION_TESTS)
# What runs again against MySQL 9.x (MS_SERVER=mysql, tests/ci.sh): all of
# them (oldbackup.sh then checks that MySQL is refused a MariaDB backup)
# but s3_container.sh, which tests the S3 side only.
MYSQL_TESTS = tests/integration/harness.sh tests/integration/drill.sh tests/integration/oldbackup.sh \
	tests/integration/roundtrip.sh tests/integration/stocktools.sh \
	tests/integration/badinput.sh tests/integration/consistency.sh \
	tests/integration/restore_faults.sh tests/integration/restore_defer.sh \
	tests/integration/optimize.sh tests/integration/list.sh \
	tests/integration/prune.sh tests/integration/run_lock.sh \
	tests/integration/run.sh tests/integration/status.sh \
	tests/integration/prune_s3.sh tests/integration/s3_roundtrip.sh \
	tests/integration/s3_faults.sh tests/integration/check.sh \
	tests/integration/replica.sh tests/integration/tls.sh \
	tests/integration/broken.sh tests/integration/own_rows.sh \
	tests/integration/resume.sh tests/integration/hostile.sh \
	tests/integration/packet.sh tests/integration/max_rate.sh \
	tests/integration/ranged.sh tests/integration/users.sh \
	tests/integration/diff.sh \
	tests/integration/swap.sh
# (GNU make functions: configure.ac allows them, -Wno-portability.)
# The S3 side only (their answers do not depend on the database server):
# the server matrix (tests/ci.sh) leaves them out.
S3_SIDE_TESTS = tests/integration/s3_tls.sh tests/integration/s3_container.sh \
	tests/integration/s3_lock.sh
MATRIX_TESTS = $(filter-out $(S3_SIDE_TESTS),$(INTEGRATION_TESTS))
# Radosgw whatever MS_S3 says: the store matrix runs once, in the first
# build; the sanitizer build runs everything else against the S3 test
# server (MS_S3=s3rver).
RGW_TESTS = tests/integration/s3_lock.sh
SAN_TESTS = $(UNIT_TESTS) $(FUZZ_TARGETS) $(HOUSE_TESTS) \
	$(filter-out $(RGW_TESTS),$(INTEGRATION_TESTS))
EXTRA_DIST += $(INTEGRATION_TESTS) tests/integration/hardcase.sql tests/integration/hardcase-mysql.sql \
	tests/integration/fingerprint.py tests/integration/genschema.py \
	tests/integration/gentypes.py \
	tests/integration/bankwriter.py \
	tests/integration/hc_listener.py tests/integration/creds_endpoint.py
