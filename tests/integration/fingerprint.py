#!/usr/bin/env python3
"""fingerprint.py [--by-object] CNF DB: prints one line per fact of
database DB, so that two databases (the original and its restored copy)
can be compared with diff.  DB may be written hex:HEX (its UTF-8 bytes).  Facts: SHOW CREATE of the database and of every table, sequence,
view, library, function, procedure, package, trigger and event (with the database
name replaced by `@DB@`); per table the row count, CHECKSUM TABLE and, per
column, the SHA-256 of every value in primary-key order (all rows, history
included, for system-versioned tables); per sequence its state; per view
its row count; per routine its stored body, parameters, sql_mode and
character sets byte for byte (mysql.proc on MariaDB, information_schema on
MySQL); per trigger its ACTION_ORDER.  Names travel as hex, so any
identifier works.

--by-object starts every line with the object it describes (kind:HEX of
the name, `database` for the database itself).
fingerprint.py --compare A B: compares two --by-object outputs object by
object, prints "N objects, M identical" and one line per object that
differs or is missing, and exits 1 when any does.

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

    def batch(self, queries):
        """The rows of each query, all run by one client."""
        script = "".join("SELECT '#@@%d';\n%s;\n" % (i, q)
                         for i, q in enumerate(queries))
        out = [[] for _ in queries]
        cur = None
        for line in self.run(script):
            if line.startswith("#@@"):
                cur = out[int(line[3:])]
            elif cur is not None:
                cur.append(line.split("\t"))
        return out


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


def steps_out(o, label, f):
    """Prints one fact line: [object TAB] label TAB fields."""
    obj = ""
    if by_object:
        kind, _, h = o.partition(":")
        obj = "%s:%s%s\t" % (kind, dbhex, "." + h if h else "")
    print("%s%s\t%s" % (obj, tsv_escape(label), "\t".join(f)))


def compare(fa, fb):
    """Compares two --by-object outputs; returns the exit status."""
    def load(f):
        objs = {}
        with open(f, encoding="utf-8", errors="surrogateescape") as fh:
            for line in fh:
                obj, _, rest = line.partition("\t")
                objs.setdefault(obj, []).append(rest)
        return objs
    a, b = load(fa), load(fb)
    same = 0
    for obj in sorted(set(a) | set(b)):
        kind, _, h = obj.partition(":")
        name = kind
        if h:
            dbh, _, oh = h.partition(".")
            name = "%s %s.%s" % (kind, bytes.fromhex(dbh).decode(
                "utf-8", "replace"), bytes.fromhex(oh).decode(
                "utf-8", "replace")) if oh else "%s %s" % (
                kind, bytes.fromhex(dbh).decode("utf-8", "replace"))
        name = tsv_escape(name)
        if obj not in b:
            print("missing in the copy: %s" % name)
        elif obj not in a:
            print("only in the copy: %s" % name)
        elif a[obj] != b[obj]:
            facts = [x.split("\t", 1)[0] for x in set(a[obj]) ^ set(b[obj])]
            print("differs: %s (%s)" % (name, ", ".join(sorted(set(facts)))
                                        [:300]))
        else:
            same += 1
    n = len(set(a) | set(b))
    print("%d objects, %d identical" % (n, same))
    return 0 if same == n else 1


def main():
    global by_object, dbhex
    args = sys.argv[1:]
    if args[:1] == ["--compare"] and len(args) == 3:
        sys.exit(compare(args[1], args[2]))
    by_object = args[:1] == ["--by-object"]
    if by_object:
        args = args[1:]
    if len(args) != 2:
        sys.exit("usage: fingerprint.py [--by-object] CNF DB | "
                 "--compare A B")
    cl = Client(args[0])
    db = args[1]
    if db.startswith("hex:"):
        db = unhex(db[4:])
    dbhex = db.encode("utf-8").hex()
    dbq = hexlit(db)

    def dbeq(col):
        # Exact: the column's collation ignores case, and `ab` and `AB`
        # are two databases.
        return ("%s = CONVERT(%s USING utf8mb4) AND CAST(%s AS BINARY) = %s"
                % (col, dbq, col, dbq))
    where = dbeq("TABLE_SCHEMA")

    # The catalog, read by one client.
    (found, trows, crows, prows, vrows, rrows, grows, erows) = cl.batch([
        "SELECT 1 FROM information_schema.SCHEMATA WHERE "
        + dbeq("SCHEMA_NAME"),
        "SELECT HEX(TABLE_NAME), TABLE_TYPE FROM information_schema.TABLES "
        "WHERE " + where,
        "SELECT HEX(TABLE_NAME), HEX(COLUMN_NAME), DATA_TYPE FROM "
        "information_schema.COLUMNS WHERE %s ORDER BY TABLE_NAME, "
        "ORDINAL_POSITION" % where,
        "SELECT HEX(TABLE_NAME), HEX(COLUMN_NAME) FROM "
        "information_schema.STATISTICS WHERE %s AND INDEX_NAME = "
        "'PRIMARY' ORDER BY TABLE_NAME, SEQ_IN_INDEX" % where,
        "SELECT LOWER(VERSION())",
        "SELECT ROUTINE_TYPE, HEX(ROUTINE_NAME) FROM "
        "information_schema.ROUTINES WHERE " + dbeq("ROUTINE_SCHEMA"),
        "SELECT HEX(TRIGGER_NAME) FROM information_schema.TRIGGERS WHERE "
        + dbeq("TRIGGER_SCHEMA"),
        "SELECT HEX(EVENT_NAME) FROM information_schema.EVENTS WHERE "
        + dbeq("EVENT_SCHEMA")])
    if not found:
        sys.exit("fingerprint: no database %r" % db)
    tables = sorted((unhex(h), t) for h, t in trows)
    cols = {}
    for t, c, dt in crows:
        cols.setdefault(unhex(t), []).append((unhex(c), dt))
    pks = {}
    for t, c in prows:
        pks.setdefault(unhex(t), []).append(unhex(c))
    # MySQL's CHECKSUM TABLE of a table with a multi-valued index differs
    # from one run to the next on the same rows (seen on 9.7): its column
    # hashes still cover every value.
    unstable = set()
    version = vrows[0][0]
    if "mariadb" not in version:
        unstable = {unhex(h) for (h,) in cl.rows(
            "SELECT DISTINCT HEX(TABLE_NAME) FROM information_schema."
            "STATISTICS WHERE %s AND EXPRESSION LIKE '%%array%%'" % where)}
    routines = sorted((t, unhex(h)) for t, h in rrows)
    triggers = sorted(unhex(h) for (h,) in grows)
    events = sorted(unhex(h) for (h,) in erows)
    # MySQL 9's JavaScript libraries, where the server has them.
    libraries = []
    if cl.rows("SELECT COUNT(*) FROM information_schema.TABLES WHERE "
               "TABLE_SCHEMA = 'information_schema' AND "
               "TABLE_NAME = 'LIBRARIES'")[0][0] != "0":
        libraries = sorted(unhex(h) for (h,) in cl.rows(
            "SELECT HEX(LIBRARY_NAME) FROM information_schema.LIBRARIES "
            "WHERE " + dbeq("LIBRARY_SCHEMA")))

    # Each step: (label, SQL, how to keep the output lines); objs[i] is
    # the object step i describes.
    steps, objs = [], []

    def add(obj, step):
        steps.append(step)
        objs.append(obj)

    cur = "database"
    add(cur, ("database", "SHOW CREATE DATABASE %s" % qi(db), "last"))
    for name, ttype in tables:
        q = qi(name)
        cur = "%s:%s" % (ttype.lower().replace(" ", "_"),
                         name.encode("utf-8").hex())
        if ttype == "VIEW":
            add(cur, ("view %s" % name, "SHOW CREATE VIEW %s" % q, "all"))
            add(cur, ("view %s rows" % name,
                          "SELECT COUNT(*) FROM %s" % q, "all"))
            continue
        if ttype == "SEQUENCE":
            add(cur, ("sequence %s" % name,
                          "SHOW CREATE SEQUENCE %s" % q, "all"))
            add(cur, ("sequence %s state" % name,
                          "SELECT * FROM %s" % q, "all"))
            continue
        versioned = ttype == "SYSTEM VERSIONED"
        frm = q + (" FOR SYSTEM_TIME ALL" if versioned else "")
        add(cur, ("table %s" % name, "SHOW CREATE TABLE %s" % q, "all"))
        add(cur, ("table %s rows" % name,
                      "SELECT COUNT(*) FROM %s" % frm, "all"))
        if name in unstable:
            add(cur, ("table %s checksum" % name,
                          "SELECT 'not repeatable (multi-valued index)'",
                          "all"))
        else:
            add(cur, ("table %s checksum" % name,
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
        # One statement per table, one line per column.
        if clist:
            add(cur, ([("table %s column %s" % (name, c)) for c, dt in clist],
                      "SELECT " + ", ".join(
                          "SHA2(GROUP_CONCAT(%s ORDER BY %s SEPARATOR ','), "
                          "256)" % (e, ob) for e in exprs) + " FROM " + frm,
                      "split"))
    maria = "mariadb" in version
    for name in libraries:
        add("library:%s" % name.encode("utf-8").hex(),
            ("library %s" % name, "SHOW CREATE LIBRARY %s" % qi(name), "all"))
    for rtype, name in routines:
        cur = "%s:%s" % (rtype.lower(), name.encode("utf-8").hex())
        # The stored body, byte for byte (SHOW CREATE converts it).
        if maria:
            add(cur, ("%s %s stored" % (rtype.lower(), name),
                      "SELECT HEX(body), HEX(body_utf8), HEX(param_list), "
                      "HEX(returns), HEX(comment), sql_mode, security_type, "
                      "character_set_client, collation_connection, "
                      "db_collation, HEX(definer) FROM mysql.proc WHERE "
                      "%s AND name = CONVERT(%s USING utf8mb4) AND type = "
                      "'%s'" % (dbeq("db"), hexlit(name), rtype), "all"))
        else:
            add(cur, ("%s %s stored" % (rtype.lower(), name),
                      "SELECT HEX(ROUTINE_DEFINITION), SQL_MODE, "
                      "SECURITY_TYPE, CHARACTER_SET_CLIENT, "
                      "COLLATION_CONNECTION, DATABASE_COLLATION, "
                      "HEX(ROUTINE_COMMENT) FROM information_schema.ROUTINES "
                      "WHERE %s AND ROUTINE_NAME = CONVERT(%s USING "
                      "utf8mb4) AND ROUTINE_TYPE = '%s'" % (
                          dbeq("ROUTINE_SCHEMA"), hexlit(name), rtype),
                      "all"))
        add(cur, ("%s %s" % (rtype.lower(), name),
                  "SHOW CREATE %s %s" % (rtype, qi(name)), "all"))
    for name in triggers:
        cur = "trigger:" + name.encode("utf-8").hex()
        add(cur, ("trigger %s order" % name,
                  "SELECT ACTION_ORDER, HEX(ACTION_STATEMENT) FROM "
                  "information_schema.TRIGGERS WHERE %s AND TRIGGER_NAME = "
                  "CONVERT(%s USING utf8mb4)" % (dbeq("TRIGGER_SCHEMA"),
                                                 hexlit(name)), "all"))
        # The last column is the creation time.
        add(cur, ("trigger %s" % name,
                  "SHOW CREATE TRIGGER %s" % qi(name), "notlast"))
    for name in events:
        cur = "event:" + name.encode("utf-8").hex()
        add(cur, ("event %s" % name,
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
        if keep == "split":
            for lab, v in zip(label, got[0].split("\t") if got else []):
                steps_out(objs[i], lab, [v])
            continue
        for line in got:
            f = line.split("\t")
            if keep == "last":
                f = f[-1:]
            elif keep == "notlast":
                f = f[:-1]
            steps_out(objs[i], label, f)
    objects = (1 + len(tables) + len(routines) + len(triggers) + len(events))
    print("objects %d" % objects, file=sys.stderr)


if __name__ == "__main__":
    main()
