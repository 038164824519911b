#include <stdlib.h>
#include <string.h>

#include "db/catalog.h"
#include "tap.h"

static char *server[] = { "app", "app_test", "billing", "mysql", "sys",
    "information_schema", "performance_schema", "we`ird/..\ndb" };
#define NSERVER (sizeof server / sizeof server[0])

/* Runs a filter over server's databases; returns the picks joined by ','. */
static char *
pick(const char *only, const char *dbs, const char *exc, int *rc,
    struct err *e)
{
	struct strlist o = { NULL, 0 }, d = { NULL, 0 }, x = { NULL, 0 };
	struct strlist sel = { NULL, 0 };
	struct db_filter *f;
	static char out[512];
	size_t i;

	if (only)
		strlist_add(&o, only);
	if (dbs)
		strlist_add(&d, dbs);
	if (exc)
		strlist_add(&x, exc);
	out[0] = '\0';
	if ((f = db_filter_new(&o, &d, &x, e)) == NULL)
		*rc = -1;
	else
		*rc = db_filter_apply(f, server, NSERVER, &sel, e);
	for (i = 0; i < sel.n; i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, sel.v[i]);
	}
	db_filter_free(f);
	strlist_free(&o);
	strlist_free(&d);
	strlist_free(&x);
	strlist_free(&sel);
	return out;
}

/* Which engines' rows are copied, from the snapshot or outside it. */
static void
engines(void)
{
	static const char *elsewhere[] = { "MRG_MyISAM", "MRG_MYISAM",
	    "MERGE", "FEDERATED", "FederatedX", "CONNECT", "SPIDER",
	    "OQGRAPH", "BLACKHOLE", "SEQUENCE", "blackhole", NULL };
	static const char *own[] = { "InnoDB", "MyISAM", "Aria", "MEMORY",
	    "CSV", "ARCHIVE", "RocksDB", "S3", "ndbcluster", "", "MRG",
	    "MERGE2", "BLACKHOLE ", NULL };
	size_t i;

	for (i = 0; elsewhere[i] != NULL; i++) {
		CHECK_INT(catalog_engine_rows_elsewhere(elsewhere[i]), 1);
		CHECK_INT(catalog_engine_transactional(elsewhere[i]), 0);
	}
	for (i = 0; own[i] != NULL; i++)
		CHECK_INT(catalog_engine_rows_elsewhere(own[i]), 0);
	CHECK_INT(catalog_engine_rows_elsewhere(NULL), 0);
	CHECK_INT(catalog_engine_transactional("innodb"), 1);
	CHECK_INT(catalog_engine_transactional("MyISAM"), 0);
	CHECK_INT(catalog_engine_transactional(NULL), 0);
}

int
main(void)
{
	struct err e;
	int rc;

	/* ENUMs whose '' is ambiguous (the member or the error value). */
	CHECK_INT(catalog_enum_has_empty("enum('a','','b')"), 1);
	CHECK_INT(catalog_enum_has_empty("enum('')"), 1);
	CHECK_INT(catalog_enum_has_empty("enum('a','b','')"), 1);
	CHECK_INT(catalog_enum_has_empty("enum('it''s','x')"), 0);
	CHECK_INT(catalog_enum_has_empty("enum('''','a')"), 0);
	CHECK_INT(catalog_enum_has_empty("enum('''','')"), 1);
	CHECK_INT(catalog_enum_has_empty("enum('a\\\\','b')"), 0);
	CHECK_INT(catalog_enum_has_empty("enum('a\\'','')"), 1);
	CHECK_INT(catalog_enum_has_empty("enum('a,''''')"), 0);
	CHECK_INT(catalog_enum_has_empty("enum('a')"), 0);
	CHECK_INT(catalog_enum_has_empty("int(11)"), 0);

	CHECK_STR(pick(NULL, NULL, NULL, &rc, &e),
	    "app,app_test,billing,we`ird/..\ndb");
	/* Whole-name match: "app" is not "app_test". */
	CHECK_STR(pick(NULL, "app", NULL, &rc, &e), "app");
	CHECK_STR(pick(NULL, "app.*", "app_t.*", &rc, &e), "app");
	/* System schemas only when named; virtual ones never. */
	CHECK_STR(pick(NULL, ".*", NULL, &rc, &e),
	    "app,app_test,billing,we`ird/..\ndb");
	CHECK_STR(pick(NULL, "mysql|app", NULL, &rc, &e), "app,mysql");
	CHECK_STR(pick("information_schema", NULL, NULL, &rc, &e), "");
	CHECK_INT(rc, -1);
	CHECK_INT(e.kind, ERR_DB);
	/* --database overrides the policy's databases, never its exclude. */
	CHECK_STR(pick("app_test", "billing", NULL, &rc, &e), "app_test");
	CHECK_INT(rc, 0);
	CHECK_STR(pick("app.*", "billing", "app_t.*", &rc, &e), "app");
	CHECK_INT(rc, 0);
	/* An excluded database named with --database: nothing, no error. */
	CHECK_STR(pick("app_test", NULL, "app_t.*", &rc, &e), "");
	CHECK_INT(rc, 0);
	pick("nope", NULL, NULL, &rc, &e);
	CHECK_INT(rc, -1);
	CHECK(strstr(e.msg, "'nope'") != NULL);
	pick("a(", NULL, NULL, &rc, &e);
	CHECK_INT(rc, -1);
	CHECK_INT(e.kind, ERR_USAGE);
	CHECK(strstr(e.msg, "a(") != NULL);
	pick(NULL, NULL, "[z-a]", &rc, &e);
	CHECK_INT(e.kind, ERR_CONFIG);
	engines();
	return tap_done();
}
