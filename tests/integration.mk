# tests/integration.mk: fragment of Makefile.am
# End-to-end tests: shell scripts on tests/lib.sh with private servers.
TESTS += tests/integration/harness.sh
EXTRA_DIST += tests/lib.sh tests/setup-deps.sh tests/ci.sh \
	tests/s3server/launcher.js tests/s3server/package.json \
	tests/s3server/package-lock.json tests/integration/harness.sh
