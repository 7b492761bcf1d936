"""The one renderer: hostile input comes out harmless, editors' Markdown comes out whole."""

import time

import pytest
from django.core.cache import caches
from django.urls import reverse

from countries.markdown import cache_key, render_markdown
from countries.models import MARKDOWN_MAX_LENGTH, Country

from .forms import read_form
from .payloads import HOSTILE_INPUTS, parse, script_capable


def test_there_are_enough_hostile_inputs():
    assert len(HOSTILE_INPUTS) >= 30


@pytest.mark.parametrize(
    "source, survivor", [c[1:] for c in HOSTILE_INPUTS], ids=[c[0] for c in HOSTILE_INPUTS]
)
def test_hostile_input_cannot_run_script(source, survivor):
    rendered = render_markdown(source)
    assert script_capable(rendered) == []
    _, text = parse(rendered)
    assert survivor in text


def test_the_checker_itself_catches_script():
    """The parser-based check above must fail on unsanitised HTML, or it proves nothing."""
    assert script_capable('<img src=x onerror="alert(1)">')
    assert script_capable('<a href=" JaVa&#x09;script:alert(1)">x</a>')
    assert script_capable("<svg><a>x</a></svg>")
    assert script_capable('<p style="color:red">x</p>')
    assert not script_capable('<a href="https://example.org/">x</a>')


def test_what_editors_need_survives():
    source = (
        "# A heading\n\n"
        "Text with **bold**, *italics*, ~~struck~~, `code` and a [link](https://example.org).\n\n"
        "A claim.[^itu]\n\n"
        "| Year | Users |\n|---|---:|\n| 2013 | 9,577,924 |\n\n"
        "> A quotation.\n\n"
        "- one\n- two\n\n"
        "![A chart](/media/uploads/chart.png) and <mailto:press@example.org>\n\n"
        "[^itu]: ITU, 2013."
    )
    rendered = render_markdown(source)
    elements, text = parse(rendered)
    tags = {tag for tag, _ in elements}
    assert {
        "h3",
        "strong",
        "em",
        "s",
        "code",
        "a",
        "table",
        "blockquote",
        "ul",
        "img",
        "sup",
    } <= tags
    attributes = {(tag, name): value for tag, attrs in elements for name, value in attrs}
    assert attributes[("h3", "id")] == "md-a-heading"  # under the page's h1 and h2, with an anchor
    assert ("img", "src") in attributes and attributes[("img", "alt")] == "A chart"
    assert 'href="mailto:press@example.org"' in rendered
    assert "ITU, 2013." in text and 'href="#fn1"' in rendered
    assert script_capable(rendered) == []


def test_links_get_rel_and_keep_only_safe_schemes():
    rendered = render_markdown("[a](https://example.org) [b](ftp://example.org/file)")
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">a</a>' in rendered
    assert "ftp:" not in rendered


def test_footnote_ids_stay_apart_between_texts_on_one_page():
    one = render_markdown("A.[^1]\n\n[^1]: One.", "censorship")
    two = render_markdown("B.[^1]\n\n[^1]: Two.", "privacy")
    ids = lambda html: {v for _, attrs in parse(html)[0] for n, v in attrs if n == "id"}  # noqa: E731
    assert ids(one) and ids(two) and not ids(one) & ids(two)


def test_rendered_html_is_cached_by_content():
    caches["markdown"].clear()
    source = "Cached *once*."
    first = render_markdown(source)
    assert caches["markdown"].get(cache_key("html", source, "")) == first
    assert render_markdown(source) == first
    changed = render_markdown("Cached *twice*.")
    assert changed != first and "twice" in changed


PATHOLOGICAL = {
    "59 KB of '<a '": "<a " * 20_000,
    "5,000 nested brackets": "[" * 5000 + "a" + "]" * 5000,
    "500-level nested list": "\n".join("  " * depth + "- x" for depth in range(500)),
    "5,000 nested quotes": ">" * 5000 + " x",
    "unclosed emphasis": "*a" * 10_000,
    "unclosed links": "[a](" * 5000,
    "a full field of brackets": ("[" * 50 + "a" + "]" * 49 + "\n") * (MARKDOWN_MAX_LENGTH // 101),
}


@pytest.mark.parametrize("source", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_input_renders_quickly(source):
    caches["markdown"].clear()
    started = time.perf_counter()
    render_markdown(source)
    # Generous for a loaded machine: Python-Markdown takes 40-60 s on the first of these.
    assert time.perf_counter() - started < 5


@pytest.mark.django_db
def test_admin_refuses_text_over_the_limit_and_saves_nothing(admin_client, kazakhstan):
    url = reverse("admin:countries_country_change", args=[kazakhstan.pk])
    data = read_form(admin_client.get(url).content.decode(), "country_form")
    data["privacy_en"] = "x" * (MARKDOWN_MAX_LENGTH + 1)
    response = admin_client.post(url, data)
    assert response.status_code == 200
    message = f"Ensure this value has at most {MARKDOWN_MAX_LENGTH} characters (it has"
    assert message in response.content.decode()
    assert Country.objects.get(pk=kazakhstan.pk).privacy == kazakhstan.privacy
