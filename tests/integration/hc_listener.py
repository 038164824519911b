#!/usr/bin/env python3
"""A healthchecks-style ping receiver for the run tests, on 127.0.0.1 only.

usage: hc_listener.py LOG PORTFILE DELAYFILE
Appends "METHOD PATH BODYLEN" per request to LOG (and the body to LOG.body),
then answers 200 after sleeping as many seconds as DELAYFILE holds (0 when
it does not exist), so a test can hold a run at its /start ping.  Writes the
port it listens on to PORTFILE once ready.
"""
import http.server
import os
import sys
import time

log, portfile, delayfile = sys.argv[1:4]


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self):
        n = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(n) if n else b""
        with open(log + ".body", "ab") as f:
            f.write(body)
        with open(log, "a") as f:
            f.write("%s %s %d\n" % (self.command, self.path, len(body)))
        try:
            with open(delayfile) as f:
                time.sleep(float(f.read().strip() or 0))
        except FileNotFoundError:
            pass
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"OK")

    do_GET = do_POST = do_HEAD = answer

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
