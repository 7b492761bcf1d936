"""Search over published entries: names, prose, quoted articles, ISPs and blocked sites.

PostgreSQL ranks with its full-text search (stemmed, weighted: name, then summary, then the
other sections and rows). SQLite, the development database, falls back to substring matching
with the same weights. Either way the result is a ranked list of entries with a highlighted
snippet, built from plain text and escaped before the highlight is added.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import F, Q
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from ..markdown import markdown_to_text
from ..models import BlockedSite, ConstitutionalArticle, Country, Isp
from ..sections import SECTIONS

MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
MAX_RESULTS = 50
SNIPPET_RADIUS = 90
PROSE_FIELDS = [spec.field for spec in SECTIONS if spec.field != "summary"]
WEIGHTS = {"name": 1.0, "summary": 0.4, "prose": 0.2, "rows": 0.4}


@dataclass
class Result:
    country: Country
    score: float
    snippet: str


def terms_of(query):
    return [term for term in re.findall(r"\w[\w.-]*", query.lower()) if len(term) > 1][:MAX_TERMS]


def search(query: str) -> list[Result]:
    query = query.strip()[:MAX_QUERY_LENGTH]
    terms = terms_of(query)
    if not terms:
        return []
    scores = _postgres_scores(query) if connection.vendor == "postgresql" else _simple_scores(terms)
    if not scores:
        return []
    best = sorted(scores, key=lambda pk: -scores[pk])[:MAX_RESULTS]
    countries = Country.objects.published().in_bulk(best)
    return [
        Result(countries[pk], scores[pk], snippet(countries[pk], terms))
        for pk in best
        if pk in countries
    ]


def _add(scores, rows, weight=1.0):
    for pk, rank in rows:
        scores[pk] = scores.get(pk, 0) + weight * rank


def _document(table):
    """The stored tsvector column that migration 0006 adds on PostgreSQL."""
    # The table name comes from our own model metadata, never from a request.
    sql = f'"{table}"."search_document"'
    return RawSQL(sql, [], output_field=SearchVectorField())  # noqa: S611 - see above


def _postgres_scores(query):
    search_query = SearchQuery(query, search_type="websearch", config="english")
    scores = {}
    countries = (
        Country.objects.published()
        .annotate(document=_document("countries_country"))
        .filter(document=search_query)  # document @@ query: the GIN index
        .annotate(rank=SearchRank(F("document"), search_query))
    )
    _add(scores, countries.values_list("pk", "rank"))
    for model in (ConstitutionalArticle, BlockedSite):
        rows = (
            model.objects.filter(country__is_published=True)
            .public()
            .annotate(document=_document(model._meta.db_table))
            .filter(document=search_query)
            .annotate(rank=SearchRank(F("document"), search_query))
        )
        _add(scores, rows.values_list("country_id", "rank"), WEIGHTS["rows"])
    isps = (
        Isp.objects.filter(country__is_published=True)
        .annotate(rank=SearchRank(SearchVector("name", config="english"), search_query))
        .filter(rank__gt=0)
    )
    _add(scores, isps.values_list("country_id", "rank"), WEIGHTS["rows"])
    return scores


def _simple_scores(terms):
    scores = {}
    countries = Country.objects.published()

    def hits(queryset, weight, key="pk"):
        _add(scores, ((pk, weight) for pk in queryset.values_list(key, flat=True).distinct()))

    for term in terms:
        hits(countries.filter(name__icontains=term), WEIGHTS["name"])
        hits(countries.filter(summary__icontains=term), WEIGHTS["summary"])
        prose = Q()
        for name in PROSE_FIELDS:
            prose |= Q(**{f"{name}__icontains": term})
        hits(countries.filter(prose), WEIGHTS["prose"])
        for model, lookup in (
            (ConstitutionalArticle, Q(clauses__icontains=term)),
            (BlockedSite, Q(name__icontains=term) | Q(url__icontains=term)),
            (Isp, Q(name__icontains=term)),
        ):
            rows = model.objects.filter(lookup, country__is_published=True).public()
            hits(rows, WEIGHTS["rows"], key="country_id")
    return scores


def snippet(country, terms):
    """A short passage of the entry around the first term found, terms highlighted."""
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    for name in ["summary", *PROSE_FIELDS]:
        text = " ".join(markdown_to_text(getattr(country, name)).split())
        match = pattern.search(text)
        if match:
            start = max(match.start() - SNIPPET_RADIUS, 0)
            passage = text[start : match.end() + SNIPPET_RADIUS]
            prefix = "… " if start else ""
            suffix = " …" if match.end() + SNIPPET_RADIUS < len(text) else ""
            return highlight(prefix + passage + suffix, pattern)
    return highlight(Truncator(country.summary_line()).chars(2 * SNIPPET_RADIUS), pattern)


def highlight(text, pattern):
    """Escape the text, then wrap matches in <mark>: nothing but <mark> is ever markup."""
    pieces, last = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece escaped above
