-- tests/integration/hardcase.sql: every case a logical backup gets wrong.
-- Load with: mariadb --binary-mode --default-character-set=utf8mb4 < hardcase.sql
-- Creates two databases: `myship_hard` and a second one whose name holds
-- a backtick, '/', '..', a newline and non-ASCII characters.
-- The file itself is UTF-8; bytes that are not text are written as X'..'.

SET NAMES utf8mb4;
SET sql_mode = 'NO_ENGINE_SUBSTITUTION';
SET time_zone = '+05:30';
SET foreign_key_checks = 1;
SET SESSION group_concat_max_len = 67108864;

DROP DATABASE IF EXISTS `myship_hard`;
DROP DATABASE IF EXISTS `we``ird/..
db ü€`;

CREATE DATABASE `myship_hard` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci
    COMMENT 'hard cases; with ''quotes'' and "double" quotes';
USE `myship_hard`;

-- Identifiers: spaces, backticks, slash, dots, newline, non-ASCII.
CREATE TABLE `odd ``name``/../x` (
	`id` INT NOT NULL PRIMARY KEY,
	`col with space` VARCHAR(20),
	`back``tick` VARCHAR(20),
	`sl/ash` INT,
	`dot..dot` INT,
	`new
line` VARCHAR(20),
	`ünï€` VARCHAR(20)
) ENGINE=InnoDB COMMENT='odd; names';
INSERT INTO `odd ``name``/../x` VALUES
	(1, 'a b', '`', 1, 2, 'x\ny', 'ü€'),
	(2, NULL, '``', NULL, -1, '', '日本語');
CREATE TABLE `..` (id INT PRIMARY KEY, v VARCHAR(5));
INSERT INTO `..` VALUES (1, '..');

-- NULL versus 'NULL' versus '' versus the text \N.
CREATE TABLE nulls (
	id INT PRIMARY KEY,
	v VARCHAR(10) NULL,
	c CHAR(5) NULL
);
INSERT INTO nulls VALUES (1, NULL, NULL), (2, 'NULL', 'NULL'), (3, '', ''),
	(4, 'null', 'n'), (5, '\\N', '\\N'), (6, 'N', '\t'), (7, ' ', ' x');

-- Binary bytes: NUL, invalid UTF-8, quotes, backslash, CR LF, ctrl-Z, 0xFF.
CREATE TABLE bin (
	id INT PRIMARY KEY,
	vb VARBINARY(255),
	bl BLOB,
	fb BINARY(4)
);
INSERT INTO bin VALUES
	(1, X'00', X'00', X'00000000'),
	(2, X'00FF00', X'C328', X'FF'),
	(3, X'', X'', X''),
	(4, NULL, NULL, NULL),
	(5, X'275C22600D0A1A', X'E28228A1', X'5C00275C'),
	(6, X'C0AF', X'EDA080', X'F8888080');
INSERT INTO bin SELECT 7, NULL, GROUP_CONCAT(CHAR(seq) ORDER BY seq SEPARATOR ''),
	NULL FROM seq_0_to_255;

-- BIT.
CREATE TABLE bits (id INT PRIMARY KEY, b1 BIT(1), b64 BIT(64), b7 BIT(7));
INSERT INTO bits VALUES (1, b'0', b'0', b'0'), (2, b'1',
	b'1111111111111111111111111111111111111111111111111111111111111111',
	b'1111111'), (3, NULL, 0x8000000000000000, b'1010101'),
	(4, 1, 1, 64);

-- Exact numbers at their limits.
CREATE TABLE nums (
	id INT PRIMARY KEY,
	d DECIMAL(65,30),
	du DECIMAL(10,0) UNSIGNED,
	ti TINYINT,
	tu TINYINT UNSIGNED,
	bi BIGINT,
	bu BIGINT UNSIGNED,
	mi MEDIUMINT
);
INSERT INTO nums VALUES
	(1, 99999999999999999999999999999999999.999999999999999999999999999999,
	    9999999999, 127, 255, 9223372036854775807, 18446744073709551615,
	    8388607),
	(2, -99999999999999999999999999999999999.999999999999999999999999999999,
	    0, -128, 0, -9223372036854775808, 0, -8388608),
	(3, 0.000000000000000000000000000001, 1, 0, 1, 0, 1, 0),
	(4, 0, NULL, NULL, NULL, NULL, NULL, NULL),
	(5, -0.000000000000000000000000000001, 42, -1, 128, -1,
	    9223372036854775808, -1);

-- Approximate numbers: denormals, extremes, values not exact in binary.
CREATE TABLE floats (id INT PRIMARY KEY, f FLOAT, d DOUBLE, fu FLOAT(10,3));
INSERT INTO floats VALUES
	(1, 0.1, 0.1, 0.1),
	(2, 16777217, 16777217, 1.5),
	(3, 3.4028234e38, 1.7976931348623157e308, -999999.999),
	(4, 1.17549435e-38, 2.2250738585072014e-308, 0),
	(5, 1.4e-45, 4.9e-324, NULL),
	(6, -0.0, -0.0, -0.0),
	(7, 1e30, 1e308, 123.456),
	(8, 1/3, 1/3, 1/3),
	(9, -3.4028234e38, -1e-300, 0.001),
	(10, NULL, NULL, NULL),
	(11, 123456.789, 0.30000000000000004, 1);

-- Temporal types: limits, negative and > 24 h times, fractions.  The
-- session time zone is +05:30 so TIMESTAMP values are converted at insert.
CREATE TABLE temporal (
	id INT PRIMARY KEY,
	d DATE,
	dt DATETIME(6),
	t TIME(6),
	ts TIMESTAMP(6) NULL DEFAULT NULL,
	y YEAR,
	t0 TIME
);
INSERT INTO temporal VALUES
	(1, '1000-01-01', '1000-01-01 00:00:00.000000', '-838:59:59.000000',
	    '1970-01-01 05:30:01.000001', 1901, '00:00:00'),
	(2, '9999-12-31', '9999-12-31 23:59:59.999999', '838:59:59.000000',
	    '2038-01-19 08:44:07.999999', 2155, '-00:00:01'),
	(3, '2024-02-29', '2024-02-29 12:34:56.123456', '-00:00:00.500000',
	    '2024-03-31 02:30:00.5', 2000, '25:00:00'),
	(4, NULL, NULL, '25:00:00.123456', NULL, NULL, NULL),
	(5, '2021-03-28', '2021-03-28 02:30:00', '100:00:00.000001',
	    '2021-10-31 01:30:00', 1970, '-100:00:00');

-- Zero dates and zero-in-date: only a lax sql_mode accepts them.
SET sql_mode = '';
CREATE TABLE zerodates (
	id INT PRIMARY KEY,
	d DATE,
	dt DATETIME,
	ts TIMESTAMP NULL DEFAULT NULL,
	y YEAR
);
INSERT INTO zerodates VALUES (1, '0000-00-00', '0000-00-00 00:00:00',
	'0000-00-00 00:00:00', 0), (2, '2020-00-15', '2020-05-00 10:00:00',
	NULL, 0000);
SET sql_mode = 'NO_ENGINE_SUBSTITUTION';

-- ENUM and SET, including the empty member and the empty set.
CREATE TABLE enums (
	id INT PRIMARY KEY,
	e ENUM('a', 'b', '', 'x y', 'ü'),
	s SET('a', 'b', 'c', 'd e'),
	e2 ENUM('one', 'two') NOT NULL
);
INSERT INTO enums VALUES (1, 'a', '', 'one'), (2, '', 'a,b', 'two'),
	(3, 'x y', 'a,b,c,d e', 'one'), (4, NULL, NULL, 'two'),
	(5, 'ü', 'c', 'one');

-- JSON (a LONGTEXT with a json_valid CHECK in MariaDB).
CREATE TABLE js (id INT PRIMARY KEY, j JSON);
INSERT INTO js VALUES (1, '{"a": [1, 2.5, "ü😀", null, true]}'), (2, '[]'),
	(3, '"str"'), (4, '{"k\\"q": "\\\\ \\n", "n": {"m": [[], {}]}}'),
	(5, NULL), (6, '1e308');

-- Spatial types.
CREATE TABLE geo (
	id INT PRIMARY KEY,
	p POINT,
	pg POLYGON,
	g GEOMETRY
);
INSERT INTO geo VALUES
	(1, ST_GeomFromText('POINT(1 2)'),
	    ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,3 2,3 3,2 2))'),
	    ST_GeomFromText('LINESTRING(0 0,1 1,2 -1.5)')),
	(2, ST_GeomFromText('POINT(-0.000001 1e10)'), NULL,
	    ST_GeomFromText('GEOMETRYCOLLECTION(POINT(1 1),LINESTRING(0 0,1 1))')),
	(3, NULL, NULL, ST_GeomFromText('POINT(3 4)', 4326));

-- Character sets side by side, with the same text where it fits.
CREATE TABLE charsets (
	id INT PRIMARY KEY,
	u8 VARCHAR(40) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
	l1 VARCHAR(40) CHARACTER SET latin1,
	cy VARCHAR(40) CHARACTER SET cp1251,
	u2 VARCHAR(40) CHARACTER SET ucs2,
	u16 VARCHAR(40) CHARACTER SET utf16,
	bn VARCHAR(40) CHARACTER SET binary,
	u3 TEXT CHARACTER SET utf8mb3
) DEFAULT CHARSET=latin1;
INSERT INTO charsets VALUES
	(1, 'emoji 😀🎉 𝄞', 'café ß €', 'Привет', '日本語', '𝄞 clef', 'raw', 'ü'),
	(2, '', '', '', '', '', '', ''),
	(3, 'quote '' back \\ ', 'ÿ', 'ё', 'Ω', 'Ω', X'00FF', '€');

-- Generated columns, one VIRTUAL and indexed, one STORED.
CREATE TABLE gen (
	id INT PRIMARY KEY,
	a INT,
	b INT AS (a * 2) VIRTUAL,
	c VARCHAR(20) AS (CONCAT('x', a)) STORED,
	KEY (b)
);
INSERT INTO gen (id, a) VALUES (1, 1), (2, NULL), (3, -7);

-- AUTO_INCREMENT with gaps, a row with id 0 and the counter above the max.
CREATE TABLE autoinc (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(5));
INSERT INTO autoinc (v) VALUES ('a'), ('b');
INSERT INTO autoinc VALUES (5, 'c'), (100, 'd');
DELETE FROM autoinc WHERE id = 100;
SET sql_mode = 'NO_AUTO_VALUE_ON_ZERO';
INSERT INTO autoinc VALUES (0, 'zero');
SET sql_mode = 'NO_ENGINE_SUBSTITUTION';
CREATE TABLE autoinc2 (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY)
	AUTO_INCREMENT = 1000;
INSERT INTO autoinc2 VALUES (3);

-- No key at all, with duplicate rows.
CREATE TABLE nokey (a INT, b VARCHAR(10)) ENGINE=InnoDB;
INSERT INTO nokey VALUES (1, 'x'), (1, 'x'), (NULL, NULL), (NULL, NULL),
	(2, 'y');

-- Composite and VARCHAR primary keys.
CREATE TABLE composite (
	a INT, b VARCHAR(10), c INT,
	PRIMARY KEY (b, a)
);
INSERT INTO composite VALUES (1, 'x', 1), (2, 'x', 2), (1, 'y', 3),
	(-1, '', 4);
CREATE TABLE vpk (k VARCHAR(50) PRIMARY KEY, v INT) COLLATE utf8mb4_bin;
INSERT INTO vpk VALUES ('abc', 1), ('ABC', 2), ('', 3), (' lead', 4),
	('ü', 5), ('u', 6), ('😀', 7), ('a\tb', 8);

-- Foreign keys, including one pointing at its own table.
CREATE TABLE parent (id INT PRIMARY KEY, name VARCHAR(20)) ENGINE=InnoDB;
CREATE TABLE child (
	id INT PRIMARY KEY,
	parent_id INT NOT NULL,
	CONSTRAINT `fk child; parent` FOREIGN KEY (parent_id)
	    REFERENCES parent (id) ON DELETE CASCADE ON UPDATE RESTRICT
) ENGINE=InnoDB;
CREATE TABLE employee (
	id INT PRIMARY KEY,
	manager_id INT NULL,
	FOREIGN KEY (manager_id) REFERENCES employee (id)
) ENGINE=InnoDB;
INSERT INTO parent VALUES (1, 'p1'), (2, 'p2');
INSERT INTO child VALUES (10, 1), (11, 1), (12, 2);
SET foreign_key_checks = 0;
INSERT INTO employee VALUES (1, 3), (2, 1), (3, NULL);
SET foreign_key_checks = 1;
SET SESSION group_concat_max_len = 67108864;

-- Sequences, with state advanced past the start, and a default using one.
CREATE SEQUENCE seq_a START WITH 100 INCREMENT BY 5 CACHE 10;
SELECT NEXTVAL(seq_a), NEXTVAL(seq_a), NEXTVAL(seq_a);
CREATE SEQUENCE `seq b` START WITH -10 MINVALUE -100 MAXVALUE 100
	INCREMENT BY -3 CYCLE NOCACHE;
SELECT NEXTVAL(`seq b`);
CREATE TABLE seqdef (id INT DEFAULT NEXTVAL(seq_a) PRIMARY KEY, v INT);
INSERT INTO seqdef (v) VALUES (1), (2);

-- System-versioned table with history rows.
CREATE TABLE versioned (id INT PRIMARY KEY, v INT) WITH SYSTEM VERSIONING;
INSERT INTO versioned VALUES (1, 1), (2, 2), (3, 3);
UPDATE versioned SET v = v + 10 WHERE id = 1;
UPDATE versioned SET v = v + 10 WHERE id = 1;
DELETE FROM versioned WHERE id = 2;

-- Functions, views on views, a view calling a function.
DELIMITER ;;
CREATE FUNCTION f_double(x INT) RETURNS INT DETERMINISTIC
	COMMENT 'doubles; "quoted" ''x'''
BEGIN
	DECLARE s VARCHAR(10) DEFAULT ';;';
	RETURN x * 2;
END;;
CREATE PROCEDURE `p odd`(IN n INT, OUT r VARCHAR(100))
	SQL SECURITY INVOKER
BEGIN
	-- a comment with ; and DELIMITER ;; inside
	SET r = CONCAT('n=', n, '; /* not a comment */ ', '\'', "\"");
	SELECT r;
END;;
DELIMITER ;

CREATE VIEW v1 AS SELECT id, name FROM parent WHERE id > 0;
CREATE VIEW v2 AS SELECT id, CONCAT(name, '!') AS loud FROM v1;
CREATE VIEW v3 AS SELECT id, f_double(id) AS twice FROM v2;
CREATE VIEW `v ``odd`` name` AS SELECT COUNT(*) AS n FROM v3;

-- Triggers that would alter data if they fired during a restore.
CREATE TABLE trg_target (id INT PRIMARY KEY, v VARCHAR(40));
CREATE TABLE trg_log (n INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(40));
DELIMITER ;;
CREATE TRIGGER trg_bi BEFORE INSERT ON trg_target FOR EACH ROW
BEGIN
	SET NEW.v = CONCAT('fired:', NEW.v);
END;;
CREATE TRIGGER trg_ai AFTER INSERT ON trg_target FOR EACH ROW
	INSERT INTO trg_log (what) VALUES (CONCAT('ins ', NEW.id));;
DELIMITER ;
INSERT INTO trg_target VALUES (1, 'a'), (2, 'b');

-- A package needs sql_mode ORACLE.
SET sql_mode = 'ORACLE';
DELIMITER //
CREATE PACKAGE pkg AS
	FUNCTION answer RETURN INT;
	PROCEDURE hello(x VARCHAR2);
END;
//
CREATE PACKAGE BODY pkg AS
	FUNCTION answer RETURN INT AS
	BEGIN
		RETURN 42;
	END;
	PROCEDURE hello(x VARCHAR2) AS
	BEGIN
		SELECT 'hello ' || x;
	END;
END;
//
-- ORACLE block syntax with ";" in blocks, strings, comments and names:
-- the restore's splitter must end each at the DELIMITER only.
CREATE TABLE "ora_t" ("a;b" INT, v VARCHAR2(40))
//
CREATE PROCEDURE "ora;proc"(n IN INT, s OUT VARCHAR2) AS
	x VARCHAR2(100) := 'a;b''c;\\';
BEGIN
	<<lbl>>
	FOR i IN 1..n LOOP
		x := x || ';' || "i"; -- ; 'unbalanced
		/* ; END; */
		EXIT lbl WHEN i > 3;
	END LOOP lbl;
	s := x;
	INSERT INTO "ora_t" ("a;b", v) VALUES (n, x);
END;
//
CREATE TRIGGER "ora_trg" BEFORE INSERT ON "ora_t" FOR EACH ROW
BEGIN
	:NEW.v := :NEW.v || ';trg'; -- ;
END;
//
DELIMITER ;
SET sql_mode = 'NO_ENGINE_SUBSTITUTION';

-- An event (disabled: it must be restored, never run).
CREATE EVENT ev_cleanup ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00'
	ON COMPLETION PRESERVE DISABLE COMMENT 'runs; never'
	DO DELETE FROM trg_log WHERE n < 0;

-- Other engines.
CREATE TABLE my (id INT PRIMARY KEY, v TEXT) ENGINE=MyISAM;
INSERT INTO my VALUES (1, 'myisam'), (2, NULL);
CREATE TABLE ar (id INT PRIMARY KEY, v TEXT) ENGINE=Aria TRANSACTIONAL=1;
INSERT INTO ar VALUES (1, 'aria'), (2, X'00');

-- A partitioned table.
CREATE TABLE parted (id INT NOT NULL, v VARCHAR(10), PRIMARY KEY (id))
	PARTITION BY RANGE (id) (
	    PARTITION p0 VALUES LESS THAN (100),
	    PARTITION p1 VALUES LESS THAN (1000),
	    PARTITION pmax VALUES LESS THAN MAXVALUE);
INSERT INTO parted VALUES (1, 'a'), (500, 'b'), (5000, 'c');

-- CHECK constraints, column and table level.
CREATE TABLE checked (
	id INT PRIMARY KEY,
	a INT CHECK (a >= 0),
	b INT,
	CONSTRAINT `a<b; really` CHECK (a < b)
);
INSERT INTO checked VALUES (1, 0, 1), (2, 5, 100);

-- Comments holding ';', quotes, newlines and comment markers.
CREATE TABLE commented (
	id INT PRIMARY KEY COMMENT 'id; -- not a comment */ /*',
	v VARCHAR(10) COMMENT 'it''s "quoted"
and on two lines; DELIMITER ;;'
) COMMENT = 'table; comment ''q'' "dq"
second line \\ backslash';
INSERT INTO commented VALUES (1, ';');

-- A 2 MiB row (not compressible to nothing: hashes) plus a small one.
CREATE TABLE bigrow (id INT PRIMARY KEY, b LONGBLOB);
INSERT INTO bigrow SELECT 1, GROUP_CONCAT(UNHEX(SHA2(seq, 512)) ORDER BY seq
	SEPARATOR '') FROM seq_1_to_32768;
INSERT INTO bigrow VALUES (2, X'00');

-- The second database: a hard name, its own charset, a table, a view, a
-- function.
CREATE DATABASE `we``ird/..
db ü€` CHARACTER SET latin1 COLLATE latin1_german2_ci COMMENT 'odd db';
USE `we``ird/..
db ü€`;
CREATE TABLE `t/ a``b` (id INT PRIMARY KEY, `x
y` VARCHAR(20) CHARACTER SET utf8mb4, l VARCHAR(20));
INSERT INTO `t/ a``b` VALUES (1, '😀', 'Müller'), (2, NULL, 'ß');
CREATE VIEW `v/` AS SELECT id FROM `t/ a``b`;
CREATE FUNCTION `f``` () RETURNS INT DETERMINISTIC RETURN 7;
