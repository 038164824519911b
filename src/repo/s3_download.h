/*
 * The archive source of an S3 repository: one GET streamed through a small
 * bounded buffer.  libcurl pushes and a source is pulled, so the transfer
 * runs on a multi handle driven from read() and is paused (CURLPAUSE)
 * whenever the buffer is full: the object is never held whole.  When the
 * connection drops, the GET resumes with a Range from the last byte
 * received, pinned to the first answer's ETag with If-Match.
 */
#ifndef MYSHIP_S3_DOWNLOAD_H
#define MYSHIP_S3_DOWNLOAD_H

#include "repo/s3_client.h"
#include "stream/io.h"
#include "util/err.h"

/* Starts the GET of key; 404 is ERR_NOT_FOUND. */
int s3_download_open(struct s3_client *c, const char *key, struct source *in,
    struct err *e);
/*
 * The same for length bytes from offset (length > 0): every attempt asks
 * for a Range and must be answered 206; a dropped one resumes at its own
 * next byte, under the client's retry policy.
 */
int s3_download_range(struct s3_client *c, const char *key, uint64_t offset,
    uint64_t length, struct source *in, struct err *e);

#endif
