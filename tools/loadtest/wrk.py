"""One wrk run (the Debian package; scripts/bench and scripts/soak install it) and its figures."""

import re
import shlex
import subprocess
import time
from dataclasses import dataclass

UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def milliseconds(text):
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", text).groups()
    return float(number) * UNITS[unit]


@dataclass
class Run:
    """What one wrk run did, from `start` to `end` (seconds since the caller's `t0`).

    Its latencies are of the requests that completed within the run: for a page so slow that
    few do, they leave out the queueing of the rest and read low.
    """

    start: float
    end: float
    rps: float
    requests: int  # completed
    non_2xx: int  # non-2xx or 3xx answers
    socket_errors: int  # connect, read, write errors and timeouts
    p50: float  # milliseconds
    p99: float

    @property
    def errors(self):
        return self.non_2xx + self.socket_errors


def run(url, seconds, *, threads, connections, options=(), log=None, t0=None):
    """wrk -t`threads` -c`connections` -d`seconds`s on `url` (`options` before it: -H, -s...).

    The command and its output are appended to `log` (an open text file), with the run's
    times since `t0` (time.monotonic()) when it is given.
    """
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    command += ["--latency", *options, url]
    since = 0.0 if t0 is None else t0
    start = time.monotonic() - since
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 60
    ).stdout
    end = time.monotonic() - since
    if log is not None:
        when = "" if t0 is None else f"   # T+{start:.2f} s .. T+{end:.2f} s"
        log.write(f"$ {shlex.join(command)}{when}\n{output}\n")
    non_2xx = socket_errors = 0
    if match := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        non_2xx = int(match.group(1))
    if match := re.search(r"Socket errors: (.*)", output):
        socket_errors = sum(int(n) for n in re.findall(r"\d+", match.group(1)))
    return Run(
        start,
        end,
        float(re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M).group(1)),
        int(re.search(r"^\s+(\d+) requests in", output, re.M).group(1)),
        non_2xx,
        socket_errors,
        milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
    )
