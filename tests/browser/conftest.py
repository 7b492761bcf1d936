"""Playwright for Python driving Debian's Chromium against a live server of the real app.

Playwright's own browser download does not work on these machines, so the tests launch
/usr/bin/chromium (installed by scripts/run-tests when missing). A missing browser fails the
run: browser tests never skip silently.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API runs an event loop in the test thread; Django's async-safety guard
# would then refuse the test's own database calls, which are in fact synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, but static files come from WhiteNoise as in production.

    The default handler serves static files from the finders, which know nothing of the
    fingerprinted names the manifest storage writes into pages.
    """
    server = LiveServer("127.0.0.1", start=False)
    server.thread.static_handler = lambda app: app
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test`, which installs it with apt-get")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class PageWatcher:
    """What a page did that a reader would not want: errors, dialogs, requests to other hosts."""

    def __init__(self, page, live_server_url):
        self.errors, self.dialogs, self.foreign_requests = [], [], []
        own_host = urlsplit(live_server_url).netloc
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on(
            "console",
            lambda message: self.errors.append(message.text) if message.type == "error" else None,
        )
        page.on("dialog", self._on_dialog)
        page.on(
            "request",
            lambda req: (
                self.foreign_requests.append(req.url)
                if urlsplit(req.url).netloc not in {own_host, ""}
                else None
            ),
        )

    def _on_dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()


# Browser tests need a transactional database, whose flush between tests would also remove
# what data migrations create (the Editors group): `django_db_serialized_rollback` restores it.


def _new_page(browser, live_server, request, viewport):
    context = browser.new_context(viewport=viewport, base_url=live_server.url)
    page = context.new_page()
    page.watcher = PageWatcher(page, live_server.url)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{request.node.name}.png", full_page=True)
    context.close()


@pytest.fixture(params=["phone", "desktop"])
def page(browser, live_server, transactional_db, django_db_serialized_rollback, request):
    """A page at a phone's width and at a desktop's: the test runs once for each."""
    yield from _new_page(
        browser, live_server, request, {"phone": PHONE, "desktop": DESKTOP}[request.param]
    )


@pytest.fixture
def phone_page(browser, live_server, transactional_db, django_db_serialized_rollback, request):
    yield from _new_page(browser, live_server, request, PHONE)


@pytest.fixture
def desktop_page(browser, live_server, transactional_db, django_db_serialized_rollback, request):
    yield from _new_page(browser, live_server, request, DESKTOP)


@pytest.fixture
def second_desktop_page(
    browser, live_server, transactional_db, django_db_serialized_rollback, request
):
    """Another editor's browser: a separate context, with its own session."""
    yield from _new_page(browser, live_server, request, DESKTOP)
