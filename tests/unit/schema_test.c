/* The text helpers of db/schema.c and the SHOW GRANTS reading of db/privs.c. */
#include <stdlib.h>
#include <string.h>

#include "db/privs.h"
#include "db/schema.h"
#include "db/schema_order.h"
#include "tap.h"

static void
test_unqualify_sequences(void)
{
	char *s;

	s = schema_unqualify_sequences("CREATE TABLE `t` (\n  `n` bigint(20) "
	    "DEFAULT nextval(`we``ird db`.`seq1`),\n  `m` int DEFAULT "
	    "lastval(`other`.`s`)\n) COMMENT='nextval(`we``ird db`.`x`)'",
	    "we`ird db");
	CHECK_STR(s, "CREATE TABLE `t` (\n  `n` bigint(20) DEFAULT "
	    "nextval(`seq1`),\n  `m` int DEFAULT lastval(`other`.`s`)\n) "
	    "COMMENT='nextval(`we``ird db`.`x`)'");
	free(s);
	/* A column named like the database is left alone. */
	s = schema_unqualify_sequences("CREATE TABLE `d` (`d` int, KEY (`d`))",
	    "d");
	CHECK_STR(s, "CREATE TABLE `d` (`d` int, KEY (`d`))");
	free(s);
}

static void
test_inherit_collation(void)
{
	char *s;

	/* MySQL's text for columns inheriting utf8mb4_0900_as_cs. */
	s = schema_inherit_collation("CREATE TABLE `t` (\n  `id` int NOT NULL,\n"
	    "  `v` varchar(5) COLLATE utf8mb4_0900_as_cs DEFAULT ' COLLATE "
	    "utf8mb4_0900_as_cs,',\n  `e` varchar(5) CHARACTER SET utf8mb4 "
	    "COLLATE utf8mb4_0900_as_cs,\n  `o` text COLLATE utf8mb4_bin,\n"
	    "  `g` varchar(9) COLLATE utf8mb4_0900_as_cs GENERATED ALWAYS AS "
	    "(concat(`v`,_utf8mb4'!')) STORED,\n  `l` text COLLATE "
	    "utf8mb4_0900_as_cs,\n  PRIMARY KEY (`id`),\n  KEY `k` ((cast(`v` as "
	    "char(3)) collate utf8mb4_0900_as_cs))\n) ENGINE=InnoDB DEFAULT "
	    "CHARSET=utf8mb4 COLLATE=utf8mb4_0900_as_cs");
	CHECK_STR(s, "CREATE TABLE `t` (\n  `id` int NOT NULL,\n"
	    "  `v` varchar(5) DEFAULT ' COLLATE utf8mb4_0900_as_cs,',\n"
	    "  `e` varchar(5) CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_as_cs,"
	    "\n  `o` text COLLATE utf8mb4_bin,\n  `g` varchar(9) GENERATED "
	    "ALWAYS AS (concat(`v`,_utf8mb4'!')) STORED,\n  `l` text,\n"
	    "  PRIMARY KEY (`id`),\n  KEY `k` ((cast(`v` as char(3)) collate "
	    "utf8mb4_0900_as_cs))\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 "
	    "COLLATE=utf8mb4_0900_as_cs");
	free(s);
	/* No table COLLATE=: nothing to inherit, the text stays. */
	s = schema_inherit_collation("CREATE TABLE `t` (`v` text COLLATE "
	    "latin1_bin) DEFAULT CHARSET=latin1");
	CHECK_STR(s, "CREATE TABLE `t` (`v` text COLLATE latin1_bin) DEFAULT "
	    "CHARSET=latin1");
	free(s);
}

static void
test_unqualify_view(void)
{
	char *s;

	s = schema_unqualify_view("CREATE VIEW `v` AS select `o`.`d`.`i` AS "
	    "`i`,`d`.`t1`.`id` AS `id`,'`d`.`x`' AS `s` from (`o`.`d` join "
	    "`d`.`t1`)", "d");
	CHECK_STR(s, "CREATE VIEW `v` AS select `o`.`d`.`i` AS `i`,`t1`.`id` "
	    "AS `id`,'`d`.`x`' AS `s` from (`o`.`d` join `t1`)");
	free(s);
	s = schema_unqualify_view("CREATE VIEW `a``b` AS select 1 AS `a``b`",
	    "a`b");
	CHECK_STR(s, "CREATE VIEW `a``b` AS select 1 AS `a``b`");
	free(s);
}

/* MySQL 9: a routine's own-database libraries follow a rename. */
static void
test_unqualify_using(void)
{
	char *s;

	s = schema_unqualify_using("CREATE FUNCTION `f`(a INT) RETURNS int\n"
	    "    LANGUAGE JAVASCRIPT\n    USING (`d`.`l)``1` AS `x`, `o`.`l2`, "
	    "`d`.`l3`)\nAS $$ return '`d`.`l`' $$", "d");
	CHECK_STR(s, "CREATE FUNCTION `f`(a INT) RETURNS int\n"
	    "    LANGUAGE JAVASCRIPT\n    USING (`l)``1` AS `x`, `o`.`l2`, "
	    "`l3`)\nAS $$ return '`d`.`l`' $$");
	free(s);
	s = schema_unqualify_using("CREATE PROCEDURE `p`() SELECT '`d`.`x`'",
	    "d");
	CHECK_STR(s, "CREATE PROCEDURE `p`() SELECT '`d`.`x`'");
	free(s);
}

static void
test_view_reads(void)
{
	const char *def = "select `z_base`.`id` AS `id` from `we``ird db`."
	    "`z_base` where `s` <> '`we``ird db`.`a_top`'";

	CHECK(schema_view_reads(def, "we`ird db", "z_base"));
	CHECK(!schema_view_reads(def, "we`ird db", "a_top"));
	CHECK(!schema_view_reads(def, "other", "z_base"));
	CHECK(!schema_view_reads("select \"`d`.`v`\" AS `x`", "d", "v"));
}

static void
test_delimiter(void)
{
	char tmp[32];

	CHECK_STR(schema_delimiter("BEGIN SELECT 1; END", tmp, sizeof tmp),
	    ";;");
	CHECK_STR(schema_delimiter("SELECT ';;'", tmp, sizeof tmp), "$$");
	CHECK_STR(schema_delimiter(";; $$ // ;;;;", tmp, sizeof tmp),
	    "$$1$$");
}

static void
test_grants(void)
{
	struct grants *g = grants_new();

	CHECK_INT(grants_add_line(g, "GRANT `r1` TO `bk`@`localhost`"), 1);
	CHECK_INT(grants_add_line(g, "GRANT SELECT, RELOAD, BINLOG MONITOR, "
	    "SLAVE MONITOR ON *.* TO `bk`@`localhost` IDENTIFIED BY PASSWORD "
	    "'*D8'"), 0);
	CHECK_INT(grants_add_line(g, "GRANT EVENT ON `other`.* TO "
	    "`bk`@`localhost`"), 0);
	CHECK_INT(grants_add_line(g, "GRANT TRIGGER ON `we``ird%`.* TO `r1`"),
	    0);
	CHECK_INT(grants_add_line(g, "GRANT ALL PRIVILEGES ON `app\\_db`.* TO "
	    "`r2`"), 0);
	CHECK_INT(grants_add_line(g, "GRANT SELECT (`a`, `b`), INSERT ON "
	    "`x`.`t` TO `bk`@`%`"), 0);
	CHECK_INT(grants_add_line(g, "GRANT EXECUTE ON PROCEDURE `x`.`p` TO "
	    "`bk`@`%`"), 1);
	CHECK_INT(grants_add_line(g, "GRANT PROXY ON ''@'%' TO 'root'@'h' "
	    "WITH GRANT OPTION"), 1);
	CHECK_INT(grants_add_line(g, "GRANT USAGE ON `ON TO`.* TO `u`"), 0);

	CHECK(grants_have(g, "SELECT", "anything", NULL));
	CHECK(grants_have(g, "RELOAD", NULL, NULL));
	CHECK(grants_have(g, "EVENT", "other", NULL));
	CHECK(!grants_have(g, "EVENT", "others", NULL));
	CHECK(!grants_have(g, "EVENT", NULL, NULL));
	CHECK(grants_have(g, "TRIGGER", "we`ird db", NULL));
	CHECK(!grants_have(g, "TRIGGER", "weird", NULL));
	CHECK(grants_have(g, "SHOW VIEW", "app_db", NULL));
	CHECK(!grants_have(g, "SHOW VIEW", "appXdb", NULL));
	CHECK(grants_have(g, "INSERT", "x", "t"));
	CHECK(!grants_have(g, "INSERT", "x", NULL));
	CHECK(!grants_have(g, "SELECT (`A`", "x", "t"));
	CHECK(grants_have(g, "USAGE", "ON TO", NULL));
	grants_free(g);
}

static void
test_missing(void)
{
	struct grants *g = grants_new();
	struct host_cfg h;
	struct db_server srv;
	struct strlist dbs = { NULL, 0 }, missing = { NULL, 0 };
	struct strlist notes = { NULL, 0 };

	memset(&h, 0, sizeof h);
	memset(&srv, 0, sizeof srv);
	h.name = "db1";
	h.role = "replica";
	srv.version = "10.11.19-MariaDB";
	srv.is_mariadb = 1;
	srv.major = 10;
	srv.minor = 11;
	srv.patch = 19;
	strlist_add(&dbs, "app");
	strlist_add(&dbs, "shop");
	grants_add_line(g, "GRANT SELECT, SHOW VIEW ON *.* TO `b`@`%`");
	grants_add_line(g, "GRANT TRIGGER ON `app`.* TO `b`@`%`");
	privs_backup_missing(g, &h, &srv, &dbs, 1, &missing, &notes);
	CHECK_INT(missing.n, 3);
	if (missing.n == 3) {
		CHECK_STR(missing.v[0], "TRIGGER (on shop)");
		CHECK_STR(missing.v[1], "EVENT");
		CHECK_STR(missing.v[2], "SLAVE MONITOR");
	}
	CHECK_INT(notes.n, 1);
	strlist_free(&missing);
	strlist_free(&notes);
	grants_free(g);

	g = grants_new();
	grants_add_line(g, "GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost`");
	h.role = NULL;
	privs_backup_missing(g, &h, &srv, &dbs, 1, &missing, &notes);
	CHECK_INT(missing.n, 0);
	CHECK_INT(notes.n, 0);
	grants_free(g);

	g = grants_new();
	grants_add_line(g, "GRANT SELECT, SHOW VIEW, TRIGGER, EVENT ON `app`.* "
	    "TO `b`@`%`");
	strlist_free(&dbs);
	strlist_add(&dbs, "app");
	privs_backup_missing(g, &h, &srv, &dbs, 1, &missing, &notes);
	CHECK_INT(missing.n, 2);
	if (missing.n == 2) {
		CHECK_STR(missing.v[0], "SHOW DATABASES");
		CHECK_STR(missing.v[1], "SELECT on mysql.proc");
	}
	strlist_free(&missing);
	strlist_free(&notes);
	strlist_free(&dbs);
	grants_free(g);
}

/* Runs schema_order_dbs on dbs given as "name:view=def;view=def". */
static char *
order_of(const char *const *spec, size_t n)
{
	static char out[256];
	struct schema_order_db od[8];
	struct strlist views[8], defs[8];
	char *names[8], *p, *q, *eq, tmp[512];
	size_t i, order[8];

	memset(od, 0, sizeof od);
	memset(views, 0, sizeof views);
	memset(defs, 0, sizeof defs);
	for (i = 0; i < n; i++) {
		snprintf(tmp, sizeof tmp, "%s", spec[i]);
		p = strchr(tmp, ':');
		*p++ = '\0';
		names[i] = strdup(tmp);
		for (; p != NULL && *p != '\0'; p = q) {
			if ((q = strchr(p, ';')) != NULL)
				*q++ = '\0';
			eq = strchr(p, '=');
			*eq = '\0';
			strlist_add(&views[i], p);
			strlist_add(&defs[i], eq + 1);
		}
		od[i].name = names[i];
		od[i].views = &views[i];
		od[i].defs = &defs[i];
	}
	schema_order_dbs(od, n, order);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(out, i > 0 ? "," : "");
		strcat(out, names[order[i]]);
	}
	for (i = 0; i < n; i++) {
		free(names[i]);
		strlist_free(&views[i]);
		strlist_free(&defs[i]);
	}
	return out;
}

static void
test_order_dbs(void)
{
	/* a's view reads b's view: b first; a table of c is no reason. */
	static const char *const chain[] = {
	    "a:v=select `b`.`w`.`x` AS `x` from `b`.`w`",
	    "b:w=select `c`.`t`.`x` AS `x` from `c`.`t`",
	    "c:cv=select 1 AS `1`" };
	/* b reads a table of a and a view of c: c first, a stays first. */
	static const char *const tables[] = {
	    "a:v=select `a`.`t`.`id` AS `id` from `a`.`t`",
	    "b:w=select `a`.`t`.`id` AS `id` from `a`.`t` join `c`.`cv`",
	    "c:cv=select 1 AS `1`" };
	/* a cycle (a.v1 -> b.w1, b.w2 -> a.v2): the edge closing it is dropped. */
	static const char *const cycle[] = {
	    "a:v1=select * from `b`.`w1`;v2=select 1 AS `1`",
	    "b:w1=select 2 AS `2`;w2=select * from `a`.`v2`" };
	/* a name inside a string or a prefix of another is no reference. */
	static const char *const strings[] = {
	    "a:v=select '`b`.`w`' AS `s` from `bb`.`w`",
	    "b:w=select 1 AS `1`", "bb:w=select 2 AS `2`" };
	static const char *const none[] = { "x:", "y:", "z:" };

	CHECK_STR(order_of(chain, 3), "b,a,c");
	CHECK_STR(order_of(tables, 3), "a,c,b");
	CHECK_STR(order_of(cycle, 2), "b,a");
	CHECK_STR(order_of(strings, 3), "bb,a,b");
	CHECK_STR(order_of(none, 3), "x,y,z");
	CHECK_STR(order_of(none, 0), "");
}

/*
 * A program's UTF-8 name, trigger table and COMMENT go back into its
 * client's bytes (koi8r here); the body is left as it is.
 */
static void
test_program_recode(void)
{
	struct program_recode f;
	char *s;

	memset(&f, 0, sizeof f);
	f.word = "TRIGGER";
	f.name_from = "\xd1\x82";	/* U+0442 in UTF-8 */
	f.name_to = "\xd4";	/* and in koi8r */
	f.table_from = "\xd0\xb1";
	f.table_to = "\xc2";
	s = schema_program_recode("CREATE DEFINER=`r`@`h` TRIGGER `\xd1\x82` "
	    "BEFORE INSERT ON `\xd0\xb1` FOR EACH ROW SET @x='ON `\xd0\xb1`'",
	    &f);
	CHECK_STR(s, "CREATE DEFINER=`r`@`h` TRIGGER `\xd4` BEFORE INSERT ON "
	    "`\xc2` FOR EACH ROW SET @x='ON `\xd0\xb1`'");
	free(s);
	/* MariaDB prints a routine's name in the client's bytes already. */
	memset(&f, 0, sizeof f);
	f.word = "FUNCTION";
	f.name_from = "\xd1\x82";
	f.name_to = "\xd4";
	f.comment_from = "\xd1\x82'\\\n";
	f.comment_to = "\xd4'\\\n";
	s = schema_program_recode("CREATE FUNCTION `\xd4`() RETURNS int\n"
	    "    COMMENT '\xd1\x82''\\\\\\n'\nRETURN 1", &f);
	CHECK_STR(s, "CREATE FUNCTION `\xd4`() RETURNS int\n"
	    "    COMMENT '\xd4''\\\\\n'\nRETURN 1");
	free(s);
	/* Under NO_BACKSLASH_ESCAPES only quotes are doubled. */
	f.nbe = 1;
	s = schema_program_recode("CREATE FUNCTION `\xd4`() COMMENT "
	    "'\xd1\x82''\\\\\\n' RETURN 1", &f);
	CHECK_STR(s, "CREATE FUNCTION `\xd4`() COMMENT '\xd4''\\\n' "
	    "RETURN 1");
	free(s);
	/* Under ANSI_QUOTES the server prints names in double quotes. */
	f.ansi = 1;
	f.nbe = 0;
	f.name_from = "a\"\xd1\x82";
	f.name_to = "a\"\xd4";
	s = schema_program_recode("CREATE DEFINER=\"r\"@\"h\" FUNCTION "
	    "\"a\"\"\xd1\x82\"() COMMENT '\xd1\x82''\\\\\\n' RETURN 1", &f);
	CHECK_STR(s, "CREATE DEFINER=\"r\"@\"h\" FUNCTION \"a\"\"\xd4\"() "
	    "COMMENT '\xd4''\\\\\n' RETURN 1");
	free(s);
	f.ansi = 0;
	f.name_from = "\xd1\x82";
	f.name_to = "\xd4";
	/* A COMMENT that is not the one information_schema has is kept. */
	f.word = "PACKAGE";
	s = schema_program_recode("CREATE PACKAGE BODY `\xd1\x82` COMMENT "
	    "'other' AS BEGIN END", &f);
	CHECK_STR(s, "CREATE PACKAGE BODY `\xd4` COMMENT 'other' AS "
	    "BEGIN END");
	free(s);
}

int
main(void)
{
	/* SETVAL never moves back: below START takes a RESTART first. */
	CHECK_INT(schema_sequence_restart("33", "49", "37"), 1);
	CHECK_INT(schema_sequence_restart("49", "49", "37"), 0);
	CHECK_INT(schema_sequence_restart("160", "49", "37"), 0);
	CHECK_INT(schema_sequence_restart("-13", "-10", "-3"), 0);
	CHECK_INT(schema_sequence_restart("5", "-10", "-3"), 1);
	CHECK_INT(schema_sequence_restart("-9223372036854775807", "1", "1"), 1);
	test_order_dbs();
	test_unqualify_sequences();
	test_inherit_collation();
	test_unqualify_view();
	test_unqualify_using();
	test_view_reads();
	test_delimiter();
	test_program_recode();
	test_grants();
	test_missing();
	return tap_done();
}
