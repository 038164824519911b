#!/usr/bin/env python3
"""fingerprint.py CNF DB: prints one line per fact of database DB, so that
two databases (the original and its restored copy) can be compared with
diff.  Facts: SHOW CREATE of the database and of every table, sequence,
view, library, function, procedure, package, trigger and event (with the
database name replaced by `@DB@`); per table the row count, CHECKSUM TABLE and, per
column, the SHA-256 of every value in primary-key order (all rows, history
included, for system-versioned tables); per sequence its state; per view
its row count.  Names travel as hex, so any identifier works.

It talks to the server only through the mariadb client (option file CNF;
$MS_SQL_CLIENT names another, e.g. mysql)."""

import os
import subprocess
import sys

NUMERIC = {"tinyint", "smallint", "mediumint", "int", "bigint", "decimal",
           "double"}


def qi(name):
    """Quotes an identifier (str) with backticks."""
    return "`" + name.replace("`", "``") + "`"


def hexlit(name):
    return "X'" + name.encode("utf-8").hex() + "'"


def tsv_escape(s):
    return (s.replace("\\", "\\\\").replace("\0", "\\0")
            .replace("\t", "\\t").replace("\n", "\\n"))


class Client:
    def __init__(self, cnf):
        self.cnf = cnf

    def run(self, script):
        p = subprocess.run(
            [os.environ.get("MS_SQL_CLIENT", "mariadb"),
             "--defaults-file=" + self.cnf, "-N", "-B",
             "--binary-mode", "--default-character-set=utf8mb4"],
            input=script.encode("utf-8"), stdout=subprocess.PIPE)
        if p.returncode != 0:
            sys.exit("fingerprint: mariadb client failed (exit %d)"
                     % p.returncode)
        return p.stdout.decode("utf-8", "surrogateescape").split("\n")[:-1]

    def rows(self, sql):
        return [line.split("\t") for line in self.run(sql)]


def unhex(h):
    return bytes.fromhex(h).decode("utf-8")


def column_expr(col, dtype):
    c = qi(col)
    if dtype == "float":
        e = "CAST(CAST(%s AS DOUBLE) AS CHAR)" % c
    elif dtype in NUMERIC:
        e = "CAST(%s AS CHAR)" % c
    else:
        e = "HEX(%s)" % c
    return "IFNULL(%s, 'N')" % e


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: fingerprint.py CNF DB")
    cl = Client(sys.argv[1])
    db = sys.argv[2]
    dbq = hexlit(db)
    where = "TABLE_SCHEMA = CONVERT(%s USING utf8mb4)" % dbq

    if not cl.rows("SELECT 1 FROM information_schema.SCHEMATA WHERE "
                   "SCHEMA_NAME = CONVERT(%s USING utf8mb4)" % dbq):
        sys.exit("fingerprint: no database %r" % db)
    tables = sorted((unhex(h), t) for h, t in cl.rows(
        "SELECT HEX(TABLE_NAME), TABLE_TYPE FROM information_schema.TABLES "
        "WHERE " + where))
    cols = {}
    for t, c, dt in cl.rows(
            "SELECT HEX(TABLE_NAME), HEX(COLUMN_NAME), DATA_TYPE FROM "
            "information_schema.COLUMNS WHERE %s ORDER BY TABLE_NAME, "
            "ORDINAL_POSITION" % where):
        cols.setdefault(unhex(t), []).append((unhex(c), dt))
    pks = {}
    for t, c in cl.rows(
            "SELECT HEX(TABLE_NAME), HEX(COLUMN_NAME) FROM "
            "information_schema.STATISTICS WHERE %s AND INDEX_NAME = "
            "'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX" % where):
        pks.setdefault(unhex(t), []).append(unhex(c))
    # MySQL's CHECKSUM TABLE of a table with a multi-valued index differs
    # from one run to the next on the same rows (seen on 9.7): its column
    # hashes still cover every value.
    unstable = set()
    if "mariadb" not in cl.rows("SELECT LOWER(VERSION())")[0][0]:
        unstable = {unhex(h) for (h,) in cl.rows(
            "SELECT DISTINCT HEX(TABLE_NAME) FROM information_schema."
            "STATISTICS WHERE %s AND EXPRESSION LIKE '%%array%%'" % where)}
    routines = sorted((t, unhex(h)) for t, h in cl.rows(
        "SELECT ROUTINE_TYPE, HEX(ROUTINE_NAME) FROM "
        "information_schema.ROUTINES WHERE ROUTINE_SCHEMA = "
        "CONVERT(%s USING utf8mb4)" % dbq))
    # MySQL 9's JavaScript libraries, where the server has them.
    libraries = []
    if cl.rows("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
               "TABLE_SCHEMA = 'information_schema' AND "
               "TABLE_NAME = 'LIBRARIES'")[0][0] != "0":
        libraries = sorted(unhex(h) for (h,) in cl.rows(
            "SELECT HEX(LIBRARY_NAME) FROM information_schema.LIBRARIES "
            "WHERE LIBRARY_SCHEMA = CONVERT(%s USING utf8mb4)" % dbq))
    triggers = sorted(unhex(h) for (h,) in cl.rows(
        "SELECT HEX(TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE "
        "TRIGGER_SCHEMA = CONVERT(%s USING utf8mb4)" % dbq))
    events = sorted(unhex(h) for (h,) in cl.rows(
        "SELECT HEX(EVENT_NAME) FROM information_schema.EVENTS WHERE "
        "EVENT_SCHEMA = CONVERT(%s USING utf8mb4)" % dbq))

    # Each step: (label, SQL, how to keep the output lines).
    steps = [("database", "SHOW CREATE DATABASE %s" % qi(db), "last")]
    for name, ttype in tables:
        q = qi(name)
        if ttype == "VIEW":
            steps.append(("view %s" % name, "SHOW CREATE VIEW %s" % q, "all"))
            steps.append(("view %s rows" % name,
                          "SELECT COUNT(*) FROM %s" % q, "all"))
            continue
        if ttype == "SEQUENCE":
            steps.append(("sequence %s" % name,
                          "SHOW CREATE SEQUENCE %s" % q, "all"))
            steps.append(("sequence %s state" % name,
                          "SELECT * FROM %s" % q, "all"))
            continue
        versioned = ttype == "SYSTEM VERSIONED"
        frm = q + (" FOR SYSTEM_TIME ALL" if versioned else "")
        steps.append(("table %s" % name, "SHOW CREATE TABLE %s" % q, "all"))
        steps.append(("table %s rows" % name,
                      "SELECT COUNT(*) FROM %s" % frm, "all"))
        if name in unstable:
            steps.append(("table %s checksum" % name,
                          "SELECT 'not repeatable (multi-valued index)'",
                          "all"))
        else:
            steps.append(("table %s checksum" % name,
                          "CHECKSUM TABLE %s EXTENDED" % q, "last"))
        clist = list(cols.get(name, []))
        if versioned:
            clist += [("ROW_START", "timestamp"), ("ROW_END", "timestamp")]
        exprs = [column_expr(c, dt) for c, dt in clist]
        if name in pks:
            order = [qi(c) for c in pks[name]]
            if versioned:
                order.append("ROW_END")
        else:
            order = exprs
        ob = ", ".join(order)
        for (c, dt), e in zip(clist, exprs):
            steps.append(("table %s column %s" % (name, c),
                          "SELECT SHA2(GROUP_CONCAT(%s ORDER BY %s "
                          "SEPARATOR ','), 256) FROM %s" % (e, ob, frm),
                          "all"))
    for name in libraries:
        steps.append(("library %s" % name,
                      "SHOW CREATE LIBRARY %s" % qi(name), "all"))
    for rtype, name in routines:
        steps.append(("%s %s" % (rtype.lower(), name),
                      "SHOW CREATE %s %s" % (rtype, qi(name)), "all"))
    for name in triggers:
        # The last column is the creation time.
        steps.append(("trigger %s" % name,
                      "SHOW CREATE TRIGGER %s" % qi(name), "notlast"))
    for name in events:
        steps.append(("event %s" % name,
                      "SHOW CREATE EVENT %s" % qi(name), "all"))

    script = ["SET NAMES utf8mb4", "SET time_zone = '+00:00'",
              "SET SESSION group_concat_max_len = 1073741824",
              "USE %s" % qi(db)]
    for i, (label, sql, keep) in enumerate(steps):
        script.append("SELECT '#@@%d'" % i)
        script.append(sql)
    out = cl.run(";\n".join(script) + ";\n")

    dbname = tsv_escape(qi(db))
    section = None
    lines = {}
    for line in out:
        if line.startswith("#@@"):
            section = int(line[3:])
            lines[section] = []
            continue
        if section is None:
            continue
        lines[section].append(line.replace(dbname, "`@DB@`"))
    for i, (label, sql, keep) in enumerate(steps):
        got = lines.get(i, [])
        for line in got:
            f = line.split("\t")
            if keep == "last":
                f = f[-1:]
            elif keep == "notlast":
                f = f[:-1]
            print("%s\t%s" % (tsv_escape(label), "\t".join(f)))
    objects = (1 + len(tables) + len(routines) + len(triggers) + len(events))
    print("objects %d" % objects, file=sys.stderr)


if __name__ == "__main__":
    main()
