"""Readers on slow links: every page is compressed, made once per content version, and revalidated
per encoding; what may carry a secret is compressed only as Django's BREACH guidance allows."""

import gzip
import re

import brotli
import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = ["/", "/countries/kazakhstan/", "/blocked-sites/", "/search/?q=press", "/api/v1/countries/"]
BROWSER = "gzip, deflate, br, zstd"  # what Chromium sends


def decoded(response):
    body = response.content
    encoding = response.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(body)
    if encoding == "gzip":
        return gzip.decompress(body)
    assert encoding is None, encoding
    return body


@pytest.mark.parametrize("url", PAGES)
def test_pages_come_compressed_and_say_the_same(client, kazakhstan, url):
    plain = client.get(url, headers={"Accept-Encoding": ""})
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    for accept, expected in [(BROWSER, "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip")]:
        response = client.get(url, headers={"Accept-Encoding": accept})
        assert response["Content-Encoding"] == expected, accept
        assert "Accept-Encoding" in response["Vary"]
        assert decoded(response) == plain.content
        assert len(response.content) < len(plain.content) * (
            0.4 if len(plain.content) > 5000 else 0.8
        )
        assert int(response["Content-Length"]) == len(response.content)
        assert response["ETag"] != plain["ETag"]  # another body, another tag


@pytest.mark.parametrize("refusal", ["gzip;q=0", "gzip;q=0, br;q=0", "identity", "gzip;q=nan"])
def test_a_client_that_refuses_compression_gets_none(client, admin_client, kazakhstan, refusal):
    for who in (client, admin_client):  # cached, and past the cache
        response = who.get(kazakhstan.get_absolute_url(), headers={"Accept-Encoding": refusal})
        assert "Content-Encoding" not in response, (refusal, response.get("Content-Encoding"))


def test_each_encoding_revalidates_with_its_own_etag(client, kazakhstan):
    url = kazakhstan.get_absolute_url()
    first = client.get(url, headers={"Accept-Encoding": BROWSER})
    again = client.get(url, headers={"Accept-Encoding": BROWSER, "If-None-Match": first["ETag"]})
    assert again.status_code == 304 and "Accept-Encoding" in again["Vary"]
    # The gzip copy's tag does not validate the Brotli copy, nor the plain one.
    gzipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    other = client.get(url, headers={"Accept-Encoding": BROWSER, "If-None-Match": gzipped["ETag"]})
    assert other.status_code == 200 and other["Content-Encoding"] == "br"
    # A list of tags, and a weak one, as caches send them.
    listed = f'"nope", W/{first["ETag"]}'
    assert (
        client.get(url, headers={"Accept-Encoding": BROWSER, "If-None-Match": listed}).status_code
        == 304
    )


def test_compression_happens_once_per_content_version(client, kazakhstan, monkeypatch):
    from countries import compression

    calls = []
    real = compression.brotli.compress
    monkeypatch.setattr(
        compression.brotli, "compress", lambda *a, **k: calls.append(1) or real(*a, **k)
    )
    url = kazakhstan.get_absolute_url()
    for _ in range(5):
        assert client.get(url, headers={"Accept-Encoding": BROWSER})["Content-Encoding"] == "br"
    assert len(calls) == 1


def test_pages_with_a_session_are_gzipped_with_random_padding(admin_client, kazakhstan):
    """BREACH: an editor's page holds a CSRF token beside text a link can put there. Django's
    guidance: its GZipMiddleware pads each response at random, and the token is masked anew in
    each response; so two compressions of the same page differ in length or bytes."""
    url = reverse("admin:countries_country_change", args=[kazakhstan.pk])
    first = admin_client.get(url, headers={"Accept-Encoding": BROWSER})
    second = admin_client.get(url, headers={"Accept-Encoding": BROWSER})
    assert first["Content-Encoding"] == second["Content-Encoding"] == "gzip"  # never br here
    assert first.content != second.content
    tokens = [
        re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', gzip.decompress(r.content))[1]
        for r in (first, second)
    ]
    assert tokens[0] != tokens[1]


def test_downloads_and_small_answers_pass_untouched(client, kazakhstan):
    zipped = client.get("/data/netfree-fixtures.zip", headers={"Accept-Encoding": BROWSER})
    assert "Content-Encoding" not in zipped
    robots = client.get("/robots.txt", headers={"Accept-Encoding": BROWSER})
    assert len(b"".join([robots.content])) < 200 or robots.get("Content-Encoding")


# Weight budgets: what a reader's phone downloads for a page, assets included -----------------

BUDGETS = {"/": 40 * 1024, "/countries/kazakhstan/": 20 * 1024}


def assets(html):
    """What the page makes a browser fetch, and which of those block rendering."""
    tags = re.findall(r"<(?:link|script|img)\b[^>]*>", html)
    fetched, blocking = [], []
    for tag in tags:
        url = re.search(r'\b(?:href|src)="([^"]+)"', tag)
        if url is None or not url[1].startswith("/") or 'rel="alternate"' in tag:
            continue
        if tag.startswith("<link") and not re.search(r'rel="(stylesheet|icon|preload)"', tag):
            continue
        fetched.append(url[1])
        if 'rel="stylesheet"' in tag or (
            tag.startswith("<script")
            and "defer" not in tag
            and "async" not in tag
            and 'type="module"' not in tag
        ):
            blocking.append(url[1])
    return fetched, blocking


@pytest.mark.parametrize("url, budget", BUDGETS.items())
def test_pages_stay_within_their_weight_budget(client, kazakhstan, url, budget):
    page = client.get(url, headers={"Accept-Encoding": BROWSER})
    html = decoded(page).decode()
    fetched, blocking = assets(html)
    assert len(blocking) == 1 and blocking[0].endswith(".css"), blocking  # one stylesheet
    total = len(page.content)
    for asset in fetched:
        response = client.get(asset, headers={"Accept-Encoding": BROWSER})
        assert response.status_code == 200, asset
        body = b"".join(response.streaming_content) if response.streaming else response.content
        total += len(body)
        # Fingerprinted, so cached for a year at least and never revalidated.
        assert "immutable" in response["Cache-Control"], asset
        max_age = int(re.search(r"max-age=(\d+)", response["Cache-Control"])[1])
        assert max_age >= 365 * 24 * 3600, asset
    assert total <= budget, f"{url}: {total} bytes, budget {budget}"
