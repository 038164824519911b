# tests/integration.mk: fragment of Makefile.am
# End-to-end tests: shell scripts on tests/lib.sh with private servers.
INTEGRATION_TESTS = tests/integration/harness.sh \
	tests/integration/roundtrip.sh tests/integration/stocktools.sh \
	tests/integration/badinput.sh tests/integration/consistency.sh \
	tests/integration/oldbackup.sh
TESTS += $(INTEGRATION_TESTS)
EXTRA_DIST += $(INTEGRATION_TESTS) tests/lib.sh tests/setup-deps.sh \
	tests/ci.sh tests/demo.sh tests/s3server/launcher.js \
	tests/s3server/package.json tests/s3server/package-lock.json \
	tests/integration/hardcase.sql tests/integration/fingerprint.py \
	tests/integration/bankwriter.py tests/fixtures/format1
