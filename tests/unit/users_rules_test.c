/* Accounts: system filter, patterns, masking, rewrites, the member text. */
#include <stdlib.h>
#include <string.h>

#include "policy/users_rules.h"
#include "tap.h"

static void
test_mask(void)
{
	char *s;

	s = users_mask("CREATE USER `u`@`%` IDENTIFIED BY PASSWORD "
	    "'*94BDCEBE19083CE2A1F959FD02F964C7AF4CFC29'");
	CHECK_STR(s, "CREATE USER `u`@`%` IDENTIFIED BY PASSWORD '<secret>'");
	free(s);
	s = users_mask("CREATE USER `a`@`%` IDENTIFIED WITH "
	    "'caching_sha2_password' AS 0x24412430 REQUIRE NONE");
	CHECK_STR(s, "CREATE USER `a`@`%` IDENTIFIED WITH "
	    "'caching_sha2_password' AS '<secret>' REQUIRE NONE");
	free(s);
	s = users_mask("CREATE USER `as`@`x` IDENTIFIED VIA ed25519 USING "
	    "'ab\\'c' OR unix_socket");
	CHECK_STR(s, "CREATE USER `as`@`x` IDENTIFIED VIA ed25519 USING "
	    "'<secret>' OR unix_socket");
	free(s);
	/* a quoted name "password" is not the keyword */
	s = users_mask("GRANT SELECT (`password`) ON `d`.`t` TO `u`@`%`");
	CHECK_STR(s, "GRANT SELECT (`password`) ON `d`.`t` TO `u`@`%`");
	free(s);
}

static void
test_rewrites(void)
{
	char *s, *roles;

	s = users_strip_identified("GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED "
	    "BY PASSWORD '*AB WITH' WITH GRANT OPTION");
	CHECK_STR(s, "GRANT USAGE ON *.* TO `u`@`%` WITH GRANT OPTION");
	free(s);
	s = users_strip_identified("GRANT USAGE ON *.* TO `u`@`%` IDENTIFIED "
	    "VIA ed25519 USING 'x' OR unix_socket");
	CHECK_STR(s, "GRANT USAGE ON *.* TO `u`@`%`");
	free(s);
	s = users_strip_identified("GRANT SELECT ON `identified`.* TO `u`@`%`");
	CHECK_STR(s, "GRANT SELECT ON `identified`.* TO `u`@`%`");
	free(s);
	s = users_split_default_role("CREATE USER `u`@`%` IDENTIFIED WITH "
	    "'caching_sha2_password' AS 0x41 DEFAULT ROLE `r1`@`%`,`r 2`@`%` "
	    "REQUIRE NONE PASSWORD EXPIRE DEFAULT ACCOUNT UNLOCK", &roles);
	CHECK_STR(s, "CREATE USER `u`@`%` IDENTIFIED WITH "
	    "'caching_sha2_password' AS 0x41 REQUIRE NONE PASSWORD EXPIRE "
	    "DEFAULT ACCOUNT UNLOCK");
	CHECK_STR(roles, "`r1`@`%`,`r 2`@`%`");
	free(s);
	free(roles);
	s = users_split_default_role("CREATE USER `u`@`%` PASSWORD EXPIRE "
	    "DEFAULT", &roles);
	CHECK_STR(s, "CREATE USER `u`@`%` PASSWORD EXPIRE DEFAULT");
	CHECK(roles == NULL);
	free(s);
	s = users_default_for("SET DEFAULT ROLE `r` FOR `u`@`%`", 0);
	CHECK_STR(s, "SET DEFAULT ROLE `r` TO `u`@`%`");
	free(s);
	s = users_default_for("SET DEFAULT ROLE `r`@`%` TO `u`@`%`", 1);
	CHECK_STR(s, "SET DEFAULT ROLE `r`@`%` FOR `u`@`%`");
	free(s);
	s = users_default_for("SET DEFAULT ROLE `to` FOR `u`@`%`", 1);
	CHECK_STR(s, "SET DEFAULT ROLE `to` FOR `u`@`%`");
	free(s);
}

static void
test_plugins(void)
{
	struct strlist avail = { NULL, 0 };
	char *p, tmp[64];

	p = users_plugins("CREATE USER `u`@`%` IDENTIFIED BY PASSWORD '*A'");
	CHECK_STR(p, "mysql_native_password");
	free(p);
	p = users_plugins("CREATE USER `u`@`%` IDENTIFIED VIA ed25519 USING "
	    "'x' OR unix_socket");
	CHECK_STR(p, "ed25519,unix_socket");
	free(p);
	p = users_plugins("CREATE USER `u`@`%` IDENTIFIED WITH "
	    "'caching_sha2_password' AS 0x41 REQUIRE NONE PASSWORD EXPIRE "
	    "DEFAULT ACCOUNT LOCK PASSWORD HISTORY DEFAULT");
	CHECK_STR(p, "caching_sha2_password");
	free(p);
	CHECK(users_plugins("CREATE USER `via`@`%` PASSWORD EXPIRE") == NULL);
	strlist_add(&avail, "mysql_native_password");
	strlist_add(&avail, "unix_socket");
	CHECK(users_plugin_missing("mysql_native_password", &avail, tmp,
	    sizeof tmp) == NULL);
	CHECK_STR(users_plugin_missing("unix_socket,ed25519", &avail, tmp,
	    sizeof tmp), "ed25519");
	CHECK(users_plugin_missing(NULL, &avail, tmp, sizeof tmp) == NULL);
	strlist_free(&avail);
}

static void
test_filter(void)
{
	struct strlist inc = { NULL, 0 }, exc = { NULL, 0 };
	struct users_filter *f;
	struct err e;

	CHECK(users_is_system("mariadb.sys", "localhost"));
	CHECK(users_is_system("mysql.session", "localhost"));
	CHECK(users_is_system("root", "localhost"));
	CHECK(!users_is_system("root", "%"));
	CHECK(users_is_system("PUBLIC", ""));
	CHECK(!users_is_system("app", "%"));
	f = users_filter_new(&inc, &exc, &e);
	CHECK(users_filter_match(f, "anyone", "h"));
	users_filter_free(f);
	strlist_add(&inc, "app.*");
	strlist_add(&inc, "ops@10\\..*");
	strlist_add(&exc, "app_tmp");
	f = users_filter_new(&inc, &exc, &e);
	CHECK(users_filter_match(f, "app", "%"));
	CHECK(users_filter_match(f, "app2", "localhost"));
	CHECK(!users_filter_match(f, "app_tmp", "%"));
	CHECK(users_filter_match(f, "ops", "10.0.0.1"));
	CHECK(!users_filter_match(f, "ops", "%"));
	CHECK(!users_filter_match(f, "xapp", "%"));
	users_filter_free(f);
	strlist_add(&exc, "(");
	CHECK(users_filter_new(&inc, &exc, &e) == NULL);
	CHECK_INT(e.kind, ERR_USAGE);
	strlist_free(&inc);
	strlist_free(&exc);
	CHECK_INT(users_decide(0, 0, 0, NULL), USERS_DO_CREATE);
	CHECK_INT(users_decide(1, 0, 0, NULL), USERS_DO_SKIP);
	CHECK_INT(users_decide(1, 1, 0, NULL), USERS_DO_REPLACE);
	CHECK_INT(users_decide(0, 0, 0, "ed25519"), USERS_DO_REFUSE_PLUGIN);
	CHECK_INT(users_decide(1, 0, 0, "ed25519"), USERS_DO_SKIP);
	CHECK_INT(users_decide(1, 1, 1, NULL), USERS_DO_REFUSE_SELF);
}

static void
test_text(void)
{
	struct users_stmt in[2] = {
		{ USERS_CREATE, 0, "a b@c", "", "mysql_native_password",
		    "CREATE USER `a b@c`@``\nIDENTIFIED BY PASSWORD '*1'" },
		{ USERS_DEFAULT, 1, "r", "%", NULL,
		    "SET DEFAULT ROLE `r` TO `x`@`%`" },
	}, *out;
	struct buf b;
	struct err e;
	size_t n;

	buf_init(&b);
	buf_append_str(&b, "-- accounts\nSET NAMES utf8mb4;\n");
	users_text_add(&b, &in[0]);
	users_text_add(&b, &in[1]);
	CHECK(users_text_parse(b.data, b.len, "m", &out, &n, &e) == 0);
	CHECK_INT(n, 2);
	CHECK_STR(out[0].user, "a b@c");
	CHECK_STR(out[0].host, "");
	CHECK_STR(out[0].plugins, "mysql_native_password");
	CHECK_STR(out[0].sql, in[0].sql);
	CHECK_INT(out[1].kind, USERS_DEFAULT);
	CHECK_INT(out[1].role, 1);
	CHECK(out[1].plugins == NULL);
	users_stmts_free(out, n);
	/* one byte short: the statement no longer ends where it says */
	CHECK(users_text_parse(b.data, b.len - 1, "m", &out, &n, &e) == -1);
	CHECK_INT(e.kind, ERR_CORRUPT);
	CHECK(strstr(e.msg, "m: line 6") != NULL);
	buf_reset(&b);
	buf_append_str(&b, "-- myship create user a@b - 99999999999\nx;\n");
	CHECK(users_text_parse(b.data, b.len, "m", &out, &n, &e) == -1);
	/* a statement not of its kind never passes */
	buf_reset(&b);
	buf_append_str(&b, "-- myship grant user a@b - 17\nDROP DATABASE app;\n");
	CHECK(users_text_parse(b.data, b.len, "m", &out, &n, &e) == -1);
	CHECK(strstr(e.msg, "line 1") != NULL);
	buf_free(&b);
}

int
main(void)
{
	test_mask();
	test_rewrites();
	test_plugins();
	test_filter();
	test_text();
	return tap_done();
}
