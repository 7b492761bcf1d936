"""Search over published entries: names, prose, quoted articles, ISPs and blocked sites.

PostgreSQL ranks with its full-text search (stemmed, weighted: name, then summary, then the
other sections and rows), in the reader's language with its configuration (settings.SEARCH_CONFIGS:
russian for Russian, simple for Kazakh) and in English, which every untranslated text still is.
SQLite, the development database, falls back to substring matching with the same weights.
Either way the result is a ranked list of entries with a highlighted snippet, built from plain
text and escaped before the highlight is added.
"""

import re
from dataclasses import dataclass

from django.conf import settings
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
from ..models.translated import REFERENCE_LANGUAGE, localized, reader_language
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


def search_languages():
    """The reader's language, then English (what is not translated is searched as written)."""
    return list(dict.fromkeys([reader_language(), REFERENCE_LANGUAGE]))


def _document(table, language):
    """The stored tsvector column per language that migration 0011 adds on PostgreSQL."""
    # Table and language come from our own metadata and settings, never from a request.
    sql = f'"{table}"."search_document_{language}"'
    return RawSQL(sql, [], output_field=SearchVectorField())  # noqa: S611 - see above


def _postgres_scores(query):
    scores = {}
    for language in search_languages():
        _add_postgres_scores(scores, query, language)
    return scores


def _add_postgres_scores(scores, query, language):
    config = settings.SEARCH_CONFIGS[language]
    search_query = SearchQuery(query, search_type="websearch", config=config)
    countries = (
        Country.objects.published()
        .annotate(document=_document("countries_country", language))
        .filter(document=search_query)  # document @@ query: the GIN index
        .annotate(rank=SearchRank(F("document"), search_query))
    )
    _add(scores, countries.values_list("pk", "rank"))
    for model in (ConstitutionalArticle, BlockedSite):
        rows = (
            model.objects.filter(country__is_published=True)
            .public()
            .annotate(document=_document(model._meta.db_table, language))
            .filter(document=search_query)
            .annotate(rank=SearchRank(F("document"), search_query))
        )
        _add(scores, rows.values_list("country_id", "rank"), WEIGHTS["rows"])
    isps = (
        Isp.objects.filter(country__is_published=True)
        .annotate(rank=SearchRank(SearchVector("name", config=config), search_query))
        .filter(rank__gt=0)
    )
    _add(scores, isps.values_list("country_id", "rank"), WEIGHTS["rows"])


def _simple_scores(terms):
    scores = {}
    countries = Country.objects.published()
    languages = search_languages()

    def hits(queryset, weight, key="pk"):
        _add(scores, ((pk, weight) for pk in queryset.values_list(key, flat=True).distinct()))

    def contains(fields, term):
        """Any of `fields`, in any of the languages searched, contains `term`."""
        found = Q()
        for name in fields:
            for language in languages:
                found |= Q(**{f"{localized(name, language)}__icontains": term})
        return found

    for term in terms:
        hits(countries.filter(name__icontains=term), WEIGHTS["name"])
        hits(countries.filter(contains(["summary"], term)), WEIGHTS["summary"])
        hits(countries.filter(contains(PROSE_FIELDS, term)), WEIGHTS["prose"])
        for model, lookup in (
            (ConstitutionalArticle, contains(["clauses"], term)),
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
