/*
 * Cutting secondary keys out of CREATE TABLE text: which keys go, that
 * the rest is kept byte for byte, and every shape that must be left alone.
 */
#include <stdlib.h>
#include <string.h>

#include "db/defer.h"
#include "util/buf.h"
#include "tap.h"

static struct defer_split d;

static int
cut(const char *q)
{
	return defer_split_create(q, strlen(q), &d);
}

static const char *
created(void)
{
	return buf_cstr(&d.create);
}

static const char *
adds(void)
{
	return buf_cstr(&d.adds);
}

static void
test_sbtest(void)
{
	CHECK_INT(cut("CREATE TABLE `sbtest1` (\n"
	    "  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n"
	    "  `k` int(10) unsigned NOT NULL DEFAULT 0,\n"
	    "  `c` char(120) NOT NULL DEFAULT '',\n"
	    "  PRIMARY KEY (`id`),\n"
	    "  KEY `k_1` (`k`)\n"
	    ") ENGINE=InnoDB AUTO_INCREMENT=1000001 DEFAULT CHARSET=utf8mb4"),
	    1);
	CHECK_STR(d.table, "sbtest1");
	CHECK_STR(created(), "CREATE TABLE `sbtest1` (\n"
	    "  `id` int(10) unsigned NOT NULL AUTO_INCREMENT,\n"
	    "  `k` int(10) unsigned NOT NULL DEFAULT 0,\n"
	    "  `c` char(120) NOT NULL DEFAULT '',\n"
	    "  PRIMARY KEY (`id`)\n"
	    ") ENGINE=InnoDB AUTO_INCREMENT=1000001 DEFAULT CHARSET=utf8mb4");
	CHECK_STR(adds(), "ADD KEY `k_1` (`k`)");
	CHECK_INT(d.has_fk, 0);
}

static void
test_unique_and_quotes(void)
{
	/* Names and strings holding commas, parentheses, quotes, newlines. */
	CHECK_INT(cut("CREATE TABLE `a``b,(c` (\n"
	    "  `x,)` int NOT NULL,\n"
	    "  `y\n` varchar(10) DEFAULT 'it''s, (\\' KEY',\n"
	    "  `z` text COMMENT 'KEY `q` (`x`), PRIMARY KEY',\n"
	    "  PRIMARY KEY (`x,)`),\n"
	    "  UNIQUE KEY `u,1` (`y\n`),\n"
	    "  KEY `k(` (`z`(10)) COMMENT 'a, b',\n"
	    "  FULLTEXT KEY `ft` (`z`)\n"
	    ") ENGINE=InnoDB"), 1);
	CHECK_STR(d.table, "a`b,(c");
	CHECK_STR(created(), "CREATE TABLE `a``b,(c` (\n"
	    "  `x,)` int NOT NULL,\n"
	    "  `y\n` varchar(10) DEFAULT 'it''s, (\\' KEY',\n"
	    "  `z` text COMMENT 'KEY `q` (`x`), PRIMARY KEY',\n"
	    "  PRIMARY KEY (`x,)`),\n"
	    "  FULLTEXT KEY `ft` (`z`)\n"
	    ") ENGINE=InnoDB");
	CHECK_STR(adds(), "ADD UNIQUE KEY `u,1` (`y\n`), "
	    "ADD KEY `k(` (`z`(10)) COMMENT 'a, b'");
}

static void
test_no_primary(void)
{
	/* Without a primary key a unique key may be the clustered index. */
	CHECK_INT(cut("CREATE TABLE `t` (\n  `a` int NOT NULL,\n  `b` int,\n"
	    "  UNIQUE KEY `a` (`a`),\n  KEY `b` (`b`)\n) ENGINE=InnoDB"), 1);
	CHECK_STR(created(), "CREATE TABLE `t` (\n  `a` int NOT NULL,\n"
	    "  `b` int,\n  UNIQUE KEY `a` (`a`)\n) ENGINE=InnoDB");
	CHECK_STR(adds(), "ADD KEY `b` (`b`)");
	/* No key at all to cut. */
	CHECK_INT(cut("CREATE TABLE `t` (\n  `a` int,\n  PRIMARY KEY (`a`)\n"
	    ") ENGINE=InnoDB"), 0);
	CHECK_STR(d.table, "t");
}

static void
test_auto_increment(void)
{
	/* The AUTO_INCREMENT column leads only a secondary key: keep all. */
	CHECK_INT(cut("CREATE TABLE `t` (\n  `a` int NOT NULL,\n"
	    "  `b` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`a`,`b`),\n"
	    "  KEY `b` (`b`)\n) ENGINE=InnoDB"), 0);
	/* It leads a kept unique key of a table without primary key. */
	CHECK_INT(cut("CREATE TABLE `t` (\n  `b` int NOT NULL AUTO_INCREMENT,\n"
	    "  `c` int,\n  UNIQUE KEY `b` (`b`),\n  KEY `c` (`c`)\n"
	    ") ENGINE=InnoDB AUTO_INCREMENT=5"), 1);
	CHECK_STR(adds(), "ADD KEY `c` (`c`)");
}

static void
test_foreign_keys(void)
{
	CHECK_INT(cut("CREATE TABLE `c` (\n  `id` int NOT NULL,\n"
	    "  `p` int,\n  `q` int,\n  PRIMARY KEY (`id`),\n"
	    "  KEY `p` (`p`),\n  KEY `q` (`q`),\n"
	    "  CONSTRAINT `f1` FOREIGN KEY (`p`) REFERENCES `par``x` (`id`) "
	    "ON DELETE CASCADE,\n"
	    "  CONSTRAINT `f2` FOREIGN KEY (`q`) REFERENCES `o.db`.`t` (`u`)\n"
	    ") ENGINE=InnoDB"), 0);
	CHECK_STR(d.table, "c");
	CHECK_INT(d.has_fk, 1);
	CHECK_INT(d.ref_tables.n, 2);
	if (d.ref_tables.n == 2) {
		CHECK_STR(d.ref_dbs.v[0], "");
		CHECK_STR(d.ref_tables.v[0], "par`x");
		CHECK_STR(d.ref_dbs.v[1], "o.db");
		CHECK_STR(d.ref_tables.v[1], "t");
	}
}

static void
test_left_alone(void)
{
	static const char *const keep[] = {
		/* spatial key */
		"CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `g` point NOT NULL,"
		"\n  `k` int,\n  PRIMARY KEY (`id`),\n  KEY `k` (`k`),\n"
		"  SPATIAL KEY `g` (`g`)\n) ENGINE=InnoDB",
		/* long unique (hash) */
		"CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `b` blob,\n"
		"  PRIMARY KEY (`id`),\n  UNIQUE KEY `b` (`b`) USING HASH,\n"
		"  KEY `k` (`id`,`b`(3))\n) ENGINE=InnoDB",
		/* system versioning */
		"CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `k` int,\n"
		"  PRIMARY KEY (`id`),\n  KEY `k` (`k`)\n) ENGINE=InnoDB "
		"WITH SYSTEM VERSIONING",
		"CREATE TABLE `t` (\n  `id` int NOT NULL,\n  `k` int WITHOUT "
		"SYSTEM VERSIONING,\n  PRIMARY KEY (`id`),\n  KEY `k` (`k`)\n"
		") ENGINE=InnoDB",
		/* a period, an unknown definition */
		"CREATE TABLE `t` (\n  `s` date,\n  `e` date,\n  `k` int,\n"
		"  KEY `k` (`k`),\n  PERIOD FOR `p` (`s`, `e`)\n) ENGINE=InnoDB",
		"CREATE TABLE `t` (\n  `v` int,\n  VECTOR KEY `v` (`v`),\n"
		"  KEY `k` (`v`)\n) ENGINE=InnoDB",
	};
	static const char *const bad[] = {
		"CREATE TABLE `t` (\n  `a` int,\n  KEY `a` (`a`)\n",
		"CREATE TABLE `t` (\n  `a` int DEFAULT 'x,\n  KEY `a` (`a`)\n)",
		"CREATE TABLE t (a int, KEY a (a))",
		"CREATE TABLE `t` (\n  ,KEY `a` (`a`)\n) ENGINE=InnoDB",
	};
	size_t i;

	for (i = 0; i < sizeof keep / sizeof keep[0]; i++) {
		CHECK_INT(cut(keep[i]), 0);
		CHECK_STR(d.table, "t");
	}
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		CHECK_INT(cut(bad[i]), 0);
		CHECK(d.table == NULL);
	}
	CHECK_INT(cut("CREATE DATABASE `t`"), 0);
	CHECK(d.table == NULL);
	CHECK_INT(cut("INSERT INTO `t` VALUES (1)"), 0);
	CHECK(d.table == NULL);
}

/* Whose INSERTs may go as LOAD DATA: not with BIT or MySQL JSON columns. */
static void
test_plain_rows(void)
{
	cut("CREATE TABLE `t` (\n  `a` int NOT NULL,\n  `jsonish` int,\n"
	    "  `b` varchar(9) COMMENT 'json',\n  PRIMARY KEY (`a`)\n) ENGINE=InnoDB");
	CHECK_INT(d.plain_rows, 1);
	cut("CREATE TABLE `t` (\n  `a` int NOT NULL,\n  `j` json DEFAULT NULL,\n"
	    "  PRIMARY KEY (`a`)\n) ENGINE=InnoDB");
	CHECK_INT(d.plain_rows, 0);
	cut("CREATE TABLE `t` (\n  `a` int NOT NULL,\n  `j` JSON,\n"
	    "  PRIMARY KEY (`a`)\n) ENGINE=InnoDB");
	CHECK_INT(d.plain_rows, 0);
	cut("CREATE TABLE `t` (\n  `a` int NOT NULL,\n  `b` bit(1),\n"
	    "  PRIMARY KEY (`a`)\n) ENGINE=InnoDB");
	CHECK_INT(d.plain_rows, 0);
	/* MariaDB's JSON is LONGTEXT: its text loads as any string. */
	cut("CREATE TABLE `t` (\n  `a` int NOT NULL,\n  `j` longtext CHARACTER "
	    "SET utf8mb4 COLLATE utf8mb4_bin DEFAULT NULL CHECK (json_valid(`j`)),"
	    "\n  PRIMARY KEY (`a`)\n) ENGINE=InnoDB");
	CHECK_INT(d.plain_rows, 1);
}

static void
test_first_key(void)
{
	char *k;

	CHECK_STR(k = defer_first_key("ADD KEY `k_c` (`c`), ADD KEY `x` (`x`)"),
	    "k_c");
	free(k);
	CHECK_STR(k = defer_first_key("ADD UNIQUE KEY `we``ird` (`a`,`b`)"),
	    "we`ird");
	free(k);
	CHECK(defer_first_key("ADD KEY `open") == NULL);
	CHECK(defer_first_key("") == NULL);
	CHECK(defer_first_key(NULL) == NULL);
}

int
main(void)
{
	test_first_key();
	defer_split_init(&d);
	test_sbtest();
	test_unique_and_quotes();
	test_no_primary();
	test_auto_increment();
	test_foreign_keys();
	test_left_alone();
	test_plain_rows();
	defer_split_free(&d);
	return tap_done();
}
