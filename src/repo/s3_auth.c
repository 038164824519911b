#include "repo/s3_auth.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "repo/s3_container.h"
#include "repo/s3_creds.h"
#include "repo/s3_credjson.h"
#include "repo/s3_sigv4.h"
#include "util/log.h"
#include "util/xmalloc.h"

#define AUTH_MARGIN		300	/* seconds left that call a refresh */
#define AUTH_RETRY_AFTER	10	/* after a failed refresh, seconds */

struct s3_auth {
	pthread_mutex_t mu;	/* parts upload from their own thread */
	struct s3_cred_set set;
	char *region;		/* for requests signed here (s3_sigv4.h) */
	char *url;		/* container provider; NULL: static keys */
	char *name;		/* url without its query, for messages */
	int64_t fetched, next_try;
};

int
s3_auth_stale(int64_t now, int64_t fetched, int64_t expires)
{
	int64_t margin;

	if (expires == 0)
		return 0;
	margin = (expires - fetched) / 2;
	if (margin > AUTH_MARGIN)
		margin = AUTH_MARGIN;
	if (margin < 0)
		margin = 0;
	return now >= expires - margin;
}

static int
no_credentials(struct err *e)
{
	return err_set(e, ERR_CONFIG, "[s3]: no credentials: set "
	    "access_key_id and secret_access_key, credentials_file, "
	    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a shared "
	    "credentials file (AWS_SHARED_CREDENTIALS_FILE, ~/.aws/credentials) "
	    "or AWS_CONTAINER_CREDENTIALS_FULL_URI or _RELATIVE_URI");
}

static int
auth_fetch(struct s3_auth *a, int64_t now, struct err *e)
{
	struct s3_cred_set n;

	if (s3_container_fetch(a->url, &n, e) == -1)
		return -1;
	if (n.expires != 0 && n.expires <= now) {
		s3_cred_set_clear(&n);
		return err_set(e, ERR_REPO, "container credentials %s: "
		    "expired when received (is the clock right?)", a->name);
	}
	s3_cred_set_clear(&a->set);
	a->set = n;
	a->fetched = now;
	if (n.expires != 0)
		log_debug("s3: credentials from %s, expiring in %lld s",
		    a->name, (long long)(n.expires - now));
	else
		log_debug("s3: credentials from %s, no expiry", a->name);
	return 0;
}

/* Last, as the SDKs: the container provider, when its variables say so. */
static int
auth_container(struct s3_auth *a, struct err *e)
{
	int rc = s3_container_url(getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"),
	    getenv("AWS_CONTAINER_CREDENTIALS_FULL_URI"), &a->url, e);

	if (rc <= 0)
		return rc == 0 ? no_credentials(e) : -1;
	a->name = s3_container_url_name(a->url);
	return auth_fetch(a, (int64_t)time(NULL), e);
}

static int
auth_shared_file(struct s3_auth *a, struct err *e)
{
	const char *path = getenv("AWS_SHARED_CREDENTIALS_FILE");
	const char *home = getenv("HOME");
	char *dflt = NULL;
	int rc;

	if ((path == NULL || *path == '\0') && home != NULL && *home != '\0') {
		dflt = xasprintf("%s/.aws/credentials", home);
		if (access(dflt, F_OK) == 0)
			path = dflt;
	}
	if (path == NULL || *path == '\0') {
		free(dflt);
		return auth_container(a, e);
	}
	rc = s3_read_credentials(path, getenv("AWS_PROFILE"), &a->set.key_id,
	    &a->set.secret, &a->set.token, e);
	free(dflt);
	return rc;
}

static int
auth_chain(struct s3_auth *a, const struct s3_cfg *s, struct err *e)
{
	const char *k, *v;

	if (s->access_key_id != NULL && *s->access_key_id != '\0') {
		if (s->secret_access_key == NULL)
			return err_set(e, ERR_CONFIG, "[s3] access_key_id is "
			    "set but secret_access_key is not");
		a->set.key_id = xstrdup(s->access_key_id);
		a->set.secret = xstrdup(s->secret_access_key);
		if (s->session_token != NULL && *s->session_token != '\0')
			a->set.token = xstrdup(s->session_token);
		return 0;
	}
	if (s->credentials_file != NULL && *s->credentials_file != '\0')
		return s3_read_credentials(s->credentials_file,
		    getenv("AWS_PROFILE"), &a->set.key_id, &a->set.secret,
		    &a->set.token, e);
	k = getenv("AWS_ACCESS_KEY_ID");
	v = getenv("AWS_SECRET_ACCESS_KEY");
	if (k == NULL || *k == '\0' || v == NULL || *v == '\0')
		return auth_shared_file(a, e);
	a->set.key_id = xstrdup(k);
	a->set.secret = xstrdup(v);
	if ((v = getenv("AWS_SESSION_TOKEN")) != NULL && *v != '\0')
		a->set.token = xstrdup(v);
	return 0;
}

struct s3_auth *
s3_auth_new(const struct s3_cfg *cfg, struct err *e)
{
	struct s3_auth *a = xcalloc(1, sizeof *a);

	pthread_mutex_init(&a->mu, NULL);
	a->region = xstrdup(cfg->region && *cfg->region ? cfg->region :
	    "us-east-1");
	if (auth_chain(a, cfg, e) == -1) {
		s3_auth_free(a);
		return NULL;
	}
	return a;
}

void
s3_auth_free(struct s3_auth *a)
{
	if (a == NULL)
		return;
	s3_cred_set_clear(&a->set);
	free(a->region);
	free(a->url);
	free(a->name);
	pthread_mutex_destroy(&a->mu);
	free(a);
}

/* Called with mu held. */
static int
auth_refresh(struct s3_auth *a, struct err *e)
{
	int64_t now = (int64_t)time(NULL);
	struct err le;

	if (a->url == NULL || now < a->next_try ||
	    !s3_auth_stale(now, a->fetched, a->set.expires))
		return 0;
	err_clear(&le);
	if (auth_fetch(a, now, &le) == 0)
		return 0;
	if (a->set.expires <= now) {
		*e = le;
		return err_prefix(e, "s3: credentials expired, refresh failed: ");
	}
	log_warn("%s; the current credentials are used while they last "
	    "(%lld s)", le.msg, (long long)(a->set.expires - now));
	a->next_try = now + AUTH_RETRY_AFTER;
	return 0;
}

int
s3_auth_apply(struct s3_auth *a, CURL *h, struct curl_slist **headers,
    struct err *e)
{
	int rc;

	pthread_mutex_lock(&a->mu);
	if ((rc = auth_refresh(a, e)) == 0) {
		/* curl copies both strings, so a later refresh is safe. */
		curl_easy_setopt(h, CURLOPT_USERNAME, a->set.key_id);
		curl_easy_setopt(h, CURLOPT_PASSWORD, a->set.secret);
		if (a->set.token != NULL) {
			char *tok = xasprintf("x-amz-security-token: %s",
			    a->set.token);

			*headers = curl_slist_append(*headers, tok);
			explicit_bzero(tok, strlen(tok));
			free(tok);
		}
	}
	pthread_mutex_unlock(&a->mu);
	return rc;
}

static void
add_header(struct curl_slist **headers, const char *name, const char *value)
{
	char *l = xasprintf("%s: %s", name, value);

	*headers = curl_slist_append(*headers, l);
	free(l);
}

/* The Host header curl sends for url: the port only when not the default. */
static char *
url_host(CURLU *u)
{
	char *host = NULL, *port = NULL, *scheme = NULL, *hp = NULL;

	if (curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		goto out;
	curl_url_get(u, CURLUPART_PORT, &port, 0);	/* only when given */
	if (port != NULL && !((strcmp(scheme, "https") == 0 &&
	    strcmp(port, "443") == 0) || (strcmp(scheme, "http") == 0 &&
	    strcmp(port, "80") == 0)))
		hp = xasprintf("%s:%s", host, port);
	else
		hp = xstrdup(host);
out:
	curl_free(host);
	curl_free(port);
	curl_free(scheme);
	return hp;
}

int
s3_auth_sign(struct s3_auth *a, CURL *h, const char *method, const char *url,
    const char *query, const char *payload_sha, struct curl_slist **headers,
    struct err *e)
{
	struct s3_sigv4_req r;
	char date[20], *path = NULL, *host, *authz;
	time_t now = time(NULL);
	CURLU *u = curl_url();
	struct tm tm;

	if (u == NULL || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &path, 0) != CURLUE_OK ||
	    (host = url_host(u)) == NULL) {
		curl_free(path);
		curl_url_cleanup(u);
		return err_set(e, ERR_INTERNAL, "s3: cannot parse the URL %s",
		    url);
	}
	gmtime_r(&now, &tm);
	strftime(date, sizeof date, "%Y%m%dT%H%M%SZ", &tm);
	add_header(headers, "x-amz-date", date);
	memset(&r, 0, sizeof r);
	r.method = method;
	r.path = path;
	r.query = query ? query : "";
	r.host = host;
	r.amz_date = date;
	r.region = a->region;
	r.payload_sha = payload_sha;
	r.headers = *headers;
	pthread_mutex_lock(&a->mu);
	authz = s3_sigv4_authorization(&r, a->set.key_id, a->set.secret);
	pthread_mutex_unlock(&a->mu);
	add_header(headers, "Authorization", authz);
	free(authz);
	curl_easy_setopt(h, CURLOPT_USERNAME, NULL);
	curl_easy_setopt(h, CURLOPT_PASSWORD, NULL);
	free(host);
	curl_free(path);
	curl_url_cleanup(u);
	return 0;
}
