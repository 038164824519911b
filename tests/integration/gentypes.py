"""gentypes.py: the column types and edge values of genschema.py (a
mixin of its generator: it uses self.r, self.maria, self.ver and self.on).

Python 3 standard library only."""


# Charsets of character columns: server name, Python codec, characters.
# Multi-byte ones include characters whose second byte is 0x5C (a
# backslash) or 0x27/0x60 where the charset has them.
CHARSETS = [
    ("utf8mb4", "utf-8", "aZ09 ü€ß日本😀🎉𝄞Ж"),
    ("utf8mb3", "utf-8", "aZ09 ü€ß日本Ж"),
    ("latin1", "cp1252", "aZ09 üßÿé€"),
    ("koi8r", "koi8_r", "aZ09 ЖжяЯёЁщ"),
    ("cp1251", "cp1251", "aZ09 ЖжяЯёЁщ"),
    ("big5", "big5", "aZ09 許功蓋餐"),
    ("sjis", "shift_jis", "aZ09 表能ソ予"),
    ("cp932", "cp932", "aZ09 表能ソ予"),
    ("gbk", "gbk", "aZ09 稞乗"),
    ("ucs2", "utf-16-be", "aZ09 ü€日"),
    ("utf16", "utf-16-be", "aZ09 ü€😀"),
]
TEXT_SPECIAL = "'\"\\\n\r\t\x00\x1a;`%_"

INTS = [("TINYINT", 8), ("SMALLINT", 16), ("MEDIUMINT", 24), ("INT", 32),
        ("BIGINT", 64)]



def hexstr(b):
    return "X'" + b.hex() + "'"


class Types:
    def text(self, cs, codec, pool, maxchars):
        r = self.r
        n = r.randint(0, maxchars)
        s = "".join(r.choice(pool + TEXT_SPECIAL) for _ in range(n))
        return "_%s %s" % (cs, hexstr(s.encode(codec)))

    def coltype(self, engine):
        """(SQL type, value function, kind) for one random column."""
        r = self.r
        blobs = engine not in ("MEMORY",)
        kinds = ["int", "int", "decimal", "float", "double", "date",
                 "datetime", "timestamp", "time", "year", "bit", "binary",
                 "varbinary", "char", "varchar", "enum", "set"]
        if blobs:
            kinds += ["blob", "text", "json"]
            if engine != "ARCHIVE":
                kinds += ["geometry"]
        k = r.choice(kinds)
        return getattr(self, "t_" + k)()

    def t_int(self):
        r = self.r
        name, bits = r.choice(INTS)
        if r.random() < 0.4:
            hi = 2 ** bits - 1
            vals = [0, hi, 1, r.randint(0, hi)]
            return name + " UNSIGNED", vals, "num"
        lo, hi = -2 ** (bits - 1), 2 ** (bits - 1) - 1
        return name, [lo, hi, 0, -1, r.randint(lo, hi)], "num"

    def t_decimal(self):
        r = self.r
        if r.random() < 0.4:
            p, s = 65, 30
        else:
            p = r.randint(1, 65)
            s = r.randint(0, min(p, 30))
        big = "9" * (p - s) + ("." + "9" * s if s else "")
        if p == s:
            big = "0" + big
        tiny = ("0." + "0" * (s - 1) + "1") if s else "1"
        uns = r.random() < 0.3
        vals = [big, "0", tiny]
        if not uns:
            vals += ["-" + big, "-" + tiny]
        return ("DECIMAL(%d,%d)%s" % (p, s, " UNSIGNED" if uns else ""),
                vals, "num")

    def t_float(self):
        return "FLOAT", ["3.4028234e38", "-3.4028234e38", "1.17549435e-38",
                         "1.4e-45", "-0.0", "0.1", "16777217", "1/3"], "num"

    def t_double(self):
        return "DOUBLE", ["1.7976931348623157e308", "-1.7976931348623157e308",
                          "4.9e-324", "2.2250738585072014e-308", "-0.0",
                          "0.1", "0.30000000000000004", "1/3"], "num"

    def zero(self, vals, zeros):
        if self.on("zero-dates"):
            vals += zeros
        return vals

    def t_date(self):
        return "DATE", self.zero(["'1000-01-01'", "'9999-12-31'",
                                  "'2024-02-29'", "'0001-01-01'"],
                                 ["'0000-00-00'", "'2020-00-15'"]), "str"

    def frac(self):
        return self.r.randint(0, 6)

    def t_datetime(self):
        p = self.frac()
        f = ("." + "9" * p) if p else ""
        return "DATETIME(%d)" % p, self.zero(
            ["'1000-01-01 00:00:00'", "'9999-12-31 23:59:59%s'" % f,
             "'2021-03-28 02:30:00'"],
            ["'0000-00-00 00:00:00'", "'2020-05-00 10:00:00'"]), "str"

    def t_timestamp(self):
        p = self.frac()
        f = ("." + "9" * p) if p else ""
        top = "2038-01-19 03:14:07"
        if self.maria and self.ver >= (11, 5):
            top = "2106-02-07 06:28:15"
        return "TIMESTAMP(%d) NULL DEFAULT NULL" % p, self.zero(
            ["'1970-01-01 00:00:01'", "'%s%s'" % (top, f),
             "'2021-10-31 01:30:00'"], ["'0000-00-00 00:00:00'"]), "str"

    def t_time(self):
        p = self.frac()
        f = ("." + "9" * p) if p else ""
        return "TIME(%d)" % p, ["'-838:59:59'", "'838:59:59'",
                                "'-00:00:00.5'", "'25:00:00%s'" % f,
                                "'-100:00:01%s'" % f], "str"

    def t_year(self):
        return "YEAR", ["1901", "2155", "0", "1970", "'0000'"], "num"

    def t_bit(self):
        r = self.r
        n = r.choice([1, 64, r.randint(1, 64)])
        vals = ["b'0'", "b'" + "1" * n + "'",
                "b'" + "".join(r.choice("01") for _ in range(n)) + "'"]
        return "BIT(%d)" % n, vals, "bit"

    def allbytes(self, n):
        b = list(range(256))
        self.r.shuffle(b)
        return bytes(b[:n])

    def bvals(self, n):
        r = self.r
        return [hexstr(self.allbytes(min(n, 256))), "X'00'", "X''",
                hexstr(bytes([0x5C, 0x27, 0x00, 0x22, 0x60, 0x0D, 0x0A,
                              0x1A, 0xFF])[:n]),
                hexstr(bytes(r.randrange(256) for _ in range(min(n, 40))))]

    def t_binary(self):
        n = self.r.randint(1, 255)
        return "BINARY(%d)" % n, self.bvals(n), "bin"

    def t_varbinary(self):
        n = self.r.choice([255, 300, self.r.randint(1, 600)])
        return "VARBINARY(%d)" % n, self.bvals(n), "bin"

    def t_blob(self):
        t = self.r.choice(["TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB"])
        return t, self.bvals(255), "bin"

    def charset(self):
        cs, codec, pool = self.r.choice(CHARSETS)
        return cs, codec, pool

    def cvals(self, cs, codec, pool, n):
        return [self.text(cs, codec, pool, n) for _ in range(4)] + ["''"]

    def t_char(self):
        cs, codec, pool = self.charset()
        n = self.r.randint(1, 60)
        return ("CHAR(%d) CHARACTER SET %s" % (n, cs),
                self.cvals(cs, codec, pool, n), "str")

    def t_varchar(self):
        cs, codec, pool = self.charset()
        n = self.r.randint(1, 200)
        return ("VARCHAR(%d) CHARACTER SET %s" % (n, cs),
                self.cvals(cs, codec, pool, n), "str")

    def t_text(self):
        cs, codec, pool = self.charset()
        t = self.r.choice(["TINYTEXT", "TEXT", "MEDIUMTEXT", "LONGTEXT"])
        return ("%s CHARACTER SET %s" % (t, cs),
                self.cvals(cs, codec, pool, 60), "str")

    def t_enum(self):
        members = ["a", "b", "x y", "ü", "it''s", "b\\\\c", "Ab"]
        self.r.shuffle(members)
        members = members[:self.r.randint(1, len(members))]
        vals = ["'%s'" % m for m in members]
        if self.r.random() < 0.5:
            members.append("")
            vals.append("''")
        if self.on("enum-error-value") or "" not in members:
            vals.append("'not a member'")   # the error value, index 0
        return ("ENUM(%s)" % ", ".join("'%s'" % m for m in members), vals,
                "str")

    def t_set(self):
        members = ["a", "b", "c d", "ü", "e''f"]
        return ("SET(%s)" % ", ".join("'%s'" % m for m in members),
                ["''", "'a,b'", "'a,b,c d,ü,e''f'", "'ü'", "'zz'"], "str")

    def t_json(self):
        return "JSON", ["'{\"a\": [1, 2.5, \"ü😀\", null, true]}'", "'[]'",
                        "'\"str\"'", "'{\"k\\\\\"q\": \"\\\\\\\\ \\\\n\"}'",
                        "'1e308'", "'null'", "'-0'"], "str"

    def t_geometry(self):
        t = self.r.choice(["POINT", "LINESTRING", "POLYGON", "GEOMETRY",
                           "MULTIPOINT", "GEOMETRYCOLLECTION"])
        wkt = {
            "POINT": ["POINT(1 2)", "POINT(-0.000001 1e10)"],
            "LINESTRING": ["LINESTRING(0 0,1 1,2 -1.5)"],
            "POLYGON": ["POLYGON((0 0,10 0,10 10,0 10,0 0),"
                        "(2 2,3 2,3 3,2 2))"],
            "MULTIPOINT": ["MULTIPOINT(1 1,2 2)"],
            "GEOMETRYCOLLECTION": ["GEOMETRYCOLLECTION(POINT(1 1),"
                                   "LINESTRING(0 0,1 1))"],
        }
        w = wkt.get(t, ["POINT(3 4)", "LINESTRING(0 0,1 1)"])
        return t, ["ST_GeomFromText('%s')" % x for x in w], "geo"
