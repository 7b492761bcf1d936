"""Editor text cannot make rendering expensive: the parser's work is bounded by `markup_cost`,
grows linearly, and each request spends at most RENDER_BUDGET of it.

Work is counted as Python function calls (cProfile's count is the same on every run, unlike a
timing on a shared machine). Before the fix 10,000 headings "#" took six seconds to render
(mdit-py-plugins' anchors made duplicate ids unique in quadratic time), so an entry saved with
that in each section timed out for every reader.
"""

import cProfile
import pstats

import pytest

from countries.management.commands.generate_sample_data import PARAGRAPH
from countries.markdown import (
    RENDER_BUDGET,
    markup_cost,
    render_budget,
    render_markdown,
    render_markdown_with_directives,
)

from .factories import CountryFactory, SiteFactory

CALLS_PER_UNIT = 8  # the most measured for any input below is 7.7 (punctuation: "++++")
# Inputs that stress a parser: each repeated to fill a field.
PATHOLOGICAL = {
    "headings": "#\n",
    "same heading": "# a\n",
    "headings named like numbered ones": "# a-1\n# a\n",
    "footnote references": "[^1]",
    "footnote definitions": "[^a]: x\n",
    "nested quotes": "> ",
    "nested lists": "- ",
    "table cells": "|a",
    "table": "|a|b|c|d|e|f|g|h|i|j|\n|-|-|-|-|-|-|-|-|-|-|\n",
    "emphasis": "*a",
    "strong": "a**",
    "unclosed links": "[a](b ",
    "backticks": "`",
    "angle brackets": "<",
    "entities": "&#",
    "brackets": "[",
    "images": "![",
    "reference definitions": "[a]: b\n",
    "setext headings": "a\n=\n",
    "mixed emphasis": "*_",
    "punctuation": "+",
    "colons": "a:",
    "parentheses": "(a)",
}
PROSE = "\n\n".join(PARAGRAPH.format(n=n, year=2000 + n) for n in range(60))


def filled(unit, length):
    return (unit * (length // len(unit) + 1))[:length]


def calls(function, *args):
    profile = cProfile.Profile()
    profile.enable()
    function(*args)
    profile.disable()
    return pstats.Stats(profile).total_calls


@pytest.fixture(autouse=True)
def no_markdown_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "markdown": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }


@pytest.mark.parametrize("name", PATHOLOGICAL)
def test_work_grows_linearly_with_the_text(name):
    small, large = filled(PATHOLOGICAL[name], 3000), filled(PATHOLOGICAL[name], 6000)
    with render_budget(10**9):  # measure the parser itself, not the budget
        ratio = calls(render_markdown, large) / calls(render_markdown, small)
    assert ratio < 2.2, f"{name}: twice the text costs {ratio:.2f} times the work"


@pytest.mark.parametrize("name", [*PATHOLOGICAL, "prose"])
def test_markup_cost_bounds_the_work_of_a_full_field(name):
    text = filled(PATHOLOGICAL.get(name, PROSE), 20_000)
    with render_budget(10**9):
        work = calls(render_markdown_with_directives, text, "x")
    assert work <= CALLS_PER_UNIT * markup_cost(text), name


def test_prose_fits_the_budget_many_times_over():
    assert markup_cost(filled(PROSE, 20_000)) * 7 < RENDER_BUDGET


@pytest.mark.django_db
def test_a_page_of_costly_text_spends_one_budget_per_request_and_fills_in(client, settings):
    """Five sections and 20 rows' notes of costly (but each affordable) Markdown: every
    request's work stays within one budget, a partial page is never cached, and later
    requests, finding earlier texts in the cache, finish it."""
    settings.CACHES = {
        **settings.CACHES,
        "markdown": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    }
    section = filled("#\n", 8_000)  # 4,000 headings; five of them exceed one budget
    fields = ["summary", "censorship", "website_blocking", "privacy", "internet_access"]
    assert markup_cost(section) < RENDER_BUDGET < len(fields) * markup_cost(section)
    country = CountryFactory(**dict.fromkeys(fields, section))
    for n in range(20):
        SiteFactory(country=country, name=f"Site {n}", notes=filled("![", 2_000 - n))

    url = country.get_absolute_url()
    works, pages = [], []
    while len(pages) < 2 or pages[-1] != pages[-2]:
        assert len(pages) < 20, "the page never finished rendering"
        profile_work = calls(client.get, url)
        works.append(profile_work)
        pages.append(client.get(url).content.decode())
    # A request's work: at most one budget's worth of parsing, plus the page around it.
    assert max(works) < CALLS_PER_UNIT * RENDER_BUDGET + 2_000_000, works
    assert len(works) >= 3  # it took several requests: the first could not do it all
    assert pages[-1].count('<h3 id="md-') == len(fields) * 4_000


@pytest.mark.django_db
def test_a_text_beyond_the_budget_alone_is_shown_plain_and_costs_nothing(client, editor_client):
    worst = filled("#\n", 20_000)  # the reported case: 10,000 headings
    assert markup_cost(worst) > RENDER_BUDGET
    country = CountryFactory(censorship="Before.\n\n" + worst[:19_000])
    work = calls(client.get, country.get_absolute_url())
    assert work < 2_000_000  # the page around it; the text is never parsed
    page = client.get(country.get_absolute_url()).content.decode()
    assert "<p>Before.</p>" in page and "#<br>#<br>#" in page
    preview = editor_client.post("/markdownx/markdownify/", {"content": worst}).content.decode()
    assert "too much markup to format" in preview
