-- tests/integration/hardcase-mysql.sql: what a logical backup gets wrong on
-- MySQL 8.0.x-9.x (hardcase.sql is MariaDB's).  Loaded by the test harness
-- (ms_sql) with: mariadb --binary-mode --default-character-set=utf8mb4.
-- Creates `myship_hard` and a second database with a hard name; the tables
-- the round trip asserts on (bin, autoinc, trg_target, trg_log) have the
-- same meaning as in hardcase.sql.

SET NAMES utf8mb4;
SET sql_mode = 'NO_ENGINE_SUBSTITUTION';
SET time_zone = '+05:30';
SET foreign_key_checks = 1;
SET SESSION group_concat_max_len = 67108864;

DROP DATABASE IF EXISTS `myship_hard`;
DROP DATABASE IF EXISTS `we``ird/..
db ü€`;

CREATE DATABASE `myship_hard` CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_as_cs;
USE `myship_hard`;

-- Identifiers: spaces, backticks, slash, dots, newline, non-ASCII.
CREATE TABLE `odd ``name``/../x` (
	`id` INT NOT NULL PRIMARY KEY,
	`col with space` VARCHAR(20),
	`back``tick` VARCHAR(20),
	`new
line` VARCHAR(20),
	`ünï€` VARCHAR(20) COLLATE utf8mb4_ja_0900_as_cs
) ENGINE=InnoDB COMMENT='odd; names';
INSERT INTO `odd ``name``/../x` VALUES
	(1, 'a b', '`', 'x\ny', 'ü€'), (2, NULL, '``', '', '日本語');

-- Binary bytes: NUL, invalid UTF-8, quotes, backslash, CR LF, ctrl-Z, 0xFF.
CREATE TABLE bin (id INT PRIMARY KEY, vb VARBINARY(255), bl BLOB, fb BINARY(4));
INSERT INTO bin VALUES
	(1, X'00', X'00', X'00000000'),
	(2, X'00FF00', X'C328', X'FF'),
	(3, X'', X'', X''),
	(4, NULL, NULL, NULL),
	(5, X'275C22600D0A1A', X'E28228A1', X'5C00275C');
INSERT INTO bin SELECT 7, NULL, GROUP_CONCAT(CHAR(seq USING binary) ORDER BY seq
	SEPARATOR ''), NULL FROM seq_0_to_255;
CREATE TABLE bits (id INT PRIMARY KEY, b1 BIT(1), b64 BIT(64), b7 BIT(7));
INSERT INTO bits VALUES (1, b'1', b'1111111111111111111111111111111111111111111111111111111111111111', b'0000001'),
	(2, b'0', b'0', NULL);

-- JSON: documents, scalars, strings with quotes and non-ASCII, a
-- partially updated document, NULL and JSON null, a big one.
CREATE TABLE js (id INT PRIMARY KEY, j JSON, note VARCHAR(20));
INSERT INTO js VALUES
	(1, '{"a": 1, "b": [1, 2.5, "x"], "c": {"d": null}}', 'doc'),
	(2, '"a \\"quoted\\" string with \' and ü€ 😀"', 'string'),
	(3, '42', 'int'), (4, '3.25', 'double'), (5, 'true', 'bool'),
	(6, 'null', 'json null'), (7, NULL, 'sql null'), (8, '[]', 'empty'),
	(9, '{"k": "line\\nbreak\\ttab\\\\back"}', 'escapes');
UPDATE js SET j = JSON_SET(j, '$.a', 2, '$.e', 'new') WHERE id = 1;
INSERT INTO js SELECT 10, JSON_ARRAYAGG(seq), 'big' FROM seq_1_to_3000;
-- Multi-valued and functional indexes over JSON.
CREATE TABLE jidx (
	id INT PRIMARY KEY,
	doc JSON,
	INDEX tags ((CAST(doc->'$.tags' AS UNSIGNED ARRAY))),
	INDEX lname ((CAST(doc->>'$.name' AS CHAR(30)) COLLATE utf8mb4_bin))
);
INSERT INTO jidx VALUES (1, '{"tags": [1, 2, 3], "name": "ann"}'),
	(2, '{"tags": [], "name": "bob"}');

-- Stored values that must come back as they were, never recomputed.
CREATE TABLE stamps (
	id INT PRIMARY KEY,
	ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
	ts6 TIMESTAMP(6) NULL DEFAULT CURRENT_TIMESTAMP(6),
	dt DATETIME DEFAULT CURRENT_TIMESTAMP,
	u BINARY(16) DEFAULT (UUID_TO_BIN(UUID())),
	r DOUBLE DEFAULT (RAND()),
	d DATE DEFAULT (CURRENT_DATE + INTERVAL 1 YEAR)
);
INSERT INTO stamps (id, ts, ts6, dt) VALUES
	(1, '2001-02-03 04:05:06', '2001-02-03 04:05:06.123456', '1999-12-31 23:59:59');
INSERT INTO stamps (id) VALUES (2);
UPDATE stamps SET ts = '2010-01-01 00:00:00' WHERE id = 2;
CREATE TABLE temporal (id INT PRIMARY KEY, d DATE, t TIME(3), dt DATETIME(6),
	y YEAR, ts TIMESTAMP NULL);
INSERT INTO temporal VALUES (1, '1000-01-01', '-838:59:59.000', '9999-12-31 23:59:59.999999',
	1901, '1970-01-01 05:30:01'), (2, NULL, '00:00:00.5', NULL, 2155, NULL);

-- INVISIBLE columns (SELECT * skips them), generated columns (never
-- dumped as values), a generated invisible primary key.
CREATE TABLE invis (id INT PRIMARY KEY, v INT, secret VARCHAR(10) INVISIBLE,
	g INT AS (v * 2) VIRTUAL, gs VARCHAR(30) AS (CONCAT(secret, '!')) STORED);
INSERT INTO invis (id, v, secret) VALUES (1, 10, 'hidden'), (2, NULL, NULL);
SET SESSION sql_generate_invisible_primary_key = ON;
CREATE TABLE gipk (a VARCHAR(10), b INT);
SET SESSION sql_generate_invisible_primary_key = OFF;
INSERT INTO gipk VALUES ('x', 1), ('y', 2), ('x', 1);
DELETE FROM gipk WHERE b = 2;
INSERT INTO gipk VALUES ('z', 3);
CREATE TABLE nokey (a INT, b VARCHAR(10));
INSERT INTO nokey VALUES (1, 'a'), (1, 'a'), (NULL, NULL);

-- AUTO_INCREMENT above the maximum survives.
CREATE TABLE autoinc (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(5));
INSERT INTO autoinc (v) VALUES ('a'), ('b');
INSERT INTO autoinc VALUES (5, 'c'), (100, 'd');
DELETE FROM autoinc WHERE id = 100;

-- Spatial with an SRID, CHECK constraints, descending and invisible
-- indexes, partitions, VECTOR.
CREATE TABLE geo (id INT PRIMARY KEY, p POINT NOT NULL SRID 4326,
	g GEOMETRY SRID 0, SPATIAL INDEX (p));
INSERT INTO geo VALUES (1, ST_GeomFromText('POINT(45 7)', 4326),
	ST_GeomFromText('LINESTRING(0 0, 1 1, 2 0)')),
	(2, ST_GeomFromText('POINT(-33.9 151.2)', 4326), NULL);
CREATE TABLE checked (id INT PRIMARY KEY, qty INT, price DECIMAL(10,2),
	CONSTRAINT qty_pos CHECK (qty > 0), CHECK (price < 1000) NOT ENFORCED,
	INDEX by_qty (qty DESC), INDEX inv (price) INVISIBLE);
INSERT INTO checked VALUES (1, 5, 9.99), (2, 1, 2000.00);
CREATE TABLE parted (id INT NOT NULL, v VARCHAR(10), PRIMARY KEY (id))
	PARTITION BY RANGE (id) (PARTITION p0 VALUES LESS THAN (10),
	PARTITION p1 VALUES LESS THAN (MAXVALUE));
INSERT INTO parted VALUES (1, 'a'), (50, 'b');
CREATE TABLE vec (id INT PRIMARY KEY, v VECTOR(3));
INSERT INTO vec VALUES (1, STRING_TO_VECTOR('[1.5, -2, 3e-7]')), (2, NULL);
CREATE TABLE charsets (id INT PRIMARY KEY,
	l1 VARCHAR(10) CHARACTER SET latin1, sj VARCHAR(10) CHARACTER SET sjis,
	u3 VARCHAR(10) CHARACTER SET utf8mb3, bx VARCHAR(10) CHARACTER SET binary);
INSERT INTO charsets VALUES (1, 'Müller', 'ｱｲｳ', 'ß', X'00FF'), (2, NULL, '', '', '');

-- Foreign keys.
CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(20));
CREATE TABLE child (id INT PRIMARY KEY, pid INT,
	FOREIGN KEY (pid) REFERENCES parent (id) ON DELETE CASCADE);
INSERT INTO parent VALUES (1, 'p');
INSERT INTO child VALUES (1, 1), (2, NULL);

-- Triggers that would alter data if they fired during a restore, one
-- ordered with FOLLOWS; routines, views and an event, each created under
-- its own sql_mode.
CREATE TABLE trg_target (id INT PRIMARY KEY, v VARCHAR(40));
CREATE TABLE trg_log (n INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(40));
DELIMITER ;;
CREATE TRIGGER trg_bi BEFORE INSERT ON trg_target FOR EACH ROW
BEGIN
	SET NEW.v = CONCAT('fired:', NEW.v);
END;;
CREATE TRIGGER trg_ai AFTER INSERT ON trg_target FOR EACH ROW
	INSERT INTO trg_log (what) VALUES (CONCAT('ins ', NEW.id));;
CREATE TRIGGER trg_ai2 AFTER INSERT ON trg_target FOR EACH ROW FOLLOWS trg_ai
	INSERT INTO trg_log (what) VALUES (CONCAT('then ', NEW.id));;
DELIMITER ;
INSERT INTO trg_target VALUES (1, 'a'), (2, 'b');
DELETE FROM trg_log WHERE what LIKE 'then %';
SET sql_mode = 'ANSI_QUOTES,NO_BACKSLASH_ESCAPES';
CREATE FUNCTION "twice" (x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
CREATE VIEW "v ""odd"" name" AS SELECT 'a\b' AS s, "id" FROM "parent";
SET sql_mode = 'NO_ENGINE_SUBSTITUTION';
DELIMITER //
CREATE PROCEDURE count_rows(OUT n INT)
BEGIN
	-- a comment with ; and DELIMITER ;; inside
	SELECT COUNT(*) INTO n FROM parent;
END//
DELIMITER ;
CREATE SQL SECURITY INVOKER VIEW v2 AS SELECT p.id, c.id AS cid FROM parent p
	JOIN child c ON c.pid = p.id WITH CHECK OPTION;
CREATE EVENT ev ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00'
	DISABLE COMMENT 'never runs' DO DELETE FROM trg_log WHERE n < 0;
CREATE TABLE my (id INT PRIMARY KEY, v TEXT) ENGINE=MyISAM;
INSERT INTO my VALUES (1, 'myisam');

-- MySQL 9: a JavaScript library and routines that import it (the server
-- keeps and describes them without the MLE component that runs them),
-- and a JSON duality view.
DELIMITER //
CREATE LIBRARY js_lib LANGUAGE JAVASCRIPT
AS $$ export function twice(n) { return n * 2; /* ; `x` 'y' */ } $$//
CREATE FUNCTION js_twice(n INT) RETURNS INT DETERMINISTIC
	LANGUAGE JAVASCRIPT USING (js_lib AS l) AS $$ return l.twice(n); $$//
CREATE PROCEDURE js_hello() LANGUAGE JAVASCRIPT USING (myship_hard.js_lib)
AS $$ console.log("a ; b `other`.`js_lib` 'd'"); $$//
DELIMITER ;
CREATE JSON RELATIONAL DUALITY VIEW parent_dv AS
	SELECT JSON_DUALITY_OBJECT('_id': id, 'name': name) FROM parent;

-- The second database: a hard name, its own charset, a table, a view, a
-- function.
CREATE DATABASE `we``ird/..
db ü€` CHARACTER SET latin1 COLLATE latin1_german2_ci;
USE `we``ird/..
db ü€`;
CREATE TABLE `t/ a``b` (id INT PRIMARY KEY, `x
y` VARCHAR(20) CHARACTER SET utf8mb4, l VARCHAR(20));
INSERT INTO `t/ a``b` VALUES (1, '😀', 'Müller'), (2, NULL, 'ß');
CREATE VIEW `v/` AS SELECT id FROM `t/ a``b`;
CREATE FUNCTION `f``` () RETURNS INT DETERMINISTIC RETURN 7;
