"""Public pages: the Kazakhstan entry shows every fact of its source text; the list; 404s."""

import re

import pytest
from django.urls import reverse

from .factories import ArticleFactory, CountryFactory, MetricFactory, SiteFactory
from .helpers import parsed_elements, visible_text

pytestmark = pytest.mark.django_db


def seed_statements(seed_text):
    """Every sentence and quoted clause of the seed, without its headings and link labels."""
    headings = {
        "The Free Internet Project",
        "Kazakhstan",
        "Censorship and restrictions on speech",
        "Website blocking",
        "Privacy",
        "Internet Access",
        "ISP safe harbors",
        "Net neutrality",
    }
    statements = []
    for line in seed_text.splitlines():
        line = line.strip()
        if not line or line in headings:
            continue
        line = line.replace("[English text]", "")
        line = re.sub(r"^Summary:\s*", "", line)
        line = re.sub(r"^\d+\.\s+", "", line)  # clause numbers are the page's list numbering
        # The seed runs its last two sentences together ("neutrality.On"): split on any full stop.
        for sentence in re.split(r"(?<=[.:])\s*(?=[A-Z])", line):
            if sentence.strip():
                statements.append(" ".join(sentence.split()))
    return statements


def test_every_seed_statement_is_on_the_kazakhstan_page(client, kazakhstan, seed_text):
    response = client.get(kazakhstan.get_absolute_url())
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    statements = seed_statements(seed_text)
    assert len(statements) > 20
    missing = [s for s in statements if s not in text]
    assert missing == []


def test_kazakhstan_structured_facts(client, kazakhstan):
    html = client.get(kazakhstan.get_absolute_url()).content.decode()
    text = visible_text(html)
    for fact in [
        "Internet users 9,577,924 (2013)",
        "Internet penetration 54% (2013)",
        "Net neutrality protection No",
        "ISP safe harbor No",
        "Number of ISPs 3",
        "Kaztelecom state-owned",
        "Legal protection for net neutrality No",
    ]:
        assert fact in text
    # The quoted law is a blockquote with its clauses as a numbered list.
    assert html.count("<blockquote") == 2
    for site in ["Adil Soz", "Golos Respubliki", "LiveJournal", "blogs"]:
        assert re.search(rf'<th scope="row">{site}\b', html)
    # What was done to each site is the cell beside its name ("Blocked or throttled" is also in
    # the key facts' "Blocked or throttled sites", so the page's text alone would prove nothing).
    for site in ["Adil Soz", "Golos Respubliki", "LiveJournal", "blogs"]:
        row = re.search(rf'<th scope="row">{site}\b.*?</tr>', html, re.S)[0]
        assert re.search(r"</th>\s*<td>Blocked or throttled</td>", row), row
    assert "ITU" in text
    assert "Constitution of the Republic of Kazakhstan, Article 20 [English text]" in text


def test_page_keeps_the_seed_order(client, kazakhstan):
    text = visible_text(client.get(kazakhstan.get_absolute_url()).content.decode())
    body = text[text.index("Contents") :]
    markers = [
        "Kazakhstan's government engages in website blocking",
        "Article 20 states:",
        "The freedom of speech and creative activities",
        "The government controls or has influence",
        "including the NGO Adil Soz",
        "a right to privacy in Article 18",
        "Everyone shall have the right to inviolability",
        "In practice, however, privacy is not secure",
        "According to 2013 ITU figures",
        "does not have a safe harbor for ISPs",
        "does not have legal protection for net neutrality",
    ]
    positions = [body.index(marker) for marker in markers]
    assert positions == sorted(positions)


def test_unplaced_articles_go_to_the_end_of_their_section(client):
    country = CountryFactory(privacy="Prose about privacy.")
    ArticleFactory(country=country, number="18", topic="privacy", clauses=["Privacy clause."])
    text = visible_text(client.get(country.get_absolute_url()).content.decode())
    body = text[text.index("Prose about privacy.") :]
    assert 0 < body.index("Privacy clause.") < body.index("ISP safe harbors")


def test_list_shows_key_facts_and_one_line_summary(client, kazakhstan):
    response = client.get(reverse("countries:list"))
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    row = text[text.index("Blocked sites Kazakhstan") :]
    assert row.startswith(
        "Blocked sites Kazakhstan Kazakhstan's government engages in website blocking and "
        "censorship of opposition views. Central Asia No No Quoted Quoted 54% (2013) 4"
    )
    assert "video surveillance" not in text  # only the first sentence of the summary
    assert f'href="{kazakhstan.get_absolute_url()}"' in response.content.decode()


def test_list_of_many_countries_is_sorted_by_name(client):
    CountryFactory(name="Uzbekistan", iso_code="UZ")
    CountryFactory(name="Armenia", iso_code="AM", region="145")
    text = visible_text(client.get(reverse("countries:list")).content.decode())
    assert text.index("Armenia") < text.index("Uzbekistan")


def test_unknown_slug_is_a_proper_404(client, kazakhstan):
    response = client.get(reverse("countries:detail", kwargs={"slug": "atlantis"}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'href="/"' in response.content.decode()


def test_editor_markdown_cannot_inject_script(client):
    country = CountryFactory(
        summary=(
            'Hi <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror="alert(1)">'
        ),
        website_blocking="[[Article 99]]\n\n<iframe src=//evil>",
    )
    SiteFactory(country=country, notes="<svg onload=alert(1)>")
    MetricFactory(country=country, notes="[y](vbscript:msgbox)")
    html = client.get(country.get_absolute_url()).content.decode()
    elements = parsed_elements(html)
    assert not [tag for tag, _ in elements if tag in {"script", "img", "iframe", "svg"}]
    for _, attrs in elements:
        assert not [name for name in attrs if name.startswith("on")]
        assert not [v for v in attrs.values() if v and re.match(r"\s*(java|vb)script:", v, re.I)]
    assert "<script>alert(1)</script>" in visible_text(html)  # shown as text, not run


def test_pages_work_on_a_phone_and_offline_from_other_hosts(client, kazakhstan):
    html = client.get(kazakhstan.get_absolute_url()).content.decode()
    assert 'name="viewport"' in html
    # Nothing loaded from another host: every src and stylesheet href is local.
    for url in re.findall(r'(?:src|href)="([^"]+)"', html):
        if url.startswith(("http://", "https://", "//")):
            assert 'rel="nofollow noopener"' in html  # an outbound link, not a loaded asset
    assert not re.search(r'<(?:script|img)[^>]+src="(?:https?:)?//', html)
    assert not re.search(r'<link rel="(?:stylesheet|icon|preload)"[^>]+href="(?:https?:)?//', html)
