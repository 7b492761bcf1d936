"""OONI's evidence on blocked sites: links to OONI Explorer, and a check of OONI's counts.

OONI Probe volunteers test websites from inside countries (the `web_connectivity` test); OONI
publishes every measurement, and flags those that look blocked ("anomalies") and those that
match a known block page ("confirmed"). This module gives editors that evidence beside each
site, in two ways:

- **Links** (pure functions, no network): the domain's page on OONI Explorer for the site's
  country, which is stable and what public pages may link to; for editors, the measurement
  search (anomalies, confirmed blocks) and the chart over a window of days.
- **A check** (`check_ooni`, run by `manage.py check_ooni`, never from a page request): one
  question to OONI's aggregation API per country, counts grouped by domain, stored on each site
  with the date. All or nothing: every country is asked first, and only when all answered
  well are the counts written, in one transaction; any failure raises `OoniUnavailable`
  naming the country and the cause, and nothing is saved.

The counts are OONI's own, for `web_connectivity` measurements from the country, from `since`
(included) to `until` (excluded, as OONI's API counts): `ooni_measurements` all of them,
`ooni_confirmed` the confirmed blocks, `ooni_anomalies` the other anomalies (OONI counts a
measurement once: an anomaly that is confirmed counts as confirmed, and a failed measurement
as neither). A site is matched by its host exactly as OONI records it (`www.example.org` and
`example.org` are different domains to OONI), which is also what the Explorer links show.
"""

import datetime
import http.client
import json
import urllib.error
import urllib.parse
from dataclasses import dataclass, field
from urllib.request import HTTPRedirectHandler, Request, build_opener

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from ..cache import changes_batched
from ..models import BlockedSite, Country

EXPLORER_URL = "https://explorer.ooni.org"
DEFAULT_API_URL = "https://api.ooni.io"
AGGREGATION_PATH = "/api/v1/aggregation"
TEST_NAME = "web_connectivity"
DEFAULT_DAYS = 30
DEFAULT_TIMEOUT = 20  # seconds, for connecting and for each read
USER_AGENT = "netfree/1 (internet freedom reference; OONI evidence check)"
# A country's answer is a few hundred bytes per measured domain (a few thousand domains at
# most): far less than this, which only stops an endless or hostile answer.
MAX_ANSWER_BYTES = 32 * 1024 * 1024
# What a count may be: the database's (PostgreSQL's) largest integer.
MAX_COUNT = 2**31 - 1
SEARCH_ONLY = ("anomalies", "confirmed")

OONI_FIELDS = ("ooni_checked_on", "ooni_measurements", "ooni_anomalies", "ooni_confirmed")
# The API's key for each count a site keeps.
COUNT_KEYS = {
    "ooni_measurements": "measurement_count",
    "ooni_anomalies": "anomaly_count",
    "ooni_confirmed": "confirmed_count",
}


class OoniUnavailable(Exception):
    """OONI could not be asked, or its answer was not what its API documents."""

    def __init__(self, country, cause):
        self.country = country
        self.cause = cause
        super().__init__(f"{country}: {cause}")


# Hosts and links ---------------------------------------------------------------------------------


def host_of(site):
    """The host OONI knows a site by: lowercase, internationalised names in punycode
    (`пример.рф` → `xn--e1afmkfd.xn--p1ai`), without port, user or trailing dot; None for a
    site without an address. `site` is a BlockedSite or its `url` (a web address or a bare
    domain)."""
    address = (site if isinstance(site, str) else site.url or "").strip()
    if not address:
        return None
    try:
        parts = urllib.parse.urlsplit(address if "://" in address else f"//{address}")
        host = parts.hostname
    except ValueError:  # e.g. an unclosed "[" of an IPv6 address
        return None
    return normal_host(host) if host else None


def normal_host(host):
    """A host name as OONI records domains: lowercase ASCII, punycode for IDN; None if it
    cannot be written so."""
    host = host.strip().rstrip(".").lower()
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return None
    return host or None


def window(days=DEFAULT_DAYS, today=None):
    """(since, until) dates: the `days` days before `today` (default: today)."""
    until = today or timezone.localdate()
    return until - datetime.timedelta(days=days), until


def _site_host_and_country(site):
    host = host_of(site)
    return (host, site.country.iso_code.code) if host else (None, None)


def domain_page_url(host, country_code):
    """OONI Explorer's page of a domain as measured from a country."""
    query = urllib.parse.urlencode({"probe_cc": country_code})
    return f"{EXPLORER_URL}/domain/{urllib.parse.quote(host, safe='')}?{query}"


def search_url(host, country_code, since, until, only="anomalies"):
    """OONI Explorer's list of a domain's measurements from a country, `only` the anomalies
    or only the confirmed blocks."""
    if only not in SEARCH_ONLY:
        raise ValueError(f"only is one of {', '.join(SEARCH_ONLY)}, not {only!r}")
    query = urllib.parse.urlencode(
        [
            ("probe_cc", country_code),
            ("test_name", TEST_NAME),
            ("domain", host),
            ("since", since.isoformat()),
            ("until", until.isoformat()),
            ("only", only),
        ]
    )
    return f"{EXPLORER_URL}/search?{query}"


def chart_url(host, country_code, since, until):
    """OONI Explorer's chart of a domain's measurements from a country, day by day."""
    query = urllib.parse.urlencode(
        [
            ("probe_cc", country_code),
            ("test_name", TEST_NAME),
            ("domain", host),
            ("since", since.isoformat()),
            ("until", until.isoformat()),
            ("axis_x", "measurement_start_day"),
            ("time_grain", "day"),
        ]
    )
    return f"{EXPLORER_URL}/chart/mat?{query}"


def domain_link(site):
    """The Explorer page of the site's domain in its country (stable, for public pages), or
    None for a site without an address."""
    host, country_code = _site_host_and_country(site)
    return domain_page_url(host, country_code) if host else None


def search_link(site, only="anomalies", *, days=DEFAULT_DAYS, today=None):
    """For editors: the site's measurements from its country over the window, only the
    anomalies or only the confirmed blocks; None for a site without an address."""
    host, country_code = _site_host_and_country(site)
    return search_url(host, country_code, *window(days, today), only=only) if host else None


def chart_link(site, *, days=DEFAULT_DAYS, today=None):
    """For editors: the chart of the site's measurements from its country over the window;
    None for a site without an address."""
    host, country_code = _site_host_and_country(site)
    return chart_url(host, country_code, *window(days, today)) if host else None


# Asking OONI -------------------------------------------------------------------------------------


def api_url():
    """The API's base address, from the setting OONI_API_URL, read at each call."""
    base = getattr(settings, "OONI_API_URL", DEFAULT_API_URL) or DEFAULT_API_URL
    parts = urllib.parse.urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ImproperlyConfigured(f"OONI_API_URL must be an http(s) address, not {base!r}.")
    return base.rstrip("/")


def aggregation_url(country_code, since, until, base=None):
    """The one question asked per country: its web_connectivity counts, by domain."""
    query = urllib.parse.urlencode(
        [
            ("probe_cc", country_code),
            ("test_name", TEST_NAME),
            ("since", since.isoformat()),
            ("until", until.isoformat()),
            ("axis_x", "domain"),
        ]
    )
    return f"{base or api_url()}{AGGREGATION_PATH}?{query}"


def fetch_counts(country_code, since, until, *, base=None, timeout=None):
    """OONI's counts for a country, by host: {host: (measurements, anomalies, confirmed)}.

    Raises OoniUnavailable on any network error, HTTP error, timeout or malformed answer.
    """
    url = aggregation_url(country_code, since, until, base)
    body = _get(url, country_code, timeout or _timeout())
    return parse_aggregation(body, country_code)


def _timeout():
    return getattr(settings, "OONI_API_TIMEOUT", DEFAULT_TIMEOUT)


def _get(url, country_code, timeout):
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    request = Request(url, headers=headers)  # noqa: S310 - api_url() allows http(s) only

    def failed(cause):
        return OoniUnavailable(country_code, f"{cause} ({url})")

    try:
        answer = _opener.open(request, timeout=timeout)
        with answer:
            body = answer.read(MAX_ANSWER_BYTES + 1)
    except urllib.error.HTTPError as error:
        detail = _error_detail(error)
        error.close()
        raise failed(f"HTTP {error.code} {error.reason}{detail}") from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise failed(f"no answer within {timeout:g} s") from None
        raise failed(f"cannot connect: {error.reason}") from None
    except TimeoutError:
        raise failed(f"no answer within {timeout:g} s") from None
    except (http.client.HTTPException, OSError) as error:
        raise failed(f"the connection failed: {error!r}") from None
    if len(body) > MAX_ANSWER_BYTES:
        raise failed(f"the answer is larger than {MAX_ANSWER_BYTES // (1024 * 1024)} MB")
    return body


class _WebRedirectsOnly(HTTPRedirectHandler):
    """Redirects are followed to http(s) addresses only (urllib would follow one to ftp:)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme not in ("http", "https"):
            raise urllib.error.HTTPError(
                newurl, code, f"redirected to {newurl}, not a web address", headers, fp
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


_opener = build_opener(_WebRedirectsOnly)


def _error_detail(error):
    """What OONI said with an HTTP error ({"error": …} or {"detail": …}), briefly."""
    try:
        answer = json.loads(error.read(4096))
    except (ValueError, OSError, http.client.HTTPException):
        return ""
    said = answer.get("error") or answer.get("detail") if isinstance(answer, dict) else None
    return f": {_brief(said)}" if said else ""


def _brief(value, limit=200):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else f"{text[:limit]}…"


def parse_aggregation(body, country_code):
    """{host: (measurements, anomalies, confirmed)} from an answer of /api/v1/aggregation
    with axis_x=domain: `{"v": 0, "dimension_count": 1, "result": [{"domain": …,
    "measurement_count": …, "anomaly_count": …, "confirmed_count": …, "failure_count": …,
    "ok_count": …}, …], "db_stats": {…}}`. An error is answered as `{"error": …}`, sometimes
    with HTTP 200."""

    def malformed(cause):
        return OoniUnavailable(country_code, f"malformed answer: {cause}")

    try:
        answer = json.loads(body)
    except ValueError as error:  # UnicodeDecodeError too
        raise malformed(f"not JSON ({error})") from None
    if not isinstance(answer, dict):
        raise malformed("not a JSON object")
    if "error" in answer:
        raise OoniUnavailable(country_code, f"OONI answered an error: {_brief(answer['error'])}")
    result = answer.get("result")
    if not isinstance(result, list):
        raise malformed("“result” is missing or not a list of domains")
    counts = {}
    for index, row in enumerate(result):
        if not isinstance(row, dict):
            raise malformed(f"result[{index}] is not an object")
        if "domain" not in row:  # not counts by domain: every site would wrongly get 0
            raise malformed(f"result[{index}] has no “domain”: not counts by domain")
        domain = row["domain"]
        if domain is not None and not isinstance(domain, str):
            raise malformed(
                f"result[{index}]: “domain” is {_brief(json.dumps(domain))}, not a name"
            )
        values = []
        for key in COUNT_KEYS.values():
            value = row.get(key)
            if type(value) is not int or not 0 <= value <= MAX_COUNT:
                shown = "missing" if key not in row else _brief(json.dumps(value))
                raise malformed(f"result[{index}] ({domain}): “{key}” is {shown}, not a count")
            values.append(value)
        measurements, anomalies, confirmed = values
        if anomalies + confirmed > measurements:
            raise malformed(f"result[{index}] ({domain}): more anomalies than measurements")
        host = normal_host(domain) if domain else None
        if host is None:
            continue  # measurements of no domain (null): no site can be them
        # One row per domain; should OONI ever spell a domain two ways, both count.
        before = counts.get(host, (0, 0, 0))
        counts[host] = tuple(min(a + b, MAX_COUNT) for a, b in zip(before, values, strict=True))
    return counts


# The check ---------------------------------------------------------------------------------------


@dataclass
class CountryCheck:
    code: str
    name: str
    asked: bool = True
    domains: int = 0  # how many domains OONI reported for the country
    sites: int = 0
    measured: int = 0
    with_anomalies: int = 0
    with_confirmed: int = 0
    confirmed_names: list = field(default_factory=list)

    def line(self):
        if not self.asked:
            return f"{self.code} ({self.name}): no site with an address; OONI was not asked."
        line = (
            f"{self.code} ({self.name}): {_n(self.sites, 'site', 'sites')}, "
            f"{self.measured} measured, {self.with_anomalies} with anomalies, "
            f"{self.with_confirmed} with confirmed blocks"
        )
        if self.confirmed_names:
            names = ", ".join(f"“{name}”" for name in self.confirmed_names[:10])
            more = " …" if len(self.confirmed_names) > 10 else ""
            line += f" ({names}{more})"
        return f"{line}."


@dataclass
class OoniReport:
    since: datetime.date
    until: datetime.date
    countries: list = field(default_factory=list)

    @property
    def checked_on(self):
        return self.until

    @property
    def countries_checked(self):
        return sum(1 for country in self.countries if country.asked)

    @property
    def sites_updated(self):
        return sum(country.sites for country in self.countries)

    @property
    def with_anomalies(self):
        return sum(country.with_anomalies for country in self.countries)

    @property
    def with_confirmed(self):
        return sum(country.with_confirmed for country in self.countries)

    def lines(self):
        for country in self.countries:
            yield country.line()
        yield (
            f"{_n(self.countries_checked, 'country', 'countries')} checked (OONI {TEST_NAME}, "
            f"{self.since} to {self.until}, the last day excluded): "
            f"{_n(self.sites_updated, 'site', 'sites')} updated, "
            f"{self.with_anomalies} with anomalies, {self.with_confirmed} with confirmed blocks."
        )


def _n(count, one, many):
    return f"{count} {one if count == 1 else many}"


def check_ooni(countries=None, since_days=DEFAULT_DAYS, today=None):
    """Ask OONI for each country's counts (once per country) and store them on its sites.

    `countries`: ISO codes (default: every country with a site that has an address). Sites
    of a country asked get the counts of their host, or 0 measurements if OONI reported none,
    all dated `today`; sites without an address are left as they are. All or nothing: raises
    OoniUnavailable (naming the country) before anything is written if any country could not
    be asked or answered badly; ValueError for an unknown ISO code or a bad window.
    Returns an OoniReport.
    """
    if type(since_days) is not int or since_days < 1:
        raise ValueError(f"The window is a whole number of days, at least 1, not {since_days!r}.")
    since, until = window(since_days, today)
    chosen = _countries(countries)
    report = OoniReport(since=since, until=until)
    checks = {country.pk: CountryCheck(country.iso_code.code, country.name) for country in chosen}
    addressed = _countries_with_addresses([country.pk for country in chosen])

    # First every question: any failure leaves the database untouched.
    base = api_url()
    answers = {}
    for country in chosen:
        check = checks[country.pk]
        report.countries.append(check)
        if country.pk not in addressed:
            check.asked = False
            continue
        answers[country.pk] = fetch_counts(check.code, since, until, base=base)
        check.domains = len(answers[country.pk])
    if not answers:
        return report

    # Then every answer, in one transaction; the content version moves once.
    with transaction.atomic(), changes_batched():
        sites = (
            BlockedSite.objects.filter(country_id__in=list(answers))
            .exclude(url="")
            .select_for_update()
            .order_by("country_id", "name")
        )
        updated = []
        for site in sites:
            host = host_of(site)
            if host is None:
                continue
            measurements, anomalies, confirmed = answers[site.country_id].get(host, (0, 0, 0))
            site.ooni_checked_on = until
            site.ooni_measurements = measurements
            site.ooni_anomalies = anomalies
            site.ooni_confirmed = confirmed
            updated.append(site)
            _count(checks[site.country_id], site)
        BlockedSite.objects.bulk_update(updated, OONI_FIELDS, batch_size=500)
    return report


def _count(check, site):
    check.sites += 1
    check.measured += site.ooni_measurements > 0
    check.with_anomalies += site.ooni_anomalies > 0 or site.ooni_confirmed > 0
    if site.ooni_confirmed > 0:
        check.with_confirmed += 1
        check.confirmed_names.append(site.name)


def _countries(codes):
    """The countries to check, by ISO code, in the order of their codes."""
    if codes is None:
        ids = _countries_with_addresses(None)
        return list(Country.objects.filter(pk__in=ids).order_by("iso_code"))
    if isinstance(codes, str):
        codes = [codes]
    wanted = list(dict.fromkeys(str(code).strip().upper() for code in codes))
    found = {c.iso_code.code: c for c in Country.objects.filter(iso_code__in=wanted)}
    missing = [code for code in wanted if code not in found]
    if missing:
        listed = ", ".join(f"“{code}”" for code in missing)
        raise ValueError(f"No country entry has the ISO code {listed}.")
    return sorted(found.values(), key=lambda country: country.iso_code.code)


def _countries_with_addresses(country_ids):
    """The ids of the countries (among `country_ids`, or all) with a site OONI can look up."""
    sites = BlockedSite.objects.exclude(url="")
    if country_ids is not None:
        sites = sites.filter(country_id__in=country_ids)
    return {
        country_id
        for country_id, url in sites.values_list("country_id", "url").iterator(chunk_size=2000)
        if host_of(url)
    }
