# src/repo/local.mk: repositories (the backend table, local directory, S3).
libmyship_a_SOURCES += src/repo/repo.c src/repo/repo.h src/repo/repo_impl.h \
	src/repo/local.c src/repo/local.h src/repo/local_int.h \
	src/repo/local_write.c src/repo/local_read.c src/repo/local_remove.c \
	src/repo/s3.c src/repo/s3.h \
	src/repo/s3_client.c src/repo/s3_client.h \
	src/repo/s3_creds.c src/repo/s3_creds.h \
	src/repo/s3_auth.c src/repo/s3_auth.h \
	src/repo/s3_container.c src/repo/s3_container.h \
	src/repo/s3_credjson.c src/repo/s3_credjson.h \
	src/repo/s3_error.c src/repo/s3_error.h \
	src/repo/s3_upload.c src/repo/s3_upload.h \
	src/repo/s3_part.c src/repo/s3_part.h \
	src/repo/s3_addr.c src/repo/s3_addr.h \
	src/repo/s3_download.c src/repo/s3_download.h \
	src/repo/s3_xml.c src/repo/s3_xml.h \
	src/repo/s3_lock.c src/repo/s3_lock.h \
	src/repo/s3_sigv4.c src/repo/s3_sigv4.h \
	src/repo/s3_versions.c src/repo/s3_versions.h
