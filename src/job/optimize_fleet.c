/* Table maintenance across the fleet: hosts in parallel, one report. */
#include <mysql.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "job/optimize_fleet.h"
#include "util/buf.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/signals.h"
#include "util/xmalloc.h"

struct fleet {
	struct opt_host_job *jobs;
	struct opt_host_report *reports;
	size_t n, next;
	pthread_mutex_t mu;
};


static void *
fleet_worker(void *arg)
{
	struct fleet *fl = arg;
	size_t i;

	mysql_thread_init();
	for (;;) {
		pthread_mutex_lock(&fl->mu);
		i = fl->next++;
		pthread_mutex_unlock(&fl->mu);
		if (i >= fl->n)
			break;
		if (signals_interrupted()) {
			fl->reports[i].name = xstrdup(fl->jobs[i].host->name);
			fl->reports[i].interrupted = 1;
			continue;
		}
		log_info("host %s: optimize%s starting",
		    fl->jobs[i].host->name,
		    fl->jobs[i].dry_run ? " (dry run)" : "");
		opt_host_run(&fl->jobs[i], &fl->reports[i]);
	}
	mysql_thread_end();
	return NULL;
}

static void
fleet_run(struct fleet *fl, long long parallel)
{
	pthread_t *tid;
	long long i, started = 0;

	if (parallel <= 0)
		parallel = 1;
	if ((size_t)parallel > fl->n)
		parallel = (long long)fl->n;
	tid = xcalloc((size_t)parallel + 1, sizeof *tid);
	for (i = 0; i < parallel; i++) {
		if (pthread_create(&tid[i], NULL, fleet_worker, fl) != 0)
			break;
		started++;
	}
	/* Without any thread the hosts still get done, one by one. */
	if (started == 0)
		fleet_worker(fl);
	for (i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
}

static int
host_wanted(const struct optimize_request *req, const struct host_cfg *h)
{
	size_t i;

	if (req->scheduled && h->optimize.when == OPTIMIZE_NEVER)
		return 0;
	if (req->nhosts == 0)
		return 1;
	for (i = 0; i < req->nhosts; i++)
		if (req->hosts[i] == h)
			return 1;
	return 0;
}

/* The databases a host works on: the command line, else the policy. */
static int
host_selector(const struct config *cfg, const struct host_cfg *h,
    const struct optimize_request *req, struct opt_selector *sel,
    struct err *e)
{
	const struct strlist *l = &h->optimize.databases;

	if (req->npatterns > 0)
		return opt_selector_init(sel, req->patterns, req->npatterns, e);
	if (l->n == 0)
		l = &cfg->optimize.databases;
	if (opt_selector_init(sel, l->v, l->n, e) == -1)
		return err_prefix(e, "%s: [optimize] databases",
		    cfg->path ? cfg->path : "policy");
	return 0;
}

static void
report_sum(struct optimize_report *out)
{
	const struct opt_host_report *h;
	size_t i;

	for (i = 0; i < out->nhosts; i++) {
		h = &out->hosts[i];
		out->optimized += h->optimized;
		out->would += h->would;
		out->failed += h->failed;
		out->skipped += h->skipped;
		out->bytes_before += h->bytes_before;
		out->bytes_after += h->bytes_after;
		out->reclaimable += h->reclaimable;
		if (h->conn_error != NULL)
			out->hosts_unreachable++;
		if (opt_host_failed(h))
			out->hosts_failed++;
		if (h->interrupted)
			out->interrupted = 1;
	}
}

static int
report_verdict(const struct optimize_report *r, struct err *e)
{
	struct buf names;
	size_t i;

	if (r->interrupted)
		return err_set(e, ERR_INTERRUPTED, "optimize: interrupted");
	if (r->hosts_unreachable > 0) {
		buf_init(&names);
		for (i = 0; i < r->nhosts; i++) {
			if (r->hosts[i].conn_error == NULL)
				continue;
			buf_append_str(&names, names.len ? ", " : "");
			buf_append_str(&names, r->hosts[i].name);
		}
		if (r->failed > 0)
			buf_printf(&names, "; %zu table%s failed", r->failed,
			    r->failed == 1 ? "" : "s");
		err_set(e, ERR_CONNECT, "optimize: unreachable: host%s %.300s",
		    r->hosts_unreachable == 1 ? "" : "s", buf_cstr(&names));
		buf_free(&names);
		return -1;
	}
	if (r->hosts_failed > 0)
		return err_set(e, ERR_FAILED, "optimize: %zu table%s failed "
		    "on %zu host%s", r->failed, r->failed == 1 ? "" : "s",
		    r->hosts_failed, r->hosts_failed == 1 ? "" : "s");
	return 0;
}

int
optimize_hosts(const struct config *cfg, const struct optimize_request *req,
    struct optimize_report *out, struct err *e)
{
	struct opt_selector *sels = NULL;
	struct fleet fl;
	double t0 = clock_seconds();
	size_t i, n = 0;
	int rc = -1;

	memset(out, 0, sizeof *out);
	memset(&fl, 0, sizeof fl);
	out->dry_run = req->dry_run;
	fl.jobs = xcalloc(cfg->nhosts + 1, sizeof *fl.jobs);
	sels = xcalloc(cfg->nhosts + 1, sizeof *sels);
	for (i = 0; i < cfg->nhosts; i++) {
		if (!host_wanted(req, &cfg->hosts[i]))
			continue;
		if (host_selector(cfg, &cfg->hosts[i], req, &sels[n], e) == -1)
			goto out;
		fl.jobs[n].host = &cfg->hosts[i];
		fl.jobs[n].policy = &cfg->hosts[i].optimize;
		fl.jobs[n].sel = &sels[n];
		fl.jobs[n].dry_run = req->dry_run;
		fl.jobs[n].scheduled = req->scheduled;
		fl.jobs[n].lock_wait_timeout = cfg->lock_wait_timeout;
		n++;
	}
	fl.n = n;
	fl.reports = out->hosts = xcalloc(n + 1, sizeof *out->hosts);
	out->nhosts = n;
	pthread_mutex_init(&fl.mu, NULL);
	fleet_run(&fl, cfg->parallel_hosts);
	pthread_mutex_destroy(&fl.mu);
	out->seconds = clock_seconds() - t0;
	report_sum(out);
	rc = report_verdict(out, e);
out:
	for (i = 0; i < n; i++)
		opt_selector_free(&sels[i]);
	free(sels);
	free(fl.jobs);
	return rc;
}

void
optimize_report_free(struct optimize_report *r)
{
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		opt_host_report_free(&r->hosts[i]);
	free(r->hosts);
	memset(r, 0, sizeof *r);
}
