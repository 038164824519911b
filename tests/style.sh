#!/bin/sh
# The house rules of the developers' guide that a machine can hold, over
# src/: files of at most ~700 lines, functions of at most one screen, no two
# files with the same name, a banner on every header, each folder's files in
# its own build fragment, and layers that only look down
# (util < stream < repo, policy < db < job < cmd; repo and policy are peers,
# and db never includes repo: servers are db's, stores are repo's); and in
# the shell harness (tests/*.sh) no function defined twice.
# Prints one line per breach and fails if there is any.
set -eu
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
exec python3 - "$top" <<'PY'
import os, re, sys
top = sys.argv[1]
src = os.path.join(top, "src")
MAX_FILE, MAX_FUNC = 720, 80
RANK = {"util": 0, "stream": 1, "repo": 2, "policy": 2, "db": 3, "job": 4, "cmd": 5}
bad = []
seen = {}
files = []
for d, _, names in os.walk(src):
    for n in sorted(names):
        if n.endswith((".c", ".h")):
            files.append(os.path.join(d, n))
for p in sorted(files):
    rel = os.path.relpath(p, top)
    n = os.path.basename(p)
    if n in seen:
        bad.append(f"{rel}: same name as {seen[n]}")
    seen[n] = rel
    lines = open(p, encoding="utf-8", errors="replace").read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) > MAX_FILE:
        bad.append(f"{rel}: {len(lines)} lines (at most {MAX_FILE})")
    if n.endswith(".h") and not lines[0].startswith("/*"):
        bad.append(f"{rel}:1: header does not open with a banner comment")
    start = None
    for i, l in enumerate(lines, 1):
        if l.startswith("{"):
            start = i
        elif l.startswith("}") and start is not None:
            if i - start - 1 > MAX_FUNC:
                name = next((lines[j - 1] for j in range(start - 1, 0, -1)
                             if "(" in lines[j - 1]), "?")
                name = name.split("(")[0].split()[-1].lstrip("*")
                bad.append(f"{rel}:{start}: {name}() has {i - start - 1} lines "
                           f"(at most {MAX_FUNC})")
            start = None
    layer = os.path.relpath(p, src).split(os.sep)[0]
    if layer not in RANK:
        continue
    for i, l in enumerate(lines, 1):
        m = re.match(r'#include "([a-z_]+)/', l)
        if not m or m.group(1) == layer:
            continue
        to = m.group(1)
        if to not in RANK or RANK[to] >= RANK[layer] or (layer == "db" and to == "repo"):
            bad.append(f"{rel}:{i}: {layer}/ includes {to}/ (layers only look down)")
for d in sorted(os.listdir(src)):
    full = os.path.join(src, d)
    if not os.path.isdir(full):
        continue
    mk = os.path.join(full, "local.mk")
    text = open(mk).read() if os.path.exists(mk) else ""
    if not text:
        bad.append(f"src/{d}: no build fragment src/{d}/local.mk")
    for n in sorted(os.listdir(full)):
        if n.endswith((".c", ".h")) and f"src/{d}/{n}" not in text:
            bad.append(f"src/{d}/{n}: not listed in src/{d}/local.mk")
for other in sorted(os.listdir(src)):
    if other.endswith(".mk"):
        bad.append(f"src/{other}: build fragments live in their folder")
# The shell harness: a function defined twice silently replaces the first.
for sh in sorted(os.listdir(os.path.join(top, "tests"))):
    if not sh.endswith(".sh"):
        continue
    defs = {}
    path = os.path.join(top, "tests", sh)
    for i, l in enumerate(open(path, encoding="utf-8", errors="replace"), 1):
        m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)\(\)\s*$", l)
        if m:
            if m.group(1) in defs:
                bad.append(f"tests/{sh}:{i}: {m.group(1)}() defined again "
                           f"(first at line {defs[m.group(1)]})")
            defs.setdefault(m.group(1), i)
for b in bad:
    print("style: " + b)
print(f"style: {len(files)} files, {len(bad)} breaches")
sys.exit(1 if bad else 0)
PY
