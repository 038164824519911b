# src/repo/s3.mk: fragment of Makefile.am
libmyship_a_SOURCES += src/repo/s3.c src/repo/s3.h \
	src/repo/s3_client.c src/repo/s3_client.h \
	src/repo/s3_upload.c src/repo/s3_upload.h \
	src/repo/s3_download.c src/repo/s3_download.h \
	src/repo/s3_xml.c src/repo/s3_xml.h
