/*
 * The AWS credentials file: a real-length STS session token (2,000
 * characters here; they run past 1,000) parses, from text and from a
 * mode-0600 file, and no error message ever carries a secret.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "repo/s3_creds.h"
#include "tap.h"
#include "util/buf.h"
#include "util/xmalloc.h"

/* A token as STS writes them: base64, '/', '+' and '='. */
static char *
make_token(size_t n)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+";
	char *t = xmalloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		t[i] = alphabet[(i * 7 + i / 64) % 64];
	t[n] = '\0';
	if (n > 2)
		t[n - 1] = t[n - 2] = '=';
	return t;
}

static int
parse(const char *text, char **k, char **s, char **t, struct err *e)
{
	*k = *s = *t = NULL;
	err_clear(e);
	return s3_parse_credentials(text, strlen(text), "creds", NULL, k, s, t, e);
}

static void
free3(char *k, char *s, char *t)
{
	free(k);
	free(s);
	free(t);
}

static void
test_long_token(void)
{
	char *token = make_token(2000), *k, *s, *t;
	struct buf b;
	struct err e;

	buf_init(&b);
	buf_printf(&b, "[default]\naws_access_key_id = ASIAEXAMPLE\n"
	    "aws_secret_access_key = wJalr/K7MDENG+bPxRfiCY\n"
	    "aws_session_token = %s\n", token);
	CHECK_INT(parse(buf_cstr(&b), &k, &s, &t, &e), 0);
	CHECK_STR(k, "ASIAEXAMPLE");
	CHECK_STR(s, "wJalr/K7MDENG+bPxRfiCY");
	CHECK(t != NULL && strlen(t) == 2000 && strcmp(t, token) == 0);
	free3(k, s, t);

	/* As the issue saw it: the token on line 5 of a four-key file. */
	buf_reset(&b);
	buf_printf(&b, "[default]\nregion = eu-west-1\n"
	    "aws_access_key_id = ASIAEXAMPLE\n"
	    "aws_secret_access_key = x\naws_session_token=%s\r\n", token);
	CHECK_INT(parse(buf_cstr(&b), &k, &s, &t, &e), 0);
	CHECK(t != NULL && strcmp(t, token) == 0);
	free3(k, s, t);

	/* An inline comment after it ends it, as on a short line. */
	buf_reset(&b);
	buf_printf(&b, "[default]\naws_access_key_id = A\n"
	    "aws_secret_access_key = x\naws_session_token = %s ;note\n",
	    token);
	CHECK_INT(parse(buf_cstr(&b), &k, &s, &t, &e), 0);
	CHECK(t != NULL && strcmp(t, token) == 0);
	free3(k, s, t);
	buf_free(&b);
	free(token);
}

/* Values longer than inih's buffer read exactly as short ones would. */
static void
test_cut_values(void)
{
	static const char *const cases[][2] = {
		/* value as written, value as read */
		{ "a b   c", "a b   c" },
		{ "x ;comment", "x" },
		{ "x;y", "x;y" },
		{ "x   ", "x" },
		{ "   x", "   x" },
	};
	char *k, *s, *t, *v, *want, *ref;
	struct buf b;
	struct err e;
	size_t i, pad;

	buf_init(&b);
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		/* Put the interesting part across the 200-byte mark. */
		for (pad = 170; pad < 210; pad += 3) {
			v = xmalloc(pad + 1);
			memset(v, 'T', pad);
			v[pad] = '\0';
			buf_reset(&b);
			buf_printf(&b, "[default]\naws_access_key_id = A\n"
			    "aws_secret_access_key = x\n"
			    "aws_session_token = %s%s\n", v, cases[i][0]);
			want = xasprintf("%s%s", v, cases[i][1]);
			if (!CHECK(parse(buf_cstr(&b), &k, &s, &t, &e) == 0 &&
			    t != NULL && strcmp(t, want) == 0))
				printf("#   case %zu, pad %zu: %s\n", i, pad,
				    t ? t + pad : e.msg);
			free3(k, s, t);
			free(want);
			free(v);
		}
	}
	/*
	 * A long continuation line reads as a short one does: inih 55 keeps
	 * " ;c" of a continuation line, inih 61 takes it for a comment; the
	 * engine must agree with the library it has, whatever the length.
	 */
	buf_reset(&b);
	buf_printf(&b, "[default]\naws_access_key_id = A\n"
	    "aws_secret_access_key = x\n  TTT ;c  \n");
	CHECK(parse(buf_cstr(&b), &k, &s, &t, &e) == 0 && s != NULL &&
	    strncmp(s, "xTTT", 4) == 0);
	ref = xstrdup(s != NULL && strlen(s) >= 4 ? s + 4 : "");
	free3(k, s, t);
	for (pad = 170; pad < 210; pad += 3) {
		v = xmalloc(pad + 1);
		memset(v, 'T', pad);
		v[pad] = '\0';
		buf_reset(&b);
		buf_printf(&b, "[default]\naws_access_key_id = A\n"
		    "aws_secret_access_key = x\n  %s ;c  \n", v);
		want = xasprintf("x%s%s", v, ref);
		CHECK(parse(buf_cstr(&b), &k, &s, &t, &e) == 0 && s != NULL &&
		    strcmp(s, want) == 0);
		free3(k, s, t);
		free(want);
		free(v);
	}
	free(ref);
	/* A value that starts past the mark, and one continued. */
	buf_reset(&b);
	buf_printf(&b, "[default]\naws_access_key_id =%*s AKIA\n"
	    "aws_secret_access_key = x\n  y\n", 250, "");
	CHECK_INT(parse(buf_cstr(&b), &k, &s, &t, &e), 0);
	CHECK_STR(k, "AKIA");
	CHECK_STR(s, "xy");
	free3(k, s, t);
	/* Blanks between name and '=' run past the mark. */
	buf_reset(&b);
	buf_printf(&b, "[default]\naws_access_key_id%*s= AKIA\n"
	    "aws_secret_access_key = x\n", 250, "");
	CHECK_INT(parse(buf_cstr(&b), &k, &s, &t, &e), 0);
	CHECK_STR(k, "AKIA");
	free3(k, s, t);
	/* A name that cannot fit is refused, clearly. */
	buf_reset(&b);
	buf_printf(&b, "[default]\n%0250d = 1\n", 0);
	CHECK_INT(parse(buf_cstr(&b), &k, &s, &t, &e), -1);
	CHECK(strstr(e.msg, "creds:2: key name longer than 197 characters") !=
	    NULL);
	buf_free(&b);
}

#define SECRET "SeCrEtVaLuE"

static void
expect_error(const char *text, size_t len, const char *want)
{
	char *k = NULL, *s = NULL, *t = NULL;
	struct err e;

	err_clear(&e);
	CHECK_INT(s3_parse_credentials(text, len, "creds", NULL, &k, &s, &t, &e), -1);
	CHECK_INT(e.kind, ERR_CONFIG);
	if (!CHECK(strstr(e.msg, want) != NULL))
		printf("#   message: %s\n#   wanted: %s\n", e.msg, want);
	CHECK(strstr(e.msg, SECRET) == NULL);
	CHECK(strstr(e.msg, "TTTTTTTT") == NULL);
	CHECK(k == NULL && s == NULL && t == NULL);
}

static void
test_errors(void)
{
	char *token = xmalloc(70001), *text;
	struct buf b;

	memset(token, 'T', 70000);
	token[70000] = '\0';
	buf_init(&b);
	/* Longer than the 64 KiB a line may hold. */
	buf_printf(&b, "[default]\naws_access_key_id = A\n"
	    "aws_secret_access_key = " SECRET "\naws_session_token = %s\n",
	    token);
	expect_error(b.data, b.len,
	    "creds:4: line longer than 65536 characters");
	/* A line without '=' that holds a secret. */
	text = "[default]\naws_access_key_id = A\n"
	    "aws_secret_access_key " SECRET "\n";
	expect_error(text, strlen(text), "creds:3: syntax error");
	text = "[default\naws_secret_access_key = " SECRET "\n";
	expect_error(text, strlen(text), "creds:1: syntax error");
	text = "[default]\naws_secret_access_key = " SECRET "\n";
	expect_error(text, strlen(text), "creds: [default] lacks "
	    "aws_access_key_id or aws_secret_access_key");
	text = "[profile x]\naws_access_key_id = A\n"
	    "aws_secret_access_key = " SECRET "\n";
	expect_error(text, strlen(text), "lacks aws_access_key_id");
	{
		static const char nul[] = "[default]\naws_secret_access_key = "
		    SECRET "\0x\n";

		expect_error(nul, sizeof nul - 1, "creds:2: NUL byte in line");
	}
	buf_free(&b);
	free(token);
}

static void
test_file(void)
{
	char path[] = "/tmp/s3_creds_test.XXXXXX";
	char *token = make_token(2000), *k = NULL, *s = NULL, *t = NULL;
	struct err e;
	FILE *f;
	int fd;

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL) {
		CHECK(0);
		return;
	}
	fprintf(f, "[default]\naws_access_key_id = ASIAFILE\n"
	    "aws_secret_access_key = " SECRET "\naws_session_token = %s\n",
	    token);
	fclose(f);
	CHECK_INT(s3_read_credentials(path, NULL, &k, &s, &t, &e), 0);
	CHECK_STR(k, "ASIAFILE");
	CHECK_STR(s, SECRET);
	CHECK(t != NULL && strcmp(t, token) == 0);
	free3(k, s, t);
	chmod(path, 0640);
	CHECK_INT(s3_read_credentials(path, NULL, &k, &s, &t, &e), -1);
	CHECK(strstr(e.msg, "chmod 600") != NULL);
	CHECK(strstr(e.msg, SECRET) == NULL);
	unlink(path);
	free(token);
}

/* AWS_PROFILE's section, as the AWS CLI reads it; [default] otherwise. */
static void
test_profiles(void)
{
	const char *text = "[default]\naws_access_key_id = AKIADEF\n"
	    "aws_secret_access_key = defsecret\n[prod]\n"
	    "aws_access_key_id = AKIAPROD\naws_secret_access_key = prodsecret\n"
	    "aws_session_token = prodtoken\n";
	char *k = NULL, *s = NULL, *t = NULL;
	struct err e;

	CHECK_INT(s3_parse_credentials(text, strlen(text), "creds", "prod",
	    &k, &s, &t, &e), 0);
	CHECK_STR(k, "AKIAPROD");
	CHECK_STR(s, "prodsecret");
	CHECK_STR(t, "prodtoken");
	free3(k, s, t);
	CHECK_INT(s3_parse_credentials(text, strlen(text), "creds", "",
	    &k, &s, &t, &e), 0);
	CHECK_STR(k, "AKIADEF");
	CHECK(t == NULL);
	free3(k, s, t);
	CHECK_INT(s3_parse_credentials(text, strlen(text), "creds", "nope",
	    &k, &s, &t, &e), -1);
	CHECK_STR(e.msg, "creds: [nope] lacks aws_access_key_id or "
	    "aws_secret_access_key");
}

int
main(void)
{
	test_profiles();
	test_long_token();
	test_cut_values();
	test_errors();
	test_file();
	return tap_done();
}
