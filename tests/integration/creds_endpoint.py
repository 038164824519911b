#!/usr/bin/env python3
"""A container credentials endpoint (as ECS's agent or EKS Pod Identity's)
for s3_container.sh, on 127.0.0.1 only.

usage: creds_endpoint.py LOG PORTFILE LIFEFILE
Environment: S3_CONTROL (the S3 test server's control URL), CREDS_TOKEN (the
Authorization header to require).

Each GET gets a new temporary key pair, registered with the S3 test server
(/__control/key) to expire in SERVER seconds, and answered as JSON with an
Expiration TOLD seconds from now; LIFEFILE holds "TOLD [SERVER]" (SERVER
defaults to TOLD), re-read at every request.  A wrong Authorization header
gets 401 without a body.  LOG gets one line a request, "GET PATH ok" or
"GET PATH 401", never the token; LOG.secrets the secrets and tokens it
handed out (for the test to look for them in myship's output).  Writes its
port to PORTFILE when ready.
"""
import datetime
import http.server
import json
import os
import secrets
import sys
import time
import urllib.parse
import urllib.request

log, portfile, lifefile = sys.argv[1:4]
control = os.environ["S3_CONTROL"]
want = os.environ["CREDS_TOKEN"]


def iso(t):
    return datetime.datetime.fromtimestamp(
        t, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.headers.get("Authorization") != want:
            with open(log, "a") as f:
                f.write("GET %s 401\n" % self.path)
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with open(lifefile) as f:
            life = [int(v) for v in f.read().split()]
        told, server = life[0], life[-1]
        now = int(time.time())
        key = "ASIA" + secrets.token_hex(8).upper()
        secret = secrets.token_urlsafe(30)
        token = secrets.token_urlsafe(600)
        q = urllib.parse.urlencode({"id": key, "secret": secret,
                                    "token": token,
                                    "expires": now + server})
        urllib.request.urlopen(control + "/key?" + q, timeout=10).read()
        body = json.dumps({"RoleArn": "arn:aws:iam::123456789012:role/t",
                           "AccessKeyId": key, "SecretAccessKey": secret,
                           "Token": token,
                           "Expiration": iso(now + told)}).encode()
        with open(log + ".secrets", "a") as f:
            f.write("%s\n%s\n" % (secret, token))
        with open(log, "a") as f:
            f.write("GET %s ok\n" % self.path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
server.serve_forever()
