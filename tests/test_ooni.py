"""OONI's evidence: links to OONI Explorer, the check against OONI's aggregation API (replayed
from tests/data/ooni by a local server: the real OONI is never asked), the command, and the
blocked-site admin's filter and column."""

import ast
import datetime
import http.server
import io
import socket
import threading
import time
import urllib.parse
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.test import RequestFactory

from countries.admin.ooni import EVIDENCE, OoniEvidenceFilter, ooni_evidence
from countries.cache import content_version
from countries.models import BlockedSite
from countries.opendata import ooni
from countries.opendata.ooni import (
    OoniUnavailable,
    chart_link,
    check_ooni,
    domain_link,
    host_of,
    search_link,
)

from .factories import CountryFactory, SiteFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data" / "ooni"
TODAY = datetime.date(2025, 6, 1)
LATER = datetime.date(2025, 6, 15)


# A fake OONI --------------------------------------------------------------------------------------


class FakeOoni:
    """OONI's API on a free local port: answers per country (probe_cc), each a file of
    tests/data/ooni (status 200) or (status, body, content type[, headers]); every request
    recorded."""

    def __init__(self):
        self.answers = {}
        self.requests = []
        self.delay = 0
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
                fake.requests.append(
                    {"path": url.path, "query": query, "user_agent": self.headers["User-Agent"]}
                )
                time.sleep(fake.delay)
                status, body, content_type, headers = fake.answer(url.path, query)
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def answer(self, path, query):
        if path != "/api/v1/aggregation":
            return 404, b'{"detail": "Not Found"}', "application/json", {}
        answer = self.answers.get(query.get("probe_cc", [""])[0])
        if answer is None:
            return 404, b'{"error": "no such country here"}', "application/json", {}
        if isinstance(answer, str):
            content_type = "application/json" if answer.endswith(".json") else "text/html"
            return 200, (DATA / answer).read_bytes(), content_type, {}
        return (*answer, {})[:4]

    def asked(self):
        return [request["query"]["probe_cc"][0] for request in self.requests]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_ooni(settings):
    fake = FakeOoni()
    settings.OONI_API_URL = fake.url
    yield fake
    fake.stop()


@pytest.fixture
def kazakhstan_sites():
    """Sites of every kind of address, and one OONI has never measured."""
    kz = CountryFactory(name="Kazakhstan", iso_code="KZ")
    sites = {
        "Telegram": SiteFactory(country=kz, name="Telegram", url="https://t.me/"),
        "Medium": SiteFactory(country=kz, name="Medium", url="medium.com"),
        "Wikipedia": SiteFactory(
            country=kz, name="Wikipedia", url="https://RU.Wikipedia.org:443/wiki/Main_Page"
        ),
        "Example": SiteFactory(country=kz, name="Example", url="https://пример.рф/"),
        "Unmeasured": SiteFactory(
            country=kz, name="Unmeasured", url="http://never-measured.example.org/"
        ),
        "Blogs": SiteFactory(country=kz, name="Blogs", url=""),
    }
    return kz, sites


def counts(name, country="KZ"):
    site = BlockedSite.objects.get(name=name, country__iso_code=country)
    return (
        site.ooni_checked_on,
        site.ooni_measurements,
        site.ooni_anomalies,
        site.ooni_confirmed,
    )


def everything_ooni():
    """Every site's OONI fields, to show that nothing changed."""
    return sorted(BlockedSite.objects.values_list("country__iso_code", "name", *ooni.OONI_FIELDS))


def free_closed_port():
    """A port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Hosts and links ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://t.me/", "t.me"),
        ("http://www.Example.ORG/path?q=1#part", "www.example.org"),
        ("https://user:secret@example.org:8443/", "example.org"),
        ("example.org", "example.org"),
        ("Example.org.", "example.org"),
        ("  medium.com  ", "medium.com"),
        ("https://пример.рф/", "xn--e1afmkfd.xn--p1ai"),
        ("пример.рф", "xn--e1afmkfd.xn--p1ai"),
        ("https://ПРИМЕР.рф/путь", "xn--e1afmkfd.xn--p1ai"),
        ("https://xn--e1afmkfd.xn--p1ai/", "xn--e1afmkfd.xn--p1ai"),
        ("http://192.0.2.7/", "192.0.2.7"),
        ("https://[2001:db8::1]/", "2001:db8::1"),
        ("", None),
        ("   ", None),
        ("https://[2001:db8::1/", None),
    ],
)
def test_the_host_ooni_knows_a_site_by(url, host):
    assert host_of(url) == host
    assert host_of(BlockedSite(url=url)) == host


def query_of(link):
    parts = urllib.parse.urlsplit(link)
    return parts.scheme, parts.netloc, parts.path, urllib.parse.parse_qsl(parts.query)


def test_explorer_links_for_a_web_address(kazakhstan_sites):
    _kz, sites = kazakhstan_sites
    site = sites["Telegram"]
    assert domain_link(site) == "https://explorer.ooni.org/domain/t.me?probe_cc=KZ"
    assert search_link(site, today=TODAY) == (
        "https://explorer.ooni.org/search?probe_cc=KZ&test_name=web_connectivity&domain=t.me"
        "&since=2025-05-02&until=2025-06-01&only=anomalies"
    )
    assert search_link(site, "confirmed", today=TODAY).endswith("&only=confirmed")
    assert chart_link(site, today=TODAY) == (
        "https://explorer.ooni.org/chart/mat?probe_cc=KZ&test_name=web_connectivity&domain=t.me"
        "&since=2025-05-02&until=2025-06-01&axis_x=measurement_start_day&time_grain=day"
    )
    assert query_of(search_link(site, days=7, today=TODAY))[3][3:5] == [
        ("since", "2025-05-25"),
        ("until", "2025-06-01"),
    ]


def test_explorer_links_default_to_the_last_30_days(kazakhstan_sites):
    _kz, sites = kazakhstan_sites
    today = datetime.datetime.now(datetime.UTC).date()
    query = dict(query_of(chart_link(sites["Telegram"]))[3])
    assert query["until"] == today.isoformat()
    assert query["since"] == (today - datetime.timedelta(days=30)).isoformat()


def test_explorer_links_for_a_bare_domain_and_an_idn(kazakhstan_sites):
    _kz, sites = kazakhstan_sites
    assert domain_link(sites["Medium"]) == "https://explorer.ooni.org/domain/medium.com?probe_cc=KZ"
    assert domain_link(sites["Wikipedia"]) == (
        "https://explorer.ooni.org/domain/ru.wikipedia.org?probe_cc=KZ"
    )
    idn = sites["Example"]
    assert domain_link(idn) == (
        "https://explorer.ooni.org/domain/xn--e1afmkfd.xn--p1ai?probe_cc=KZ"
    )
    scheme, netloc, path, query = query_of(search_link(idn, "confirmed", today=TODAY))
    assert (scheme, netloc, path) == ("https", "explorer.ooni.org", "/search")
    assert query == [
        ("probe_cc", "KZ"),
        ("test_name", "web_connectivity"),
        ("domain", "xn--e1afmkfd.xn--p1ai"),
        ("since", "2025-05-02"),
        ("until", "2025-06-01"),
        ("only", "confirmed"),
    ]
    assert chart_link(idn, today=TODAY).isascii()


def test_no_links_for_a_site_without_an_address(kazakhstan_sites):
    _kz, sites = kazakhstan_sites
    blogs = sites["Blogs"]
    assert host_of(blogs) is None
    assert domain_link(blogs) is None
    assert search_link(blogs, today=TODAY) is None
    assert chart_link(blogs, today=TODAY) is None


def test_parameters_are_url_encoded():
    link = ooni.search_url("a&b=c.example", "KZ", TODAY, TODAY, only="anomalies")
    assert "domain=a%26b%3Dc.example&" in link
    assert dict(query_of(link)[3])["domain"] == "a&b=c.example"
    assert ooni.domain_page_url("a/b?c", "KZ").startswith(
        "https://explorer.ooni.org/domain/a%2Fb%3Fc?"
    )
    with pytest.raises(ValueError, match="only is one of"):
        ooni.search_url("t.me", "KZ", TODAY, TODAY, only="everything")


# The check ----------------------------------------------------------------------------------------


def test_a_check_stores_each_sites_counts_and_the_date(fake_ooni, kazakhstan_sites):
    fake_ooni.answers["KZ"] = "kz-aggregation.json"
    report = check_ooni(today=TODAY)

    assert counts("Telegram") == (TODAY, 405, 12, 381)
    assert counts("Medium") == (TODAY, 412, 371, 0)
    assert counts("Wikipedia") == (TODAY, 388, 2, 0)
    assert counts("Example") == (TODAY, 37, 0, 0)  # the IDN, as OONI spells it
    assert counts("Unmeasured") == (TODAY, 0, 0, 0)  # asked, not reported: dated all the same
    assert counts("Blogs") == (None, None, None, None)  # no address: nothing to ask

    assert fake_ooni.requests == [
        {
            "path": "/api/v1/aggregation",
            "query": {
                "probe_cc": ["KZ"],
                "test_name": ["web_connectivity"],
                "since": ["2025-05-02"],
                "until": ["2025-06-01"],
                "axis_x": ["domain"],
            },
            "user_agent": ooni.USER_AGENT,
        }
    ]
    assert "netfree" in ooni.USER_AGENT

    assert (report.countries_checked, report.sites_updated) == (1, 5)
    assert (report.with_anomalies, report.with_confirmed) == (3, 1)
    assert list(report.lines()) == [
        "KZ (Kazakhstan): 5 sites, 4 measured, 3 with anomalies, 1 with confirmed blocks "
        "(“Telegram”).",
        "1 country checked (OONI web_connectivity, 2025-05-02 to 2025-06-01, the last day "
        "excluded): 5 sites updated, 3 with anomalies, 1 with confirmed blocks.",
    ]


def test_a_second_check_updates_the_counts(fake_ooni, kazakhstan_sites):
    fake_ooni.answers["KZ"] = "kz-aggregation.json"
    check_ooni(today=TODAY)
    fake_ooni.answers["KZ"] = "kz-aggregation-later.json"
    report = check_ooni(today=LATER, since_days=14)

    assert counts("Telegram") == (LATER, 398, 40, 350)
    assert counts("Medium") == (LATER, 0, 0, 0)  # no longer reported
    assert counts("Wikipedia") == (LATER, 402, 0, 0)
    assert counts("Example") == (LATER, 41, 3, 0)
    assert counts("Unmeasured") == (LATER, 0, 0, 0)
    assert fake_ooni.requests[-1]["query"]["since"] == ["2025-06-01"]
    assert fake_ooni.requests[-1]["query"]["until"] == ["2025-06-15"]
    assert (report.sites_updated, report.with_anomalies, report.with_confirmed) == (5, 2, 1)


def test_one_request_per_country_whatever_its_number_of_sites(fake_ooni, kazakhstan_sites):
    uz = CountryFactory(name="Uzbekistan", iso_code="UZ")
    for index in range(30):
        SiteFactory(country=uz, name=f"Site {index}", url=f"https://site{index}.example.org/")
    SiteFactory(country=uz, name="BBC", url="https://www.bbc.com/news")
    SiteFactory(country=uz, name="Ozodlik", url="www.ozodlik.org")
    no_addresses = CountryFactory(name="Tajikistan", iso_code="TJ")
    SiteFactory(country=no_addresses, name="Blogs", url="")
    fake_ooni.answers.update({"KZ": "kz-aggregation.json", "UZ": "uz-aggregation.json"})

    report = check_ooni(today=TODAY)

    assert fake_ooni.asked() == ["KZ", "UZ"]  # once each; Tajikistan has nothing to ask about
    assert counts("BBC", "UZ") == (TODAY, 212, 198, 0)
    assert counts("Ozodlik", "UZ") == (TODAY, 230, 5, 214)
    assert counts("Site 7", "UZ") == (TODAY, 0, 0, 0)
    assert counts("Blogs", "TJ") == (None, None, None, None)
    assert report.sites_updated == 5 + 32
    assert [check.code for check in report.countries] == ["KZ", "UZ"]


def test_only_the_countries_asked_for(fake_ooni, kazakhstan_sites):
    uz = CountryFactory(name="Uzbekistan", iso_code="UZ")
    SiteFactory(country=uz, name="BBC", url="https://www.bbc.com/news")
    tj = CountryFactory(name="Tajikistan", iso_code="TJ")
    SiteFactory(country=tj, name="Blogs", url="")
    fake_ooni.answers.update({"KZ": "kz-aggregation.json", "UZ": "uz-aggregation.json"})

    report = check_ooni(["uz", "TJ"], today=TODAY)

    assert fake_ooni.asked() == ["UZ"]
    assert counts("BBC", "UZ") == (TODAY, 212, 198, 0)
    assert counts("Telegram") == (None, None, None, None)
    assert (
        list(report.lines())[0] == "TJ (Tajikistan): no site with an address; OONI was not asked."
    )
    with pytest.raises(ValueError, match="No country entry has the ISO code “FR”, “ZZ”."):
        check_ooni(["KZ", "fr", "ZZ"], today=TODAY)
    assert fake_ooni.asked() == ["UZ"]


def test_the_content_version_moves_once_with_a_check(fake_ooni, kazakhstan_sites):
    fake_ooni.answers["KZ"] = "kz-aggregation.json"
    before = content_version()
    check_ooni(today=TODAY)
    assert content_version() > before


# All or nothing -----------------------------------------------------------------------------------


@pytest.fixture
def checked_once(fake_ooni, kazakhstan_sites):
    """A first check went through: the state every failure below must leave as it is."""
    fake_ooni.answers["KZ"] = "kz-aggregation.json"
    check_ooni(today=TODAY)
    fake_ooni.requests.clear()
    return everything_ooni(), content_version()


def assert_nothing_changed(checked_once):
    state, version = checked_once
    assert everything_ooni() == state
    assert content_version() == version


def test_unreachable_ooni_changes_nothing(settings, checked_once):
    settings.OONI_API_URL = f"http://127.0.0.1:{free_closed_port()}"
    with pytest.raises(OoniUnavailable) as failure:
        check_ooni(today=LATER)
    assert failure.value.country == "KZ"
    assert str(failure.value).startswith("KZ: cannot connect: ")
    assert "refused" in str(failure.value).lower()
    assert_nothing_changed(checked_once)


def test_an_http_error_changes_nothing(fake_ooni, checked_once):
    fake_ooni.answers["KZ"] = (500, b'{"error": "ClickHouse is down"}', "application/json")
    with pytest.raises(OoniUnavailable) as failure:
        check_ooni(today=LATER)
    assert str(failure.value).startswith("KZ: HTTP 500 Internal Server Error: ClickHouse is down (")
    assert_nothing_changed(checked_once)


def test_an_http_error_names_what_ooni_said(fake_ooni, checked_once):
    fake_ooni.answers["KZ"] = (503, b'{"detail": "rate limited"}', "application/json")
    with pytest.raises(OoniUnavailable) as failure:
        check_ooni(today=LATER)
    assert "HTTP 503 Service Unavailable: rate limited (http://127.0.0.1:" in str(failure.value)
    assert "/api/v1/aggregation?probe_cc=KZ&" in str(failure.value)
    assert_nothing_changed(checked_once)


def test_redirects_are_followed_to_web_addresses_only(fake_ooni, checked_once):
    answer = fake_ooni.answers["KZ"] = (302, b"", "text/plain", {"Location": "ftp://x.example/"})
    with pytest.raises(OoniUnavailable, match="^KZ: HTTP 302 redirected to ftp://x.example/"):
        check_ooni(today=LATER)
    assert_nothing_changed(checked_once)
    elsewhere = f"{fake_ooni.url}/api/v1/aggregation?probe_cc=UZ"
    fake_ooni.answers.update({"KZ": (*answer[:3], {"Location": elsewhere})})
    fake_ooni.answers["UZ"] = "kz-aggregation-later.json"
    check_ooni(today=LATER)
    assert fake_ooni.asked() == ["KZ", "KZ", "UZ"]
    assert counts("Telegram") == (LATER, 398, 40, 350)


def test_a_timeout_changes_nothing(settings, fake_ooni, checked_once):
    settings.OONI_API_TIMEOUT = 0.3
    fake_ooni.delay = 1.5
    started = time.monotonic()
    with pytest.raises(OoniUnavailable, match=r"^KZ: no answer within 0.3 s"):
        check_ooni(today=LATER)
    assert time.monotonic() - started < 1.4
    assert_nothing_changed(checked_once)


@pytest.mark.parametrize(
    ("answer", "cause"),
    [
        ("not-json.html", "malformed answer: not JSON"),
        ("truncated.json", "malformed answer: not JSON"),
        ("zero-dimensions.json", "malformed answer: “result” is missing or not a list"),
        ("missing-count.json", "malformed answer: result[0] (t.me): “anomaly_count” is missing"),
        ("count-not-a-number.json", '“anomaly_count” is "12", not a count'),
        ("negative-count.json", "“anomaly_count” is -12, not a count"),
        ("more-anomalies-than-measurements.json", "more anomalies than measurements"),
        ("error-in-200.json", "OONI answered an error: Axis X and Y cannot be the same"),
        ((200, b"[]", "application/json"), "malformed answer: not a JSON object"),
        ((200, b'{"v": 0}', "application/json"), "“result” is missing"),
        ((200, b'{"result": [1]}', "application/json"), "result[0] is not an object"),
        ((200, b'{"result": [{"domain": 7}]}', "application/json"), "“domain” is 7"),
        (
            (200, b'{"result": [{"measurement_start_day": "2025-05-02"}]}', "application/json"),
            "result[0] has no “domain”: not counts by domain",
        ),
        ((200, b"\xff\xfe\x00garbage", "application/json"), "not JSON"),
    ],
)
def test_a_malformed_answer_changes_nothing(fake_ooni, checked_once, answer, cause):
    fake_ooni.answers["KZ"] = answer
    with pytest.raises(OoniUnavailable) as failure:
        check_ooni(today=LATER)
    assert str(failure.value).startswith("KZ: ")
    assert cause in str(failure.value)
    assert_nothing_changed(checked_once)


def test_one_country_failing_saves_no_other(fake_ooni, checked_once):
    uz = CountryFactory(name="Uzbekistan", iso_code="UZ")
    SiteFactory(country=uz, name="BBC", url="https://www.bbc.com/news")
    fake_ooni.answers.update({"KZ": "kz-aggregation-later.json", "UZ": (502, b"", "text/html")})
    with pytest.raises(OoniUnavailable, match=r"^UZ: HTTP 502"):
        check_ooni(today=LATER)
    assert fake_ooni.asked() == ["KZ", "UZ"]  # Kazakhstan answered well, and is not saved
    assert counts("Telegram") == (TODAY, 405, 12, 381)
    assert counts("BBC", "UZ") == (None, None, None, None)


def test_the_api_address_is_read_at_each_call(settings, fake_ooni, kazakhstan_sites):
    fake_ooni.answers["KZ"] = "kz-aggregation.json"
    settings.OONI_API_URL = f"{fake_ooni.url}/"
    check_ooni(today=TODAY)
    assert fake_ooni.requests[0]["path"] == "/api/v1/aggregation"
    settings.OONI_API_URL = "file:///etc/passwd"
    with pytest.raises(Exception, match="OONI_API_URL must be an http"):
        check_ooni(today=LATER)
    assert counts("Telegram")[0] == TODAY


def test_the_default_api_is_ooni():
    assert ooni.DEFAULT_API_URL == "https://api.ooni.io"
    assert ooni.aggregation_url("KZ", TODAY, LATER, "https://api.ooni.io") == (
        "https://api.ooni.io/api/v1/aggregation?probe_cc=KZ&test_name=web_connectivity"
        "&since=2025-06-01&until=2025-06-15&axis_x=domain"
    )


# The command --------------------------------------------------------------------------------------


def run_command(*args):
    out = io.StringIO()
    call_command("check_ooni", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_report(fake_ooni, kazakhstan_sites):
    fake_ooni.answers["KZ"] = "kz-aggregation.json"
    output = run_command("--country", "kz", "--days", "30")
    today = datetime.datetime.now(datetime.UTC).date()
    assert "KZ (Kazakhstan): 5 sites, 4 measured, 3 with anomalies" in output
    assert f"{today - datetime.timedelta(days=30)} to {today}" in output
    assert counts("Telegram") == (today, 405, 12, 381)
    assert fake_ooni.requests[0]["query"]["until"] == [today.isoformat()]


def test_the_command_takes_several_countries(fake_ooni, kazakhstan_sites):
    uz = CountryFactory(name="Uzbekistan", iso_code="UZ")
    SiteFactory(country=uz, name="BBC", url="https://www.bbc.com/news")
    fake_ooni.answers.update({"KZ": "kz-aggregation.json", "UZ": "uz-aggregation.json"})
    run_command("--country", "UZ", "KZ", "--days", "7")
    assert fake_ooni.asked() == ["KZ", "UZ"]
    run_command("--country", "UZ,KZ", "--country", "uz")
    assert fake_ooni.asked() == ["KZ", "UZ", "KZ", "UZ"]


def test_the_command_fails_with_exit_code_1_and_changes_nothing(fake_ooni, checked_once):
    fake_ooni.answers["KZ"] = (500, b"", "text/plain")
    with pytest.raises(CommandError) as failure:
        run_command()
    message = str(failure.value)
    assert message.startswith("OONI could not be reached (KZ: HTTP 500 Internal Server Error (")
    assert message.endswith("): nothing was changed.")
    assert failure.value.returncode == 1
    assert_nothing_changed(checked_once)


def test_the_command_refuses_unknown_countries_and_windows(fake_ooni, checked_once):
    with pytest.raises(CommandError, match="ISO code “FR”. Nothing was changed."):
        run_command("--country", "FR")
    with pytest.raises(CommandError, match="at least 1"):
        run_command("--days", "0")
    assert fake_ooni.requests == []
    assert_nothing_changed(checked_once)


# Never from a page --------------------------------------------------------------------------------


def test_only_the_command_asks_ooni():
    """No view, admin page or API endpoint can make a request wait on OONI: only the command
    calls the check, and no module serving pages can reach the network."""
    app = Path(settings.BASE_DIR) / "countries"
    network = {"socket", "http.client", "urllib.request", "requests", "httpx", "urllib3"}
    reaching, calling = set(), set()
    for path in app.rglob("*.py"):
        name = path.relative_to(app).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import) and {alias.name for alias in node.names} & network:
                reaching.add(name)
            if isinstance(node, ast.ImportFrom):
                if node.module in network:
                    reaching.add(name)
                if {alias.name for alias in node.names} & {"check_ooni", "fetch_counts"}:
                    calling.add(name)
            if isinstance(node, ast.Attribute) and node.attr in {"check_ooni", "fetch_counts"}:
                calling.add(name)
    assert "opendata/ooni.py" in reaching
    page_parts = ("admin/", "api/", "editor/", "public/", "templatetags/")
    assert not [name for name in reaching if name.startswith(page_parts)]
    assert calling == {"management/commands/check_ooni.py"}


# The admin ----------------------------------------------------------------------------------------


def make_site(country, name, checked=None, measured=None, anomalies=None, confirmed=None, url=None):
    return SiteFactory(
        country=country,
        name=name,
        url=f"https://{name.lower()}.example.org/" if url is None else url,
        ooni_checked_on=checked,
        ooni_measurements=measured,
        ooni_anomalies=anomalies,
        ooni_confirmed=confirmed,
    )


@pytest.fixture
def evidence():
    kz = CountryFactory(name="Kazakhstan", iso_code="KZ")
    make_site(kz, "Confirmed", TODAY, 400, 0, 380)
    make_site(kz, "Both", TODAY, 400, 20, 360)
    make_site(kz, "Anomalous", TODAY, 400, 300, 0)
    make_site(kz, "Quiet", TODAY, 400, 0, 0)
    make_site(kz, "Unmeasured", TODAY, 0, 0, 0)
    make_site(kz, "Unchecked")
    make_site(kz, "Blogs", url="")
    return kz


def filtered(value):
    request = RequestFactory().get("/", {"ooni": value} if value else {})
    model_admin = admin.site._registry[BlockedSite]
    params = {"ooni": [value]} if value else {}
    chooser = OoniEvidenceFilter(request, params, BlockedSite, model_admin)
    return sorted(
        chooser.queryset(request, BlockedSite.objects.all()).values_list("name", flat=True)
    )


def test_the_filter_offers_each_kind_of_evidence():
    request = RequestFactory().get("/")
    chooser = OoniEvidenceFilter(request, {}, BlockedSite, admin.site._registry[BlockedSite])
    assert [(value, str(label)) for value, label in chooser.lookup_choices] == [
        ("confirmed", "confirmed blocks"),
        ("anomalies", "anomalies"),
        ("no-anomaly", "measured, no anomaly"),
        ("not-measured", "checked, no measurements"),
        ("not-checked", "not checked"),
    ]
    assert set(EVIDENCE) == {value for value, _label in chooser.lookup_choices}


def test_the_filters_choices_return_the_right_sites(evidence):
    assert filtered("confirmed") == ["Both", "Confirmed"]
    assert filtered("anomalies") == ["Anomalous", "Both", "Confirmed"]
    assert filtered("no-anomaly") == ["Quiet"]
    assert filtered("not-measured") == ["Unmeasured"]
    assert filtered("not-checked") == ["Blogs", "Unchecked"]
    everything = ["Anomalous", "Blogs", "Both", "Confirmed", "Quiet", "Unchecked", "Unmeasured"]
    assert filtered(None) == everything
    assert filtered("nonsense") == everything


class Links(HTMLParser):
    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.links, self.titles, self.text = [], [], []
        self.feed(str(html))

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.links.append(attrs["href"])
            assert attrs["rel"] == "noopener noreferrer"
        if "title" in attrs:
            self.titles.append(attrs["title"])

    def handle_data(self, data):
        self.text.append(data)


def shown(name):
    site = BlockedSite.objects.select_related("country").get(name=name)
    html = ooni_evidence(site)
    return Links(html), "".join(Links(html).text)


def test_the_column_links_the_counts_to_the_measurements(evidence):
    links, text = shown("Both")
    assert text == "360 confirmed, 20 anomalies of 400 measurements"
    window = "since=2025-05-02&until=2025-06-01"
    assert links.links == [
        "https://explorer.ooni.org/search?probe_cc=KZ&test_name=web_connectivity"
        f"&domain=both.example.org&{window}&only=confirmed",
        "https://explorer.ooni.org/search?probe_cc=KZ&test_name=web_connectivity"
        f"&domain=both.example.org&{window}&only=anomalies",
        "https://explorer.ooni.org/chart/mat?probe_cc=KZ&test_name=web_connectivity"
        f"&domain=both.example.org&{window}&axis_x=measurement_start_day&time_grain=day",
    ]
    assert links.titles == [
        "OONI web_connectivity measurements from 2025-05-02 to 2025-06-01, checked on 2025-06-01"
    ]
    assert "&amp;test_name=" in str(ooni_evidence(BlockedSite.objects.get(name="Both")))


def test_the_column_says_what_each_site_has(evidence):
    assert shown("Confirmed")[1] == "380 confirmed of 400 measurements"
    assert shown("Anomalous")[1] == "300 anomalies of 400 measurements"
    assert shown("Quiet")[1] == "0 anomalies of 400 measurements"
    links, text = shown("Unmeasured")
    assert text == "no measurements"
    assert links.links == ["https://explorer.ooni.org/domain/unmeasured.example.org?probe_cc=KZ"]
    assert shown("Unchecked")[1] == "not checked"
    assert shown("Blogs")[1] == "no address"
    assert shown("Unchecked")[0].links == []


def test_the_column_sorts_by_anomalies(evidence):
    ordering = ooni_evidence.admin_order_field
    names = list(BlockedSite.objects.order_by(ordering, "name").values_list("name", flat=True))
    assert names[:2] == ["Blogs", "Unchecked"]  # never checked first, then 0 anomalies
    assert names[-2:] == ["Both", "Anomalous"]
    reverse = ordering.copy()
    reverse.reverse_ordering()
    names = list(BlockedSite.objects.order_by(reverse, "name").values_list("name", flat=True))
    assert names[:2] == ["Anomalous", "Both"]
    assert names[-2:] == ["Blogs", "Unchecked"]


def test_the_column_escapes_what_it_shows(evidence):
    site = BlockedSite.objects.select_related("country").get(name="Both")
    site.url = 'https://a"><script>.example.org/'  # never valid, and harmless all the same
    html = str(ooni_evidence(site))
    assert "<script>" not in html and '"><script' not in html
    assert "domain=a%22%3E%3Cscript%3E.example.org" in html
