"""What several test modules share: the editors' password, fixture export, reading pages as a
reader does, and real server processes and talking to them as a browser."""

import io
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from html.parser import HTMLParser

from django.conf import settings
from django.core.management import call_command

EDITOR_PASSWORD = "a-long-test-password-for-editors"


# Fixture export ----------------------------------------------------------------------------------


def export(directory, *args):
    """`export_fixtures` into `directory`; what it printed."""
    out = io.StringIO()
    call_command("export_fixtures", "--output", str(directory), *args, stdout=out)
    return out.getvalue()


def snapshot(directory):
    """The fixture files in `directory`, name → bytes."""
    return {path.name: path.read_bytes() for path in sorted(directory.glob("*.json"))}


# Reading pages -----------------------------------------------------------------------------------


class _TextExtractor(HTMLParser):
    """The text a reader sees: tags dropped, whitespace folded, scripts and styles skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style", "title"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"script", "style", "title"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


class _ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def parsed_elements(html):
    """Every (tag, attributes) pair in the document, as a browser's parser sees them."""
    collector = _ElementCollector()
    collector.feed(html)
    return collector.elements


def visible_text(html):
    extractor = _TextExtractor()
    extractor.feed(html)
    return " ".join(" ".join(extractor.parts).split())


# Real server processes ---------------------------------------------------------------------------


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
