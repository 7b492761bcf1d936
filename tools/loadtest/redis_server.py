"""A throwaway redis-server (the Debian package; scripts/bench and scripts/soak install it)."""

import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import nullcontext

from tools.loadtest.server import free_port


class RedisServer:
    """redis-server on a free port of 127.0.0.1, which its user may pause, kill and start again
    on the same port. It writes its dump (to a folder of its own) only when told to (`save`), and
    loads it when started again. Its output goes to `log` (a path), or nowhere. Started and
    always stopped by the `with`, which gives the server; its address is `url`."""

    def __init__(self, log=None):
        if shutil.which("redis-server") is None:
            raise SystemExit(
                "redis-server is missing: run scripts/bench or scripts/soak (make bench, "
                "make soak), which install it"
            )
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log = log
        self.folder = None
        self.process = None

    def __enter__(self):
        self.folder = tempfile.mkdtemp(prefix="netfree-redis.")
        if self.log is not None:
            self.log.write_bytes(b"")
        try:
            self.start()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # were it still paused, it would not stop
            self.process.terminate()
            self.process.wait(timeout=10)
        shutil.rmtree(self.folder, ignore_errors=True)

    def start(self, timeout=30):
        """Start it (again: from its dump, if it wrote one) and wait until it answers."""
        import redis

        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", self.folder]
        output = open(self.log, "ab") if self.log else nullcontext(subprocess.DEVNULL)
        with output as log:
            self.process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"redis-server exited at start{self.see_log()}")
            try:
                with self.client() as client:
                    if client.ping():  # not while it loads its dump: that is an error
                        return
            except redis.RedisError:
                pass
            time.sleep(0.02)
        raise SystemExit(f"redis-server did not answer within {timeout} s{self.see_log()}")

    def see_log(self):
        return f": see {self.log}" if self.log else ""

    def client(self):
        import redis

        return redis.Redis(port=self.port, socket_timeout=5, socket_connect_timeout=5)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def save(self):
        with self.client() as client:
            client.save()

    def kill(self):
        self.process.kill()
        self.process.wait(timeout=10)
