"""Every public URL, fed odd but legal data, answers without a server error and escapes it.

Names are data, and data ends up in paths, query strings, HTML, XML, JSON and CSV. A blocked
site named "AC/DC fan forum" once made /blocked-sites/ answer 500 for everyone (its detail URL
used <str:name>, so reversing it failed), and /api/v1/countries/?page=99999999999999999999
answered 500 (the database refused the offset). Each was one odd value in one place; this module
puts odd values everywhere:

- published entries whose every text field holds slashes, quotes, markup, percent signs,
  question marks, hashes, Cyrillic, Arabic, Hebrew, emoji, combining marks or the longest value
  the model allows, odd but legal Markdown, and URLs with query strings and IDNs; and a draft
  holding the same kind of data plus a secret word, which must appear nowhere;
- every public URL pattern, walked from the URLconf, with that data in its path parts; every
  query parameter a page reads (for the API, every one its OpenAPI schema documents) with odd
  values; and parameters nobody reads.

It asserts no 5xx ever; 200 where the data exists, 404 where it does not, 4xx for invalid API
input; HTML shows each name as text, never as markup; JSON, feeds, the sitemap, CSV and the
downloads parse and carry the exact strings; and each link on /blocked-sites/, resolved as a
browser resolves it, leads to a page naming the site.
"""

import csv
import io
import json
import xml.etree.ElementTree as ET
import zipfile
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import unquote, urlencode

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from countries.api import api
from countries.api.pagination import MAX_PAGE_SIZE
from countries.filters import CountryFilter, SiteFilter
from countries.history import record_revisions
from countries.models import BlockedSite, Country
from countries.opendata.export import CSV_TABLE_NAMES
from countries.public.search import terms_of
from countries.public.views.browse import TOPICS

from .factories import (
    ArticleFactory,
    CountryFactory,
    IspFactory,
    MetricFactory,
    SiteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def exactly(length, seed):
    """`seed` repeated to exactly `length` characters, not ending in a space (forms strip it)."""
    text = (seed * (length // len(seed) + 1))[:length]
    return text[:-1] + "!" if text[-1].isspace() else text


# The odd data ------------------------------------------------------------------------------------

SLASHES = "AC/DC fan forum"
MARKUP = "<b>Tom & Jerry</b>"
SCRIPT = "<script>alert('x')</script>"
QUOTES = 'It\'s "quoted" “curly” ‘single’ «angle»'
PERCENT = "100% free?"
HASH = "#hashtag"
QUERY_LIKE = "?page=2&q=x"
CYRILLIC = "Радио Азаттык"
KAZAKH = "Қазақстан"
ARABIC = "راديو"
HEBREW = "שלום"
EMOJI = "📰 News 🗞️"
COMBINING = "Cafe\u0301 Z\u0335\u0321a\u0362l\u0338g\u0334o\u0336"  # decomposed é, zalgo
MIXED = f"{SLASHES} “{MARKUP}” {PERCENT} {HASH} {CYRILLIC} {ARABIC} {HEBREW} {EMOJI} {COMBINING} "
LONG_SITE = exactly(200, MIXED)  # BlockedSite.name max_length
LONG_ISP = exactly(200, f"ISP {MIXED}")  # Isp.name
LONG_SOURCE = exactly(200, f"Source {MIXED}")  # Source.name
LONG_NOTE = exactly(200, f"“English text” <i>&</i> {MIXED}")  # translation_note
LONG_COUNTRY = exactly(100, f"{HEBREW} / {ARABIC} — {MIXED}")  # Country.name
LONG_SLUG = exactly(100, "long-slug-")  # Country.slug (ASCII: a SlugField)
LONG_ARTICLE = exactly(20, "12/3 “bis” <b>&</b> ")  # ConstitutionalArticle.number
# No spaces, so that a `[[Article …]]` line places it.
PLACED_ARTICLE = "§12/3“bis”<b>&</b>"

# Blocked sites' names. Each is a path part of /blocked-sites/<name>/. The decoys catch LIKE
# wildcards that were not escaped: "100% free?" must not find "100 percent free?".
SITE_NAMES = [
    SLASHES, "a/b/c", "/r/news", "ends with a slash/", "//", MARKUP, SCRIPT, QUOTES, PERCENT,
    "100 percent free?", "under_score", "underXscore", HASH, QUERY_LIKE, CYRILLIC, KAZAKH, ARABIC,
    HEBREW, EMOJI, "👩‍💻 coders’ café", COMBINING, "...", "a..b", "back\\slash", "C++ & C#",
    "%2F is not a slash", "semi;colon=1", LONG_SITE,
]  # fmt: skip
# Accepted by validate_url_or_domain: http(s) URLs with queries and fragments, IDNs, bare domains.
SITE_URLS = [
    'https://пример.рф/путь?q=AC/DC&x=<b>1</b>&y="2"#frag',
    "пример.рф",
    "http://example.org/search?q=100%25+free%3F&page=2#hashtag",
    "https://xn--e1afmkfd.xn--p1ai/a/b/c?x=1;y=2",
    f"https://example.org/?utm={HEBREW}&emoji=📰",
    "",
    "sub.domain.example",
]
ISP_NAMES = [f"{MARKUP} Telecom", LONG_ISP, "Қазақтелеком", "راديو نت 📡"]
SOURCES = [  # (name, url)
    (LONG_SOURCE, "https://пример.рф/отчёт?q=AC/DC&a=1&b=2#sec-“1”"),
    ("ITU & “friends” <3", ""),
    (f"{HEBREW} source", "http://example.org/?a=1&b=<2>"),
]
CLAUSES = [
    f"{QUOTES} & {MARKUP}",
    f"{CYRILLIC} {ARABIC} {HEBREW}",
    f"{EMOJI} {COMBINING}",
    "1 < 2 > 0 & 100% free? #hashtag a/b/c",
]
MARKDOWN = f"""\
# 📰🗞️🔥

Odd but legal: **{QUOTES}**, `{MARKUP}`, {SCRIPT}, {PERCENT} {HASH} a/b/c, {CYRILLIC}, \
{ARABIC}, {HEBREW}, {EMOJI}, {COMBINING}.[^1] See [AC/DC](https://пример.рф/путь?q=AC/DC&x=1#frag).

- level 1 “quoted”
  - level 2 'single' & <angle>
    - level 3 [link](http://example.org/?a=1&b=2)
      1. ordered in a bullet
         1. and deeper

| Col & “A” | <b>B</b> | {EMOJI} |
|---|:-:|--:|
| {CYRILLIC} | 100% | {ARABIC} |

## 🗞️

[^1]: A footnote with {SCRIPT} and https://example.org/?a=1&b=2.
"""

COUNTRIES = [  # (iso_code, slug, name, region)
    ("KZ", "kazakhstan", KAZAKH, "143"),
    ("FR", "tom-and-jerry", f"{MARKUP} {QUOTES}", "155"),
    ("IL", LONG_SLUG, LONG_COUNTRY, "145"),
    ("US", "ac-dc", f"AC/DC {PERCENT} {HASH}", "021"),
]
COUNTRY_NAMES = [name for _iso, _slug, name, _region in COUNTRIES]
SLUGS = [slug for _iso, slug, _name, _region in COUNTRIES]
# Which country lists which site: round robin, and "AC/DC fan forum" in two.
SITE_COUNTRIES = {
    name: {COUNTRY_NAMES[index % len(COUNTRY_NAMES)]} for index, name in enumerate(SITE_NAMES)
}
SITE_COUNTRIES[SLASHES] |= {COUNTRY_NAMES[1]}

# The draft: the same kind of data, and a word no request ever contains.
SECRET = "Секретистан"
DRAFT_MARK = "🤫"
DRAFT_SLUG = "draft-odd"
DRAFT_NAME = f"{SECRET} {DRAFT_MARK} <i>draft</i> a/b"
DRAFT_SITE_NAMES = [f"{name[:190]} {DRAFT_MARK}" for name in SITE_NAMES]

# Strings that, should they reach a page unescaped, would be markup.
RAW_MARKUP = sorted(
    {text for text in [*SITE_NAMES, *COUNTRY_NAMES, *ISP_NAMES, *CLAUSES, LONG_NOTE] if "<" in text}
    | {MARKUP, SCRIPT, "<i>&</i>", "<b>&</b>", "<i>draft</i>"}
)
# Data holds these tags; neither the templates nor the Markdown sanitiser produce them.
DATA_ONLY_TAGS = {"b", "i"}


def _create(factory, **fields):
    """A row through a factory, then checked as the admin would: the data must be legal."""
    row = factory(**fields)
    row.full_clean()
    return row


def _build_world():
    sources = [_create(SourceFactory, name=name, url=url) for name, url in SOURCES]
    countries = {}
    for index, (iso, slug, name, region) in enumerate(COUNTRIES):
        country = _create(
            CountryFactory,
            name=name,
            slug=slug,
            iso_code=iso,
            region=region,
            summary=MARKDOWN,
            censorship=f"Before.\n\n[[Article {PLACED_ARTICLE}]]\n\nAfter {MARKUP}.\n",
            website_blocking=f"{QUOTES}\n\n> {SCRIPT}\n",
            privacy=MARKDOWN,
            internet_access=f"{PERCENT} {HASH}",
            net_neutrality=f"{ARABIC} {HEBREW}",
            net_neutrality_status=["yes", "partial", "no", "unknown"][index],
            isp_safe_harbor_status=["unknown", "no", "partial", "yes"][index],
            isp_count=index + 1,
        )
        countries[name] = country
        source = sources[index % len(sources)]
        _create(ArticleFactory, country=country, number=PLACED_ARTICLE, topic="speech",
                clauses=CLAUSES, source=source, translation_note=LONG_NOTE,
                notes=MARKDOWN)  # fmt: skip
        _create(ArticleFactory, country=country, number=LONG_ARTICLE, topic="privacy",
                clauses=CLAUSES[::-1], source=sources[0], translation_note=QUOTES)  # fmt: skip
        _create(MetricFactory, country=country, value=Decimal("99.99"), year=2020, source=source,
                notes=MARKDOWN)  # fmt: skip
        _create(MetricFactory, country=country, value=Decimal("0"), year=2019, source=sources[2])
        _create(MetricFactory, country=country, kind="internet_users",
                value=Decimal("9999999999999"), year=2021, source=sources[0])  # fmt: skip
        for isp in ISP_NAMES:
            _create(IspFactory, country=country, name=isp, state_owned=isp == LONG_ISP)
    # Half the sites come with the entries' first published state, half later, so the public
    # list of changes and the feeds name odd sites ("Blocked sites added: “AC/DC fan forum”").
    first, later = SITE_NAMES[: len(SITE_NAMES) // 2], SITE_NAMES[len(SITE_NAMES) // 2 :]
    for batch in (first, later):
        for index, name in enumerate(batch, start=SITE_NAMES.index(batch[0])):
            for country_name in sorted(SITE_COUNTRIES[name]):
                _create(
                    SiteFactory,
                    country=countries[country_name],
                    name=name,
                    url=SITE_URLS[index % len(SITE_URLS)],
                    category=["NEWS", "", "POLR"][index % 3],
                    action=["blocked", "throttled", "blocked_or_throttled"][index % 3],
                    status=["ongoing", "lifted", "reported"][index % 3],
                    since_year=2012,
                    source=sources[index % len(sources)],
                    notes=MARKDOWN if index % 4 == 0 else "",
                )
        record_revisions(list(countries.values()), "Added.")

    draft_source = _create(SourceFactory, name=f"{SECRET} source {DRAFT_MARK}")
    draft = _create(CountryFactory, name=DRAFT_NAME, slug=DRAFT_SLUG, iso_code="UZ",
                    is_published=False, summary=f"{SECRET}: {MARKDOWN}",
                    censorship=f"{SECRET} {DRAFT_MARK}")  # fmt: skip
    _create(ArticleFactory, country=draft, number=f"{DRAFT_MARK}1", clauses=[f"{SECRET} clause"],
            source=draft_source, translation_note=SECRET)  # fmt: skip
    _create(MetricFactory, country=draft, value=Decimal("1"), year=2020, source=draft_source,
            notes=SECRET)  # fmt: skip
    _create(IspFactory, country=draft, name=f"{SECRET} Telecom {DRAFT_MARK}")
    for name in DRAFT_SITE_NAMES:
        _create(SiteFactory, country=draft, name=name, url="https://secret.example/",
                source=draft_source, notes=SECRET)  # fmt: skip
    record_revisions([draft], "Draft.")
    return {"countries": countries, "draft": draft}


@pytest.fixture(scope="module")
def odd(django_db_setup, django_db_blocker):
    """The odd world, built once for the module and rolled back after it."""
    local = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "odd"}
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(CACHES={"default": local, "rendered": local, "markdown": local}):
            world = _build_world()
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def module_client():
    # A new Client loads the middleware, and WhiteNoise then scans every static file: most of
    # the time of a test that makes one request.
    return Client()


@pytest.fixture
def reader(module_client, odd):
    """An anonymous reader of the odd world."""
    module_client.cookies.clear()
    return module_client


# Reading responses -------------------------------------------------------------------------------


class _Page(HTMLParser):
    """One pass over a page: its tags, ids, links (href, text), attribute values and the text a
    reader sees (as tests.helpers.visible_text: scripts, styles and the title skipped)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.ids, self.links, self.attributes, self._text = set(), [], [], [], []
        self._skip, self._link = 0, None
        self.feed(html)
        self.close()
        self.text = " ".join(" ".join(self._text).split())

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attrs = dict(attrs)
        self.attributes += [value for value in attrs.values() if value]
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag in {"script", "style", "title"}:
            self._skip += 1
        elif tag == "a":
            self._link = [attrs.get("href") or "", ""]

    def handle_endtag(self, tag):
        if tag in {"script", "style", "title"}:
            self._skip -= 1
        elif tag == "a" and self._link is not None:
            self.links.append(tuple(self._link))
            self._link = None

    def handle_data(self, data):
        if not self._skip:
            self._text.append(data)
        if self._link is not None:
            self._link[1] += data


def body(response):
    """The response's bytes, streamed (downloads) or not."""
    if not hasattr(response, "_odd_body"):
        streamed = response.streaming
        response._odd_body = b"".join(response.streaming_content) if streamed else response.content
    return response._odd_body


def page(response):
    if not hasattr(response, "_odd_page"):
        response._odd_page = _Page(body(response).decode())
    return response._odd_page


def kind_of(response):
    content_type = response.get("Content-Type", "").split(";")[0]
    for kind in ("html", "json", "xml", "csv", "zip"):
        if kind in content_type:
            return kind
    return content_type


def readable(response):
    """What the body says, whatever its format: entities, JSON escapes and %-escapes undone."""
    data = body(response)
    kind = kind_of(response)
    if kind == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            text = "\n".join(archive.read(name).decode() for name in archive.namelist())
    elif kind == "json":
        text = json.dumps(json.loads(data), ensure_ascii=False)
    elif kind == "html":
        parsed = page(response)
        text = "\n".join([data.decode(), parsed.text, *parsed.attributes])
    elif kind == "xml":
        text = "\n".join([data.decode(), *ET.fromstring(data).itertext()])
    else:
        text = data.decode()
    return unquote(text)


def check_well_formed(response):
    """Parse the body as what it claims to be; HTML must hold no markup that came from data."""
    data = body(response)
    kind = kind_of(response)
    if kind == "html":
        html = data.decode()
        for raw in RAW_MARKUP:
            assert raw not in html, f"unescaped data in the page: {raw!r}"
        from_data = page(response).tags & DATA_ONLY_TAGS
        assert not from_data, f"markup from data: {from_data}"
    elif kind == "json":
        json.loads(data)
    elif kind == "xml":
        ET.fromstring(data)
    elif kind == "csv":
        list(csv.reader(io.StringIO(data.decode())))
    elif kind == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name in archive.namelist():  # the fixtures, and LICENCES.txt beside them
                if name.endswith(".json"):
                    json.loads(archive.read(name))
                else:
                    archive.read(name).decode()


def check_no_draft(response, url):
    text = readable(response)
    assert SECRET not in text, "the draft's data is public"
    if DRAFT_MARK not in unquote(url):  # an error page may show back what was asked for
        assert DRAFT_MARK not in text, "the draft's data is public"
    if not url.startswith(f"/countries/{DRAFT_SLUG}/"):
        assert f"/countries/{DRAFT_SLUG}/" not in text, "the draft's address is public"


def get(client, url):
    response = client.get(url)
    assert response.status_code < 500, f"{url} answered {response.status_code}"
    return response


def get_page(client, url):
    """A page that must exist, checked as every response is; its parsed HTML."""
    response = get(client, url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    check_well_formed(response)
    check_no_draft(response, url)
    return page(response)


# Which URLs: every public pattern of the URLconf ------------------------------------------------

# Behind a sign-in, for editors: tests/test_admin.py and tests/test_hardening.py cover them.
NOT_PUBLIC = {"editor_guide", "markdownx_markdownify", "markdownx_upload"}
OK, MISSING, REFUSED, REDIRECT, ANSWERED = "200", "404", "4xx", "3xx", "200 or 4xx"
HUGE = "99999999999999999999"
UNREVERSIBLE = "reverse() fails: "


def public_patterns():
    """(reverse name, route, converters) of every pattern anyone may request."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace
                )
            elif pattern.name not in NOT_PUBLIC:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield name, prefix + str(pattern.pattern), pattern.pattern.converters

    return list(walk(get_resolver().url_patterns, "", None))


ASCII_SITE_NAMES = [name for name in SITE_NAMES if name.isascii() and name.upper() != name]
ODD_STRINGS = [
    SLASHES, MARKUP, SCRIPT, QUOTES, PERCENT, HASH, QUERY_LIKE, CYRILLIC, ARABIC, HEBREW, EMOJI,
    COMBINING, LONG_SITE,
]  # fmt: skip
JUNK = [
    *ODD_STRINGS, "", " ", "0", "-1", "1.5", "1e309", "NaN", HUGE, f"-{HUGE}", "\x00", "\ufffd",
    "x" * 5000,
]  # fmt: skip

# Path parts for each pattern that has some, with the answer expected.
PATH_SAMPLES = {
    "countries:detail": [
        *(({"slug": slug}, OK) for slug in SLUGS),
        ({"slug": DRAFT_SLUG}, MISSING),
        ({"slug": "no-such-entry"}, MISSING),
    ],
    # Editors only: a reader is sent to sign in, even for a published entry.
    "countries:preview": [({"slug": slug}, REDIRECT) for slug in [*SLUGS[:1], DRAFT_SLUG]],
    "countries:feed_country": [
        *(({"slug": slug}, OK) for slug in SLUGS),
        ({"slug": DRAFT_SLUG}, MISSING),
        ({"slug": "no-such-entry"}, MISSING),
    ],
    "countries:topic": [
        *(({"topic": topic}, OK) for topic in TOPICS),
        ({"topic": "no-such-topic"}, MISSING),
    ],
    "countries:blocked_site": [
        *(({"name": name}, OK) for name in SITE_NAMES),
        # Another spelling leads to the site's one address.
        *(({"name": name.upper()}, REDIRECT) for name in ASCII_SITE_NAMES),
        *(({"name": name}, MISSING) for name in DRAFT_SITE_NAMES),
        *(({"name": text}, MISSING) for text in ["No such site", "AC/DC", "a/b", "\x00"]),
    ],
    "countries:data_csv": [
        *(({"table": table}, OK) for table in CSV_TABLE_NAMES),
        ({"table": "no-such-table"}, MISSING),
    ],
    "api-v1:country_detail": [
        *(({"slug": slug}, OK) for slug in SLUGS),
        ({"slug": DRAFT_SLUG}, MISSING),
        *(({"slug": text}, MISSING) for text in [*ODD_STRINGS, "\x00"] if "/" not in text),
    ],
    "media": [
        ({"path": path}, REFUSED)  # 404, or 400 for a path out of MEDIA_ROOT
        for path in [
            SLASHES,
            "../netfree/settings.py",
            "../../../etc/passwd",
            MARKUP,
            "\x00",
            EMOJI,
            f"{LONG_SITE}.png",
        ]  # fmt: skip
    ],
}
# Paths reverse() cannot produce: broken UTF-8, encoded dots and slashes, what slugs refuse.
RAW_PATHS = [
    ("/blocked-sites/%FF/", MISSING),
    ("/blocked-sites/%C0%AF/", MISSING),
    ("/blocked-sites/%2e%2e/", MISSING),
    ("/blocked-sites/AC%2FDC%20fan%20forum/", OK),
    ("/countries/%D2%9A%D0%B0%D0%B7/", MISSING),
    ("/countries/AC%2FDC/", MISSING),
    ("/countries/kazakhstan%00/", MISSING),
    ("/topics/%F0%9F%93%B0/", MISSING),
    ("/data/csv/%00.csv", MISSING),
    ("/data/csv/..%2Fcountries.csv", MISSING),
    ("/api/v1/countries/%FF/", MISSING),
    ("/api/v1/countries/kazakhstan%00/", MISSING),
    ("/api/v1/nothing/", MISSING),
    ("/media/%2e%2e/%2e%2e/etc/passwd", REFUSED),
]
# Query strings urlencode() never writes: broken UTF-8, bad escapes, repeated keys (the last
# counts), a wall of right-to-left overrides.
RAW_QUERIES = ["q=%FF&sort=%ZZ&page=2&page=1&region=%00", "%=&&=&q", "q=" + "%E2%80%AE" * 50]
UNKNOWN_PARAMS = {"utm_source": QUOTES, "callback": SCRIPT, "x": EMOJI, "": SLASHES}


def api_query_parameters():
    """{reverse name: the query parameters it documents}, from the API's OpenAPI schema."""
    schema = api.get_openapi_schema(path_prefix="")
    names = {}
    for name, route, _converters in public_patterns():
        path = "/" + route.removeprefix("api/v1/").replace("<slug>", "{slug}")
        if name.startswith(f"{api.urls_namespace}:") and path in schema["paths"]:
            parameters = schema["paths"][path]["get"].get("parameters", [])
            names[name] = [p["name"] for p in parameters if p["in"] == "query"]
    return names


def with_query(url, params):
    return f"{url}?{urlencode(params)}"


def page_is_valid(value):
    """Whether a paginated page takes `value` as its first (and, here, only) page."""
    if value in ("", "last"):
        return True
    try:
        return int(value) == 1
    except ValueError:
        return False


def url_cases():
    """Every (url, expected answer) requested, and the patterns with no path parts to try."""
    cases, uncovered = [], []
    for name, _route, converters in public_patterns():
        if converters:
            if name not in PATH_SAMPLES:
                uncovered.append(name)
            for kwargs, expect in PATH_SAMPLES.get(name, []):
                try:
                    cases.append((reverse(name, kwargs=kwargs), expect))
                except NoReverseMatch:  # no page can link there: a test that says so
                    cases.append((f"{UNREVERSIBLE}{name} {kwargs}", expect))
        elif name == f"{api.urls_namespace}:api-root":  # ninja's placeholder for /api/v1/
            cases.append((reverse(name), MISSING))
        else:
            url = reverse(name)
            cases += [(url, OK), (with_query(url, UNKNOWN_PARAMS), OK)]
    cases += RAW_PATHS

    home, embed = reverse("countries:list"), reverse("countries:embed_map")
    sites, search = reverse("countries:blocked_sites"), reverse("countries:search")
    for value in JUNK:
        cases.append(
            (
                with_query(
                    home, dict.fromkeys([*CountryFilter.base_filters, "sort", "indicator"], value)
                ),
                OK,
            )
        )
        cases.append((with_query(embed, {"indicator": value}), OK))
        cases.append((with_query(search, {"q": value}), OK))
        cases.append((with_query(sites, dict.fromkeys([*SiteFilter.base_filters], value)), OK))
        cases.append((with_query(sites, {"page": value}), OK if page_is_valid(value) else MISSING))
    for value in [*SITE_NAMES, *COUNTRY_NAMES, *ISP_NAMES, *DRAFT_SITE_NAMES, DRAFT_SLUG]:
        cases.append((with_query(search, {"q": value}), OK))
    cases += [(f"{url}?{raw}", OK) for url in (home, search, sites) for raw in RAW_QUERIES]

    for name, params in api_query_parameters().items():
        url = reverse(name, kwargs={"slug": SLUGS[0]}) if name in PATH_SAMPLES else reverse(name)
        cases += [(with_query(url, {param: value}), ANSWERED) for param in params for value in JUNK]
        if "page" in params:
            for value in ["0", "-1", HUGE, "abc", "1.5"]:
                cases.append((with_query(url, {"page": value}), REFUSED))
            for value in ["0", "-1", "abc"]:
                cases.append((with_query(url, {"page_size": value}), REFUSED))
            cases += [(with_query(url, {"page_size": HUGE}), OK)]
            cases += [(f"{url}?{raw}", ANSWERED) for raw in RAW_QUERIES]
    unique = {}  # the first expectation for a URL is the most precise one
    for url, expect in cases:
        if "%00" in url:  # a NUL byte may as well be refused outright (400) as looked for
            expect = {OK: ANSWERED, MISSING: REFUSED}.get(expect, expect)
        unique.setdefault(url, expect)
    return list(unique.items()), uncovered


URL_CASES, UNCOVERED = url_cases()


def test_every_public_pattern_is_requested():
    assert not UNCOVERED, f"add path parts to try to PATH_SAMPLES for {UNCOVERED}"


@pytest.mark.parametrize("url, expect", [pytest.param(*case, id=case[0]) for case in URL_CASES])
def test_public_url_answers_odd_input_without_error(reader, url, expect):
    assert not url.startswith(UNREVERSIBLE), f"{url}: no page can link there"
    response = reader.get(url)
    status = response.status_code
    assert status < 500, f"{url} answered {status}"
    if expect == OK:
        assert status == 200, f"{url} answered {status}"
    elif expect == MISSING:
        assert status == 404, f"{url} answered {status}"
    elif expect == REFUSED:
        assert 400 <= status < 500, f"{url} answered {status}"
    elif expect == REDIRECT:
        assert 300 <= status < 400, f"{url} answered {status}"
    else:
        assert status == 200 or 400 <= status < 500, f"{url} answered {status}"
    if status < 300 or status >= 400:
        check_well_formed(response)
        check_no_draft(response, url)
    if kind_of(response) == "json" and status >= 400:
        assert "detail" in json.loads(body(response)), "API errors say what was wrong"
    if kind_of(response) == "json" and f"page_size={HUGE}" in url:
        assert json.loads(body(response))["page_size"] == MAX_PAGE_SIZE


# What the pages show -----------------------------------------------------------------------------


def as_a_browser_resolves(href):
    """The path a browser requests for a link to an absolute path (WHATWG URL parsing).

    Browsers drop "." segments and let ".." remove the segment before, also when the dots are
    percent-encoded, and read "\\" as "/"; Django's test client sends the path as written.
    """
    path, mark, query = href.partition("?")
    assert path.startswith("/"), href
    segments = path.replace("\\", "/").split("/")[1:]
    resolved = []
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment.lower() in ("..", ".%2e", "%2e.", "%2e%2e"):
            if resolved:
                resolved.pop()
            if last:
                resolved.append("")
        elif segment.lower() in (".", "%2e"):
            if last:
                resolved.append("")
        else:
            resolved.append(segment)
    return "/" + "/".join(resolved) + mark + query


# The published strings each page that lists them must show.
SITE_LIST_SHOWS = [*COUNTRY_NAMES, *SITE_NAMES, *(name for name, _url in SOURCES)]
CONSTITUTIONS_SHOW = [*COUNTRY_NAMES, *CLAUSES, LONG_NOTE, QUOTES, LONG_SOURCE, PLACED_ARTICLE,
                      LONG_ARTICLE]  # fmt: skip
LISTS = {
    "countries:list": COUNTRY_NAMES,
    "countries:index": COUNTRY_NAMES,
    "countries:embed_map": COUNTRY_NAMES,
    "countries:topic": COUNTRY_NAMES,
    "countries:blocked_sites": SITE_LIST_SHOWS,
    "countries:constitutions": CONSTITUTIONS_SHOW,
}


def listing_cases():
    """(page, the published strings it must show), for every listing page the URLconf has."""
    cases = []
    for name, _route, _converters in public_patterns():
        if name == "countries:topic":
            cases += [(reverse(name, kwargs={"topic": t}), LISTS[name]) for t in TOPICS]
        elif name in LISTS:
            cases.append((reverse(name), LISTS[name]))
    for slug, name in zip(SLUGS, COUNTRY_NAMES, strict=True):
        sites = [site for site, owners in SITE_COUNTRIES.items() if name in owners]
        shown = [name, *sites, *ISP_NAMES, *CLAUSES, LONG_NOTE, PLACED_ARTICLE, LONG_ARTICLE,
                 LONG_SOURCE, "📰🗞️🔥", MARKUP, "ordered in a bullet", "Col & “A”"]  # fmt: skip
        cases.append((reverse("countries:detail", kwargs={"slug": slug}), shown))
    return cases


@pytest.mark.parametrize(
    "url, shown", [pytest.param(*case, id=case[0]) for case in listing_cases()]
)
def test_pages_show_every_published_name_as_text(reader, url, shown):
    text = get_page(reader, url).text
    missing = [name for name in shown if name not in text]
    assert not missing, f"{url} does not show {missing}"


@pytest.mark.parametrize("slug", SLUGS)
def test_entry_links_keep_odd_urls_intact(reader, slug):
    url = reverse("countries:detail", kwargs={"slug": slug})
    hrefs = {href for href, _text in get_page(reader, url).links}
    wanted = {site.link() for site in BlockedSite.objects.filter(country__slug=slug) if site.url}
    wanted |= {url for _name, url in SOURCES if url}
    assert not wanted - hrefs, f"links changed on the way: {wanted - hrefs}"


@pytest.mark.parametrize("slug", SLUGS)
def test_entry_page_ids_are_unique(reader, slug):
    """Headings in Cyrillic, Arabic or emoji all slugify to nothing; their ids must still differ
    from one section (and one row's notes) to the next, or the page's anchors are ambiguous."""
    ids = get_page(reader, reverse("countries:detail", kwargs={"slug": slug})).ids
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    assert not repeated, f"ids repeated on the page: {repeated}"


def follow_site_links(reader, name):
    """Follow the /blocked-sites/ links named `name` as a browser would; each must name it."""
    listing = reverse("countries:blocked_sites")
    links = get_page(reader, listing).links
    hrefs = {href for href, text in links if text == name and href.startswith(listing)}
    assert hrefs, f"/blocked-sites/ does not link {name!r}"
    for href in hrefs:
        url = as_a_browser_resolves(href)
        response = get(reader, url)
        assert response.status_code == 200, f"{href} (a browser asks for {url}) answered 404"
        assert f"Where is {name} blocked?" in page(response).text
    return page(response)


@pytest.mark.parametrize("name", SITE_NAMES)
def test_each_site_link_on_the_list_leads_to_its_page(reader, name):
    """What failed for "AC/DC fan forum": the list's link to "where is this site blocked?"."""
    detail = follow_site_links(reader, name)
    countries = {text for href, text in detail.links if href.endswith("#website-blocking")}
    assert countries == SITE_COUNTRIES[name], "the page lists exactly the site's countries"


# Names with "." or ".." segments. "." and ".." alone are refused by a model constraint, since
# browsers resolve them out of /blocked-sites/…/; these have the same problem.
DOT_SEGMENT_NAMES = ["../etc/passwd", "a/./b", "a/../b", "AC/DC/..", "./r/news", "x/%2e%2e/y"]


@pytest.mark.parametrize("name", DOT_SEGMENT_NAMES)
def test_dot_segment_names_are_refused_or_reachable(reader, odd, name):
    site = BlockedSite(country=odd["countries"][KAZAKH], name=name, action="blocked")
    try:
        site.full_clean()
    except ValidationError:
        return  # refused, like "." and ".."
    site.save()
    follow_site_links(reader, name)


@pytest.mark.parametrize("name", SITE_NAMES)
def test_search_shows_the_query_as_text_and_finds_the_site(reader, name):
    results = get_page(reader, with_query(reverse("countries:search"), {"q": name}))
    assert f"“{name}”" in results.text, "the query is shown back as text"
    found = {text for href, text in results.links if href.startswith("/countries/")}
    if terms_of(name):  # words search looks for
        assert SITE_COUNTRIES[name] <= found, f"{name!r} finds {found}"


# What the data formats carry ---------------------------------------------------------------------


def api_json(client, url, **params):
    response = get(client, with_query(url, params) if params else url)
    assert response.status_code == 200, url
    check_no_draft(response, url)
    return json.loads(body(response))


def test_api_lists_carry_the_exact_strings(reader):
    countries = api_json(reader, reverse("api-v1:country_list"), page_size=100)
    assert {item["name"] for item in countries["items"]} == set(COUNTRY_NAMES)
    sites = api_json(reader, reverse("api-v1:blocked_site_list"), page_size=100)
    assert sites["count"] == sum(len(owners) for owners in SITE_COUNTRIES.values())
    assert {(i["country"]["name"], i["name"]) for i in sites["items"]} == {
        (country, name) for name, owners in SITE_COUNTRIES.items() for country in owners
    }
    assert {i["url"] for i in sites["items"]} == {url or None for url in SITE_URLS}
    assert {i["source"]["name"] for i in sites["items"]} == {name for name, _url in SOURCES}
    metrics = api_json(reader, reverse("api-v1:metric_list"), page_size=100)
    assert {i["source"]["name"] for i in metrics["items"]} == {name for name, _url in SOURCES}
    assert MARKDOWN in {i["notes"] for i in metrics["items"]}


@pytest.mark.parametrize("slug", SLUGS)
def test_api_entry_carries_the_exact_strings(reader, slug):
    country = Country.objects.get(slug=slug)
    entry = api_json(reader, reverse("api-v1:country_detail", kwargs={"slug": slug}))
    assert entry["name"] == country.name and entry["slug"] == slug
    assert entry["sections"]["summary"]["markdown"] == MARKDOWN
    assert entry["sections"]["privacy"]["markdown"] == MARKDOWN
    assert {i["name"] for i in entry["isps"]} == set(ISP_NAMES)
    assert {(a["number"], tuple(a["clauses"]), a["translation_note"]) for a in
            entry["constitutional_articles"]} == {
        (PLACED_ARTICLE, tuple(CLAUSES), LONG_NOTE), (LONG_ARTICLE, tuple(CLAUSES[::-1]), QUOTES)
    }  # fmt: skip
    assert {(s["name"], s["url"], s["notes"]) for s in entry["blocked_sites"]} == {
        (s.name, s.url or None, s.notes) for s in country.blocked_sites.all()
    }
    for html in [
        entry["sections"]["summary"]["html"],
        *(s["notes_html"] for s in entry["blocked_sites"]),
    ]:
        assert not any(raw in html for raw in RAW_MARKUP), "notes_html is sanitised"


@pytest.mark.parametrize("name", SITE_NAMES)
def test_api_search_matches_the_name_literally(reader, name):
    found = api_json(reader, reverse("api-v1:blocked_site_list"), q=name, page_size=100)
    names = [item["name"] for item in found["items"]]
    assert name in names
    for item in found["items"]:
        haystack = f"{item['name']} {item['url'] or ''}".casefold()
        assert name.casefold() in haystack, f"{name!r} also finds {item['name']!r}"


def test_feeds_and_sitemap_parse_and_name_the_entries(reader):
    for name in ("countries:feed_atom", "countries:feed_rss"):
        response = get(reader, reverse(name))
        check_no_draft(response, reverse(name))
        feed = ET.fromstring(body(response))
        titles = {e.text for e in feed.iter(f"{ATOM}title")} | {e.text for e in feed.iter("title")}
        assert set(COUNTRY_NAMES) <= titles, name
    for slug, country_name in zip(SLUGS, COUNTRY_NAMES, strict=True):
        url = reverse("countries:feed_country", kwargs={"slug": slug})
        feed = ET.fromstring(body(get(reader, url)))
        assert feed.find(f"{ATOM}title").text == f"netfree: changes to {country_name}"
        titles = " ".join(e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry"))
        added = [site for site in SITE_NAMES[len(SITE_NAMES) // 2 :]
                 if country_name in SITE_COUNTRIES[site]]  # fmt: skip
        assert added and all(f"“{site}”" in titles for site in added), titles
    sitemap = ET.fromstring(body(get(reader, reverse("sitemap"))))
    locs = {loc.text for loc in sitemap.iter(f"{SITEMAP}loc")}
    assert {f"http://testserver/countries/{slug}/" for slug in SLUGS} <= locs
    assert not any(DRAFT_SLUG in loc for loc in locs)


def csv_rows(client, table):
    url = reverse("countries:data_csv", kwargs={"table": table})
    response = get(client, url)
    assert response.status_code == 200, url
    check_no_draft(response, url)
    return list(csv.DictReader(io.StringIO(body(response).decode())))


def test_csv_downloads_round_trip_the_exact_strings(reader):
    published = Country.objects.published()
    rows = csv_rows(reader, "countries")
    assert {(r["name"], r["slug"], r["summary"], r["privacy"]) for r in rows} == {
        (c.name, c.slug, c.summary, c.privacy) for c in published
    }
    rows = csv_rows(reader, "blocked-sites")
    assert {(r["country"], r["name"], r["url"], r["notes"], r["source"]) for r in rows} == {
        (s.country.name, s.name, s.url, s.notes, s.source.name)
        for s in BlockedSite.objects.published()
    }
    rows = csv_rows(reader, "isps")
    assert {(r["country"], r["name"]) for r in rows} == {
        (country, isp) for country in COUNTRY_NAMES for isp in ISP_NAMES
    }
    rows = csv_rows(reader, "constitutional-clauses")
    assert {(r["country"], r["article"], r["text"], r["translation"]) for r in rows} == {
        (country, number, clause, note)
        for country in COUNTRY_NAMES
        for number, note in [(PLACED_ARTICLE, LONG_NOTE), (LONG_ARTICLE, QUOTES)]
        for clause in CLAUSES
    }
    rows = csv_rows(reader, "metrics")
    assert {r["source"] for r in rows} == {name for name, _url in SOURCES}
    rows = csv_rows(reader, "sources")
    assert {(r["name"], r["url"]) for r in rows} == set(SOURCES)


def test_json_and_fixture_downloads_carry_the_exact_strings(reader):
    def names(items, model):
        return {item["fields"]["name"] for item in items if item["model"] == model}

    response = get(reader, reverse("countries:data_json"))
    check_no_draft(response, reverse("countries:data_json"))
    items = json.loads(body(response))
    assert names(items, "countries.country") == set(COUNTRY_NAMES)
    assert names(items, "countries.blockedsite") == set(SITE_NAMES)
    assert names(items, "countries.isp") == set(ISP_NAMES)
    assert names(items, "countries.source") == {name for name, _url in SOURCES}
    response = get(reader, reverse("countries:data_fixtures"))
    check_no_draft(response, reverse("countries:data_fixtures"))
    with zipfile.ZipFile(io.BytesIO(body(response))) as archive:
        fixtures = [n for n in archive.namelist() if n.endswith(".json")]
        items = [i for n in fixtures for i in json.loads(archive.read(n))]
    assert names(items, "countries.country") == set(COUNTRY_NAMES)
    assert names(items, "countries.blockedsite") == set(SITE_NAMES)
