"""What several test modules share: real server processes, and talking to them as a browser."""

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request

from django.conf import settings

from .conftest import EDITOR_PASSWORD


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_environment(database_url, **extra):
    """The production profile's environment on the loopback, with nothing of the test run's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SECRET_KEY="a-throwaway-key-for-a-test-server",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_HTTPS="0",  # plain HTTP on the loopback
        DJANGO_SUPERUSER_PASSWORD=EDITOR_PASSWORD,
        **extra,
    )
    return env


def manage(env, *args):
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result


def start_gunicorn(env, port, log=subprocess.DEVNULL):
    """gunicorn with the production configuration (gunicorn.conf.py), one worker."""
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "netfree.wsgi"],
        cwd=settings.BASE_DIR,
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1"},
        stdout=log,
        stderr=log,
    )


def wait_until_up(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/robots.txt", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not start")


def fetch(url, opener=None, data=None, headers=None):
    request = urllib.request.Request(
        url,
        data=urllib.parse.urlencode(data, doseq=True).encode() if data else None,
        headers=headers or {},
    )
    with (opener or urllib.request.build_opener()).open(request, timeout=20) as response:
        return response.read().decode()
