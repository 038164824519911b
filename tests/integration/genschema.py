#!/usr/bin/env python3
"""genschema.py: a seeded generator of hostile schemas (issue 10).

    genschema.py --seed N [--flavour mariadb|mysql] [--version 10.11]
                 [--tables 250] [--databases 5] [--engines InnoDB,MyISAM,...]
                 [--dbs-file F] [--mutation-file F] [--without CLASS,...]

Writes to stdout an SQL script (bytes: some objects are created under
character_set_client koi8r, cp1251 or latin1) for the stock client run as
`mariadb --binary-mode --comments` (or MySQL's mysql): databases with
random identifiers (quotes, backticks, spaces, dots, slashes, non-ASCII,
64-character names, names differing only by case), tables of every engine
given with every column type at its edges, NULLs, keys, foreign keys, CHECK
constraints, AUTO_INCREMENT counters above the maximum, sequences in
several states and system-versioned tables (MariaDB), views over views and
across databases, routines, triggers and events with awkward bodies created
under several sql_modes and client character sets.  The same seed, flavour
and arguments give the same bytes; the seed is printed on stderr.

--dbs-file: the databases created, one a line, hex of their UTF-8 name.
--mutation-file: one UPDATE that changes one byte of one stored value
(for a negative control of the comparison); F.obj: the hex of its
database's name, a tab and the column changed.
--without: leave a class out (names in CLASSES).
--with: add a class known not to round-trip yet (KNOWN_BAD), to see it
fail.

Python 3 standard library only."""

import argparse
import random
import sys

from gentypes import Types, hexstr

CLASSES = {
    "enum-error-value": "ENUM error value (index 0) in an ENUM with a ''"
                        " member",
    "cross-db-views": "views reading another database",
    "sequences": "sequences (MariaDB)",
    "versioning": "system-versioned tables (MariaDB)",
    "charset-client": "objects created under character_set_client"
                      " koi8r/cp1251/latin1",
    "cross-db-view-on-view": "views reading a view of another database",
    "fk": "foreign keys",
    "events": "events",
    "zero-dates": "zero dates and zero-in-date values",
    "routine-comment-charset": "a non-ASCII function or event COMMENT"
                               " created under character_set_client"
                               " koi8r/cp1251/latin1",
    "routine-comment-nbe": "a function or event COMMENT holding a"
                           " backslash or a newline created under"
                           " NO_BACKSLASH_ESCAPES",
    "event-name-charset": "a non-ASCII event name created under"
                          " character_set_client koi8r/cp1251/latin1",
    "program-name-charset": "a routine or trigger with a non-ASCII name"
                            " (or a trigger on a table with one) created"
                            " under character_set_client"
                            " koi8r/cp1251/latin1",
}
# Classes that do not round-trip yet: left out unless --with names them
# (each is in the report of issue 10 with its failure).  None at present.
KNOWN_BAD = {}
# The flavours a known-bad class is left out on (others always have it).
KNOWN_BAD_ON = {}

# Characters identifiers are made of; the server allows any BMP character
# but NUL (names may not end with a space).
ID_ASCII = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
            "_ `\"'./\\-;$#@%*?<>|:,()[]{}=+!&^~")
ID_WIDE = "üéßàÆøå€ЖжяЯёЁщ日本語表能許稞乗ü©µ¿¡\u00a0\u2028ΩλÅ"
ID_RARE = "\n\t"
# What the server strips from the start of a column alias.
ALIAS_STRIP = "".join(chr(i) for i in range(33)) + "\x7f"

AWKWARD = ["a;b", ";;", "$$", "//", "DELIMITER ;;", "DELIMITER //\nEND//",
           "it's", "--", "/*", "*/", "# x", "\\n", "end;", "\"dq\"", "`bt`",
           "$$;;//", "?"]


def qi(name):
    return "`" + name.replace("`", "``") + "`"


def qa(name):
    """An identifier quoted for ANSI_QUOTES."""
    return '"' + name.replace('"', '""') + '"'


class Gen(Types):
    def __init__(self, a):
        self.r = random.Random(a.seed)
        self.a = a
        self.maria = a.flavour == "mariadb"
        self.ver = tuple(int(x) for x in a.version.split(".")[:2])
        self.without = set(x for x in a.without.split(",") if x)
        self.without |= set(
            k for k in KNOWN_BAD if a.flavour in KNOWN_BAD_ON.get(
                k, ("mariadb", "mysql"))) - set(a.with_.split(","))
        self.engines = [e for e in a.engines.split(",") if e]
        self.out = []
        self.dbs = []          # names
        self.tables = {}       # db -> [table dict]
        self.ns = {}           # (db, namespace) -> set of lower names
        self.mutations = []    # (sql, db, object)
        self.last_trigger = {}  # db -> (table, (timing, event), name)

    def on(self, cls):
        return cls not in self.without

    def emit(self, s, enc="utf-8"):
        self.out.append(s.encode(enc) if isinstance(s, str) else s)

    # ---- identifiers -------------------------------------------------
    def ident(self, db, space, maxlen=64, charset_ok=None, forbid=""):
        r = self.r
        for _ in range(200):
            k = r.random()
            if k < 0.08:
                n = maxlen
            elif k < 0.5:
                n = r.randint(1, 6)
            else:
                n = r.randint(1, 24)
            chars = []
            for _ in range(n):
                p = r.random()
                if p < 0.6:
                    chars.append(r.choice(ID_ASCII))
                elif p < 0.97:
                    chars.append(r.choice(ID_WIDE))
                else:
                    chars.append(r.choice(ID_RARE))
            name = "".join(chars).rstrip()
            if not name or any(c in name for c in forbid):
                continue
            if charset_ok is not None:
                try:
                    name.encode(charset_ok)
                except UnicodeEncodeError:
                    continue
            key = (db, space)
            seen = self.ns.setdefault(key, set())
            if name.lower() in seen:
                continue
            seen.add(name.lower())
            return name
        raise SystemExit("genschema: no free identifier")

    def twin(self, db, space, name):
        """name with its case swapped, when that is a new name."""
        t = name.swapcase()
        if t == name or t.lower() != name.lower():
            return None
        key = (db, space + "-exact")
        seen = self.ns.setdefault(key, set())
        if t in seen:
            return None
        seen.add(t)
        return t

    # ---- values ------------------------------------------------------
    def table(self, db, name, engine, parents):
        r = self.r
        t = {"name": name, "engine": engine, "pk": None, "rows": 0,
             "values": {}}
        cols, defs, keys = [], [], []
        pk_kind = r.choice(["int", "int", "int", "bigu", "vb", "comp",
                            "none", "unique"])
        if engine == "ARCHIVE":
            pk_kind = "archive"
        auto = False
        if pk_kind in ("int", "archive") and r.random() < 0.6:
            auto = True
        idname = self.ident(db + "\0" + name, "col")
        if pk_kind in ("int", "archive", "unique"):
            defs.append("%s INT NOT NULL%s" % (qi(idname),
                                               " AUTO_INCREMENT" if auto
                                               else ""))
        elif pk_kind == "bigu":
            defs.append("%s BIGINT UNSIGNED NOT NULL" % qi(idname))
        elif pk_kind == "vb":
            defs.append("%s VARBINARY(32) NOT NULL" % qi(idname))
        elif pk_kind == "comp":
            defs.append("%s INT NOT NULL" % qi(idname))
        if pk_kind != "none":
            cols.append(idname)
        k2 = None
        if pk_kind == "comp":
            k2 = self.ident(db + "\0" + name, "col")
            cs = r.choice(["utf8mb4", "latin1", "binary"])
            defs.append("%s VARCHAR(20) CHARACTER SET %s NOT NULL" %
                        (qi(k2), cs))
            cols.append(k2)
        if pk_kind in ("int", "bigu", "vb"):
            keys.append("PRIMARY KEY (%s)" % qi(idname))
            t["pk"] = [idname]
        elif pk_kind == "comp":
            keys.append("PRIMARY KEY (%s, %s)" % (qi(k2), qi(idname)))
            t["pk"] = [idname, k2]
        elif pk_kind == "unique":
            keys.append("UNIQUE KEY %s (%s)" % (
                qi(self.ident(db + "\0" + name, "key")), qi(idname)))
            t["pk"] = [idname]
        elif pk_kind == "archive":
            if auto:        # ARCHIVE indexes its AUTO_INCREMENT only
                keys.append("KEY (%s)" % qi(idname))
        ctypes = []
        for _ in range(r.randint(1, 7)):
            c = self.ident(db + "\0" + name, "col")
            ty, vals, kind = self.coltype(engine)
            defs.append("%s %s" % (qi(c), ty))
            cols.append(c)
            ctypes.append((c, vals, kind, ty))
        fk = None
        if (parents and engine == "InnoDB" and self.on("fk") and
                pk_kind in ("int", "bigu", "comp", "vb") and r.random() < 0.3):
            pdb, pt = r.choice(parents)
            if pt["pkdef"]:
                c = self.ident(db + "\0" + name, "col")
                defs.append("%s %s" % (qi(c), pt["pkdef"]))
                cols.append(c)
                cname = self.ident(db, "constraint")
                keys.append("CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s.%s"
                            " (%s) ON DELETE %s ON UPDATE %s" % (
                                qi(cname), qi(c), qi(pdb), qi(pt["name"]),
                                qi(pt["pk"][0]),
                                r.choice(["CASCADE", "RESTRICT", "SET NULL",
                                          "NO ACTION"]),
                                r.choice(["CASCADE", "RESTRICT",
                                          "NO ACTION"])))
                fk = (c, pt)
        if engine not in ("ARCHIVE", "MEMORY"):
            for c, vals, kind, ty in ctypes:
                if kind == "num" and r.random() < 0.2:
                    cname = self.ident(db, "constraint")
                    keys.append("CONSTRAINT %s CHECK (%s IS NULL OR %s = %s)"
                                % (qi(cname), qi(c), qi(c), qi(c)))
        opts = ["ENGINE=%s" % engine]
        if engine == "Aria":
            opts.append("TRANSACTIONAL=%d" % r.randint(0, 1))
        if r.random() < 0.3:
            opts.append("COMMENT=%s" % self.strlit(r.choice(AWKWARD)))
        versioned = (self.maria and self.on("versioning") and
                     engine in ("InnoDB", "MyISAM", "Aria") and
                     r.random() < 0.08)
        if versioned:
            opts.append("WITH SYSTEM VERSIONING")
        nrows = r.choice([0, 1, 2, 3, 4, 5, 6])
        ids = []
        if pk_kind in ("int", "archive", "unique", "comp"):
            ids = sorted(r.sample(range(1, 1000), nrows))
        elif pk_kind == "bigu":
            ids = sorted(r.sample([0, 1, 2 ** 63, 2 ** 64 - 1, 2 ** 32, 77,
                                   2 ** 63 - 1], min(nrows, 7)))
        elif pk_kind == "vb":
            ids = [hexstr(x) for x in
                   sorted(set(self.allbytes(r.randint(0, 32))
                              for _ in range(nrows)))]
        else:
            ids = [None] * nrows
        if auto:
            top = max([i for i in ids if isinstance(i, int)] or [0])
            opts.append("AUTO_INCREMENT=%d" % (top + r.randint(2, 5000)))
        self.emit("CREATE TABLE %s (\n  %s\n) %s;\n" % (
            qi(name), ",\n  ".join(defs + keys), " ".join(opts)))
        t["pkdef"] = {"int": "INT", "bigu": "BIGINT UNSIGNED",
                      "vb": "VARBINARY(32)"}.get(pk_kind)
        t["ids"] = ids
        t["cols"] = ctypes
        t["versioned"] = versioned
        rows = []
        for i, idv in enumerate(ids):
            row = []
            if pk_kind != "none":
                row.append(str(idv) if idv is not None else "NULL")
            if k2:
                row.append("'k%d'" % i)
            for c, vals, kind, ty in ctypes:
                if r.random() < 0.12:
                    row.append("NULL")
                else:
                    row.append(str(r.choice(vals)))
                t["values"][(i, c)] = row[-1]
            if fk:
                pids = fk[1]["ids"]
                if pids and r.random() < 0.8:
                    row.append(str(r.choice(pids)))
                else:
                    row.append(r.choice(["NULL", "424242"]) if fk[1]["pkdef"]
                               in ("INT", "BIGINT UNSIGNED") else "NULL")
            rows.append("(" + ", ".join(row) + ")")
        if pk_kind == "none" and rows:
            rows.append(rows[0])        # a duplicate row
        if rows:
            self.emit("INSERT INTO %s (%s) VALUES\n  %s;\n" % (
                qi(name), ", ".join(qi(c) for c in cols),
                ",\n  ".join(rows)))
        t["rows"] = len(rows)
        if versioned and rows and t["pk"]:
            c = ctypes[0][0]
            self.emit("UPDATE %s SET %s = %s LIMIT 1;\n" % (
                qi(name), qi(c), "NULL"))
            self.emit("DELETE FROM %s LIMIT 1;\n" % qi(name))
            t["rows"] -= 1
        if t["pk"] and engine != "ARCHIVE" and rows and not versioned:
            self.mutation_candidates(db, t, pk_kind)
        return t

    def allbytes_table(self, db):
        """An InnoDB table holding every byte, so that every seed has a
        value to change for the negative control."""
        name = self.ident(db, "table")
        c1, c2 = self.ident(db + "\0" + name, "col"), self.ident(
            db + "\0" + name, "col")
        self.emit("CREATE TABLE %s (%s INT PRIMARY KEY, %s VARBINARY(256))"
                  " ENGINE=InnoDB;\nINSERT INTO %s VALUES (1, %s);\n" % (
                      qi(name), qi(c1), qi(c2), qi(name),
                      hexstr(self.allbytes(256))))
        t = {"name": name, "engine": "InnoDB", "pk": [c1], "ids": [1],
             "cols": [(c2, [], "bin", "VARBINARY(256)")], "rows": 1,
             "values": {(0, c2): "X'00'"},
             "pkdef": "INT", "versioned": False}
        self.mutation_candidates(db, t, "int")
        return t

    def mutation_candidates(self, db, t, pk_kind):
        for c, vals, kind, ty in t["cols"]:
            if kind != "bin" or ty.startswith("BINARY"):
                continue
            pkc = t["pk"][0]
            for n, i in enumerate(t["ids"]):
                # Only a value with a last byte to change.
                if t["values"].get((n, c), "NULL") in ("NULL", "X''"):
                    continue
                # MySQL refuses to compare a key of another charset with
                # a literal it cannot convert (ERROR 3854).
                if not str(i).isascii():
                    continue
                where = "%s = %s" % (qi(pkc), i)
                if pk_kind == "comp":
                    where += " AND %s = 'k%d'" % (qi(t["pk"][1]),
                                                  t["ids"].index(i))
                sql = ("UPDATE %s.%s SET %s = CONCAT(SUBSTRING(%s, 1, "
                       "LENGTH(%s) - 1), UNHEX(LPAD(HEX(ASCII(RIGHT(%s, 1)) "
                       "^ 1), 2, '0'))) WHERE %s AND LENGTH(%s) > 0" % (
                           qi(db), qi(t["name"]), qi(c), qi(c), qi(c), qi(c),
                           where, qi(c)))
                self.mutations.append((sql, db, "%s.%s.%s" % (
                    db, t["name"], c)))

    def strlit(self, s):
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'"

    # ---- sequences ---------------------------------------------------
    def sequence(self, db):
        r = self.r
        name = self.ident(db, "table")
        state = r.choice(["fresh", "nextval", "setval", "restart", "cycled",
                          "nocache", "negative"])
        if state == "cycled":
            self.emit("CREATE SEQUENCE %s START WITH 1 MINVALUE 1 MAXVALUE 3 "
                      "INCREMENT BY 1 CYCLE CACHE 2;\n" % qi(name))
            n = r.randint(4, 9)
        elif state == "negative":
            self.emit("CREATE SEQUENCE %s START WITH -10 MINVALUE -100 "
                      "MAXVALUE 100 INCREMENT BY -3 CYCLE NOCACHE;\n"
                      % qi(name))
            n = r.randint(0, 50)
        elif state == "nocache":
            self.emit("CREATE SEQUENCE %s START WITH %d INCREMENT BY %d "
                      "NOCACHE;\n" % (qi(name), r.randint(-5, 1000),
                                      r.randint(1, 9)))
            n = r.randint(0, 5)
        else:
            self.emit("CREATE SEQUENCE %s START WITH %d INCREMENT BY %d "
                      "MAXVALUE %d CACHE %d;\n" % (
                          qi(name), r.randint(1, 100), r.randint(1, 50),
                          r.choice([9223372036854775806, 100000]),
                          r.randint(1, 1000)))
            n = r.randint(0, 4) if state != "fresh" else 0
        for _ in range(n):
            self.emit("DO NEXTVAL(%s);\n" % qi(name))
        if state == "setval":
            self.emit("DO SETVAL(%s, %d);\n" % (qi(name), r.randint(50, 9999)))
        elif state == "restart":
            self.emit("ALTER SEQUENCE %s RESTART WITH %d;\n" % (
                qi(name), r.randint(1, 999)))
        return name

    def seq_default_table(self, db, seq):
        """A table whose key defaults to a sequence's next value."""
        name = self.ident(db, "table")
        c1, c2 = self.ident(db + "\0" + name, "col"), self.ident(
            db + "\0" + name, "col")
        self.emit("CREATE TABLE %s (%s BIGINT NOT NULL DEFAULT NEXTVAL(%s) "
                  "PRIMARY KEY, %s INT) ENGINE=InnoDB;\n"
                  "INSERT INTO %s (%s) VALUES (1), (2);\n" % (
                      qi(name), qi(c1), qi(seq), qi(c2), qi(name), qi(c2)))
        return {"name": name, "engine": "InnoDB", "pk": [c1], "ids": [],
                "cols": [(c2, [], "num", "INT")], "rows": 2, "pkdef": None,
                "versioned": False}

    # ---- views, routines, triggers, events ---------------------------
    def view(self, db, sources):
        r = self.r
        name = self.ident(db, "table")
        sdb, sname, scols, base = r.choice(sources)
        cols = r.sample(scols, r.randint(1, min(3, len(scols))))
        # The server drops an alias's leading spaces and control
        # characters (a column can keep them): a view of this view must
        # name the column as the server stored it.
        alias = [(c[:58] + "_v%d" % i).lstrip(ALIAS_STRIP)
                 for i, c in enumerate(cols)]
        sel = ", ".join("%s AS %s" % (qi(c), qi(a))
                        for c, a in zip(cols, alias))
        where = " WHERE 1 = 1" if r.random() < 0.5 else ""
        opts = r.choice(["", "ALGORITHM=MERGE ", "ALGORITHM=TEMPTABLE ",
                         "SQL SECURITY INVOKER "])
        chk = " WITH CASCADED CHECK OPTION" if (
            base and where and "TEMPTABLE" not in opts and
            r.random() < 0.3) else ""
        self.emit("CREATE %sVIEW %s AS SELECT %s FROM %s.%s%s%s;\n" % (
            opts, qi(name), sel, qi(sdb), qi(sname), where, chk))
        return name, alias

    def delimiter(self, body):
        for d in (";;", "$$", "//", "!!", "~~", "%%%", "@@@@"):
            if d not in body:
                return d
        raise SystemExit("genschema: no delimiter")

    def awkward(self, nbe, enc, ascii_only=False, no_backslash=False):
        r = self.r
        s = r.choice(AWKWARD)
        if no_backslash:
            s = s.replace("\\", "|").replace("\n", " ")
        if ascii_only:
            pass
        elif enc != "utf-8":
            s += r.choice(["Жж", "ёЁ", "яЯщ"] if enc != "cp1252"
                          else ["üß", "éÿ"])
        else:
            s += r.choice(["ü€", "😀", "日本", ""])
        if nbe:
            # A lone backslash is literal here, and would end the string
            # where backslashes escape.
            return "'" + s.replace("\\n", "\\").replace("'", "''") + "'"
        return self.strlit(s)

    def body(self, kind, mode, enc, ref):
        r = self.r
        nbe = "NO_BACKSLASH_ESCAPES" in mode
        ansi = "ANSI_QUOTES" in mode or mode == "ANSI"
        lines = ["BEGIN",
                 "  DECLARE s VARCHAR(200) DEFAULT %s;" % self.awkward(nbe,
                                                                       enc),
                 "  -- a comment ; ;; DELIMITER // $$ 'unbalanced",
                 "  /* block ; $$ ;; // \" ' */",
                 "  # hash comment ;;",
                 "  SET s = CONCAT(s, ';', %s, %s);" % (
                     self.awkward(nbe, enc), self.awkward(nbe, enc))]
        if ref and kind == "procedure":
            q = qa if ansi else qi
            lines.append("  SELECT COUNT(*) INTO @gen_n FROM %s;" % q(ref))
        if kind == "function":
            lines.append("  RETURN LENGTH(s);")
        elif kind == "procedure":
            lines.append("  SELECT s;")
        else:
            lines.append("  SET @gen_trig = s;")
        lines.append("END")
        if r.random() < 0.3 and kind != "function":
            lines.insert(2, "  lbl: LOOP LEAVE lbl; END LOOP lbl;")
        return "\n".join(lines)

    def program(self, db, kind, tables):
        """A routine, trigger or event created under a random sql_mode
        and character_set_client."""
        r = self.r
        modes = ["", "ANSI_QUOTES", "NO_BACKSLASH_ESCAPES",
                 "PIPES_AS_CONCAT,NO_BACKSLASH_ESCAPES", "TRADITIONAL",
                 "ANSI", "STRICT_ALL_TABLES,ANSI_QUOTES"]
        mode = r.choice(modes)
        enc, cs = "utf-8", "utf8mb4"
        if self.on("charset-client") and r.random() < 0.35:
            cs, enc = r.choice([("koi8r", "koi8_r"), ("cp1251", "cp1251"),
                                ("latin1", "cp1252")])
        space = {"function": "routine-f", "procedure": "routine-p",
                 "trigger": "trigger", "event": "event"}[kind]
        ok = enc
        if enc != "utf-8" and (
                not self.on("program-name-charset") or
                (kind == "event" and not self.on("event-name-charset"))):
            ok = "ascii"
        # MySQL 9.7 refuses a backslash in a "quoted" name, and a routine
        # body naming "a""b€" ("invalid utf8mb3 character string").
        name = self.ident(db, space, charset_ok=ok, forbid="\\\"" if (
            "ANSI" in mode and not self.maria) else "")
        ref = None
        cands = [t for t in tables if self.encodes(t["name"], enc)]
        if enc != "utf-8" and not self.on("program-name-charset"):
            cands = [t for t in cands if t["name"].isascii()]
        if not self.maria:
            # MySQL 9.7 refuses a body naming `Å``x` (a doubled backtick
            # and a non-ASCII character in one name: "invalid utf8mb3
            # character string").
            cands = [t for t in cands
                     if "`" not in t["name"] or t["name"].isascii()]
        if "ANSI" in mode and not self.maria:
            cands = [t for t in cands if "\\" not in t["name"] and
                     '"' not in t["name"]]
        refs = cands
        if enc != "utf-8" and not self.maria:
            # MySQL refuses some non-ASCII names (a latin1 NBSP: "invalid
            # utf8mb3 character string") in the body of a program created
            # under a client that is not UTF-8.
            refs = [t for t in cands if t["name"].isascii()]
        if refs:
            tab = r.choice(refs)
            ref = tab["name"]
        body = self.body(kind, mode, enc, ref)
        q = qa if ("ANSI" in mode) else qi
        if kind == "function":
            head = ("CREATE FUNCTION %s(x INT) RETURNS INT DETERMINISTIC "
                    "COMMENT %s" % (q(name), self.awkward(
                        "NO_BACKSLASH_ESCAPES" in mode, enc,
                        enc != "utf-8" and
                        not self.on("routine-comment-charset"),
                        "NO_BACKSLASH_ESCAPES" in mode and
                        not self.on("routine-comment-nbe"))))
        elif kind == "procedure":
            head = "CREATE PROCEDURE %s(IN n INT, OUT o TEXT) %s" % (
                q(name), r.choice(["", "SQL SECURITY INVOKER",
                                   "MODIFIES SQL DATA"]))
        elif kind == "trigger":
            if not cands:
                return
            tab = r.choice([t for t in cands if t["engine"] != "ARCHIVE"]
                           or [None])
            if tab is None or tab.get("versioned"):
                return
            when = (r.choice(["BEFORE", "AFTER"]),
                    r.choice(["INSERT", "UPDATE", "DELETE"]))
            order = ""
            prev = self.last_trigger.get(db)
            if (prev and r.random() < 0.6 and prev[0] in cands and
                    self.encodes(prev[2], enc) and not (
                        "ANSI" in mode and not self.maria and
                        ("\\" in prev[2] or '"' in prev[2]))):
                # A second trigger on the same event, placed by name.
                tab, when = prev[0], prev[1]
                order = " %s %s" % (r.choice(["FOLLOWS", "PRECEDES"]),
                                    q(prev[2]))
            self.last_trigger[db] = (tab, when, name)
            head = "CREATE TRIGGER %s %s %s ON %s FOR EACH ROW%s" % (
                q(name), when[0], when[1], q(tab["name"]), order)
        else:
            head = ("CREATE EVENT %s ON SCHEDULE EVERY %d DAY STARTS "
                    "'2030-01-01 00:00:00' ON COMPLETION PRESERVE DISABLE "
                    "COMMENT %s DO" % (q(name), r.randint(1, 30), self.awkward(
                        "NO_BACKSLASH_ESCAPES" in mode, enc,
                        enc != "utf-8" and
                        not self.on("routine-comment-charset"),
                        "NO_BACKSLASH_ESCAPES" in mode and
                        not self.on("routine-comment-nbe"))))
        stmt = head + "\n" + body
        d = self.delimiter(stmt)
        self.emit("SET NAMES %s;\nSET SESSION sql_mode = '%s';\n"
                  "DELIMITER %s\n" % (cs, mode, d))
        self.emit(stmt + d + "\n", enc)
        self.emit("DELIMITER ;\nSET NAMES utf8mb4;\n"
                  "SET SESSION sql_mode = '';\n")

    def encodes(self, s, enc):
        try:
            s.encode(enc)
            return True
        except UnicodeEncodeError:
            return False

    # ---- the whole script ---------------------------------------------
    def database(self, name):
        r = self.r
        cs = r.choice(["utf8mb4", "latin1", "koi8r", "cp1251", "sjis", "big5",
                       "gbk", "utf8mb3"])
        extra = ""
        if self.maria and r.random() < 0.5:
            extra = " COMMENT %s" % self.strlit(r.choice(AWKWARD))
        self.emit("CREATE DATABASE %s CHARACTER SET %s%s;\nUSE %s;\n" % (
            qi(name), cs, extra, qi(name)))

    def run(self):
        r, a = self.r, self.a
        self.emit("-- genschema.py --seed %d --flavour %s --version %s\n"
                  "SET NAMES utf8mb4;\nSET SESSION sql_mode = '';\n"
                  "SET time_zone = '+00:00';\nSET foreign_key_checks = 0;\n"
                  % (a.seed, a.flavour, a.version))
        names = []
        for i in range(a.databases):
            n = self.ident("", "db")
            names.append(n)
            if i == 0:
                t = self.twin("", "db", n)
                if t:
                    names.append(t)
        per = max(1, a.tables // len(names))
        allparents = []
        allsources = []
        for db in names:
            self.dbs.append(db)
            self.database(db)
            tabs = []
            engines = self.engines
            for i in range(per):
                eng = r.choice(engines)
                tn = self.ident(db, "table")
                t = self.table(db, tn, eng, allparents)
                tabs.append(t)
                if t["pkdef"] and eng == "InnoDB":
                    allparents.append((db, t))
                if i % 10 == 0:
                    tw = self.twin(db, "table", tn)
                    if tw:
                        tabs.append(self.table(db, tw, eng, []))
            if not self.mutations:
                tabs.append(self.allbytes_table(db))
            self.tables[db] = tabs
            if self.maria and self.on("sequences"):
                seqs = [self.sequence(db) for _ in range(r.randint(1, 4))]
                tabs.append(self.seq_default_table(db, r.choice(seqs)))
            sources = [(db, t["name"], [c[0] for c in t["cols"]], True)
                       for t in tabs]
            if allsources and self.on("cross-db-views"):
                other = [s for s in allsources
                         if s[3] or self.on("cross-db-view-on-view")]
                sources += r.sample(other, min(3, len(other)))
            for _ in range(r.randint(2, 6)):
                v, vc = self.view(db, sources)
                sources.append((db, v, vc, False))
            allsources += [s for s in sources if s[0] == db]
            for kind in (["function"] * 2 + ["procedure"] * 2 +
                         ["trigger"] * 3 +
                         (["event"] if self.on("events") else [])):
                self.program(db, kind, tabs)
        if a.dbs_file:
            with open(a.dbs_file, "w") as f:
                for db in self.dbs:
                    f.write(db.encode("utf-8").hex() + "\n")
        if a.mutation_file:
            sql, db, obj = r.choice(self.mutations)
            with open(a.mutation_file, "w", encoding="utf-8") as f:
                f.write(sql + ";\nSELECT ROW_COUNT();\n")
            with open(a.mutation_file + ".obj", "w", encoding="utf-8") as f:
                f.write("%s\t%s\n" % (db.encode("utf-8").hex(),
                                       obj.replace("\n", "\\n")))
        ntab = sum(len(v) for v in self.tables.values())
        print("genschema: seed %d, %d databases, %d tables" %
              (a.seed, len(self.dbs), ntab), file=sys.stderr)
        sys.stdout.buffer.write(b"".join(self.out))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--flavour", choices=["mariadb", "mysql"],
                   default="mariadb")
    p.add_argument("--version", default="10.11")
    p.add_argument("--tables", type=int, default=250)
    p.add_argument("--databases", type=int, default=5)
    p.add_argument("--engines", default="InnoDB,MyISAM")
    p.add_argument("--dbs-file")
    p.add_argument("--mutation-file")
    p.add_argument("--without", default="",
                   help="comma-separated: " + ", ".join(sorted(CLASSES)))
    p.add_argument("--with", dest="with_", default="",
                   help="comma-separated: " + ", ".join(sorted(KNOWN_BAD)))
    a = p.parse_args()
    for w in a.without.split(","):
        if w and w not in CLASSES:
            p.error("--without: unknown class %r" % w)
    for w in a.with_.split(","):
        if w and w not in KNOWN_BAD:
            p.error("--with: unknown class %r" % w)
    if a.flavour == "mysql":
        a.without += ",sequences,versioning"
    Gen(a).run()


if __name__ == "__main__":
    main()
