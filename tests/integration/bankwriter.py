#!/usr/bin/env python3
"""bankwriter.py CNF DB ROWS STOPFILE LOG: moves random amounts between rows
of the two account tables acct_a and acct_b, one transaction at a time,
through a mariadb client in unbuffered batch mode, until STOPFILE exists.
Every transaction keeps SUM(acct_a.balance) + SUM(acct_b.balance) constant.
LOG gets one line per transaction: its start (epoch seconds) and its
latency (seconds, from BEGIN sent to COMMIT acknowledged)."""

import os
import random
import subprocess
import sys
import time


def main():
    cnf, db, rows, stopfile, logpath = sys.argv[1:6]
    rows = int(rows)
    p = subprocess.Popen(
        [os.environ.get("MS_SQL_CLIENT", "mariadb"), "--defaults-file=" + cnf, "-N", "-B", "--unbuffered",
         db], stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    log = open(logpath, "w", buffering=1)
    rnd = random.Random(os.getpid())
    tables = ["acct_a", "acct_b"]
    i = 0
    while not os.path.exists(stopfile):
        i += 1
        src, dst = rnd.choice(tables), rnd.choice(tables)
        a, b = rnd.randint(1, rows), rnd.randint(1, rows)
        amt = rnd.randint(1, 100)
        sql = ("START TRANSACTION;"
               "UPDATE %s SET balance = balance - %d WHERE id = %d;"
               "UPDATE %s SET balance = balance + %d WHERE id = %d;"
               "COMMIT;SELECT 'tx %d';\n" % (src, amt, a, dst, amt, b, i))
        t0 = time.time()
        p.stdin.write(sql.encode())
        want = ("tx %d\n" % i).encode()
        while True:
            line = p.stdout.readline()
            if not line:
                sys.exit("bankwriter: client exited")
            if line == want:
                break
        log.write("%.6f %.6f\n" % (t0, time.time() - t0))
    p.stdin.close()
    p.wait()


if __name__ == "__main__":
    main()
