"""gunicorn with the production profile on the loopback, and plain GETs of it."""

import http.client
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tools.loadtest.project import ROOT
from tools.loadtest.report import say

# No answer: refused or reset connections, timeouts, a connection closed before the status line.
NO_ANSWER = (OSError, http.client.HTTPException)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(port, path, cookie=None, timeout=30, headers=None):
    """One GET on 127.0.0.1 with this Cookie header (or none): (status, body)."""
    return fetch_response(port, path, cookie, timeout, headers)[:2]


def fetch_response(port, path, cookie=None, timeout=30, headers=None):
    """One GET on 127.0.0.1: (status, body as sent, the response's headers)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        sent = {**({"Cookie": cookie} if cookie else {}), **(headers or {})}
        connection.request("GET", path, headers=sent)
        response = connection.getresponse()
        return response.status, response.read(), response.headers
    finally:
        connection.close()


class Server:
    """`gunicorn -c gunicorn.conf.py netfree.wsgi` on 127.0.0.1:`port`, with `env` (its
    GUNICORN_BIND, WEB_CONCURRENCY, DJANGO_SETTINGS_MODULE...) and its output in `log`; ready
    when `ready_path` answers 200 to an anonymous GET; always stopped by the `with`."""

    def __init__(self, env, port, log, ready_path="/"):
        self.env, self.port, self.log, self.ready_path = env, port, log, ready_path
        self.base = f"http://127.0.0.1:{port}"
        self.process = None

    def __enter__(self):
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "netfree.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        try:
            self.wait_ready()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start:\n{self.log_tail()}")
            try:
                if fetch(self.port, self.ready_path, timeout=5)[0] == 200:
                    return
            except NO_ANSWER:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def drain(self, timeout=60):
        """Wait until requests queued by the last wrk run are served.

        Sync workers serve the connections still in the listen queue after wrk has stopped:
        without this, slow pages would eat into the next run. `ready_path` should be cheap.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            started = time.monotonic()
            fetch(self.port, self.ready_path, timeout=timeout)
            if time.monotonic() - started < 0.05:
                return
        say(f"warning: the server was still busy {timeout} s after a round")

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # graceful: the master stops its workers
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log_tail(self):
        return Path(self.log).read_text(errors="replace")[-3000:]
