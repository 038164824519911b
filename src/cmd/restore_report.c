/* The summary lines of a restore (cmd/restore_int.h). */
#include <stdio.h>
#include <string.h>

#include "cmd/restore_int.h"
#include "policy/restore_diff.h"
#include "util/log.h"
#include "util/show.h"

void
restore_summary(struct restore *r, double secs)
{
	struct load_stats st;
	char sz[32];
	uint64_t rows;
	size_t ndb, ntables;

	memset(&st, 0, sizeof st);
	restore_apply_stats(r->apply, &st);
	restore_plan_totals(&r->plan, &ndb, &ntables, &rows);
	format_size(st.raw_bytes, sz, sizeof sz);
	log_info("restored backup %s/%s into host %s: %zu databases, %zu "
	    "tables, %llu rows, %s of SQL in %.1f s (%.1f MiB/s, %llu "
	    "statements, %llu of them as LOAD DATA, %llu retried after "
	    "deadlocks, secondary indexes of %llu tables built after their "
	    "rows in %.1f s, %llu bytes read from the repository%s)",
	    r->o.host, r->id, r->target->name, ndb, ntables, (unsigned long long)rows, sz, secs,
	    secs > 0 ? st.raw_bytes / secs / 1048576.0 : 0.0,
	    (unsigned long long)st.statements, (unsigned long long)st.infile,
	    (unsigned long long)st.retries, (unsigned long long)st.finished,
	    st.finish_secs, (unsigned long long)r->repo_bytes,
	    r->ranged ? " by ranges" : "");
	if (!r->quiet)
		printf("restored %s/%s into host %s: %zu databases, %zu tables, "
		    "%llu rows, %s of SQL in %.1f s, %llu bytes read from the "
		    "repository%s%s\n", r->o.host, r->id,
		    r->target->name, ndb, ntables, (unsigned long long)rows, sz,
		    secs, (unsigned long long)r->repo_bytes,
		    r->ranged ? " by ranges" : "", st.infile_refused == 0 ? "" : " (INSERT statements: "
		    "the target has local_infile=OFF, LOAD DATA LOCAL is "
		    "faster)");
}

/* --diff: what was compared, reloaded and read. */
void
restore_diff_summary(struct restore *r)
{
	struct restore_diff_stats st;
	char rd[32], sk[32], all[32];

	restore_apply_diff_stats(r->apply, &st);
	format_size(r->bytes_read, rd, sizeof rd);
	format_size(restore_diff_left(&r->plan), sk, sizeof sk);
	format_size(r->archive_bytes, all, sizeof all);
	log_info("diff restore into host %s: %zu tables compared (%zu "
	    "reloaded whole), %zu chunks compared, %zu identical, %zu "
	    "reloaded (%zu each in one transaction); %s of members loaded, "
	    "%s left (of an archive of %s), %llu bytes read from the repository%s, comparing took %.1f s "
	    "(%llu pieces fingerprinted by the server, %llu read row by row)",
	    r->target->name, st.tables, st.tables_whole, st.compared, st.same,
	    st.reload, st.atomic, rd, sk, all,
	    (unsigned long long)r->repo_bytes,
	    r->ranged ? " by ranges" : "", st.secs,
	    (unsigned long long)st.pieces,
	    (unsigned long long)st.pieces_read);
	if (!r->quiet)
		printf("diff: %zu chunks compared, %zu identical, %zu reloaded "
		    "(%zu each in one transaction; %zu tables reloaded whole); "
		    "loaded %s of members of the archive's %s; %llu bytes read "
		    "from the repository%s\n", st.compared, st.same,
		    st.reload, st.atomic, st.tables_whole, rd, all,
		    (unsigned long long)r->repo_bytes, r->ranged ? " by ranges" :
		    "");
}
