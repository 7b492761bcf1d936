"""The sections of a country entry, in the order of the original Free Internet Project pages.

Each section is an editor's Markdown field plus, where the entry has structured facts for it,
a template include that shows them (the blocked sites under "Website blocking", and so on).
Quoted constitutional articles go where the editor writes `[[Article 20]]` on a line of its own,
or else at the end of the section their topic belongs to.
"""

import re
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .choices import Topic
from .markdown import DIRECTIVE, markdown_to_text, render_markdown_with_directives


@dataclass(frozen=True)
class SectionSpec:
    field: str
    title: str
    include: str = ""
    # The entry's rows the include lists, as the page's prefetch leaves them (a related manager
    # or a list); with none, the include always has something to say (a status), and without
    # prose or rows the section is left out.
    rows: str = ""


SECTIONS = (
    SectionSpec("summary", _("Summary")),
    SectionSpec("censorship", _("Censorship and restrictions on speech")),
    SectionSpec(
        "website_blocking",
        _("Website blocking"),
        "includes/blocked_sites.html",
        "blocked_sites_on_page",
    ),
    SectionSpec("privacy", _("Privacy")),
    SectionSpec("internet_access", _("Internet access"), "includes/metrics.html", "metrics"),
    SectionSpec("isp_safe_harbors", _("ISP safe harbors"), "includes/isps.html"),
    SectionSpec("net_neutrality", _("Net neutrality"), "includes/net_neutrality.html"),
)

# Where a quoted article goes when the prose does not place it.
TOPIC_SECTIONS = {
    Topic.SPEECH: "censorship",
    Topic.INFORMATION: "censorship",
    Topic.PRIVACY: "privacy",
}


@dataclass
class Block:
    html: str = ""
    article: object = None
    missing_article: str = ""  # shown to editors only: a placeholder naming no quoted article
    in_english_section: bool = False  # a quote whose section already says it is in English


@dataclass
class Section:
    key: str
    title: str
    include: str
    blocks: list = field(default_factory=list)
    has_rows: bool = True
    # The language of the prose; where it is not the reader's, the English is shown, marked.
    language: str = ""
    falls_back: bool = False

    @property
    def anchor(self):
        return self.key.replace("_", "-")

    @property
    def is_empty(self):
        """Nothing to show: no prose, no quoted article, no rows for the include to list."""
        return not self.blocks and (not self.include or not self.has_rows)


def prose_blocks(text, document_id, articles, placed, *, show_missing=False):
    """The blocks of one Markdown text, quoted articles where it places them.

    `articles` maps article numbers to articles; `placed` collects the numbers placed, so each
    article is quoted once. With `show_missing`, a placeholder naming no article (or one
    already placed) becomes a note for the editor; readers never see placeholders.
    """
    blocks = []
    for name, value in render_markdown_with_directives(text, document_id):
        if name == "html":
            blocks.append(Block(html=value))
        elif name == "article" and value in articles and value not in placed:
            placed.add(value)
            blocks.append(Block(article=articles[value]))
        elif show_missing:
            blocks.append(Block(missing_article=value))
    return blocks


def build_sections(country):
    """The page's sections for `country`, whose rows should be prefetched."""
    articles = {article.number: article for article in country.articles.all()}
    placed = set()
    sections = []
    for spec in SECTIONS:
        section = Section(spec.field, spec.title, spec.include)
        section.blocks = prose_blocks(getattr(country, spec.field), spec.field, articles, placed)
        section.language = country.language_of(spec.field)
        section.falls_back = country.falls_back(spec.field) and any(
            block.html for block in section.blocks
        )
        if spec.rows:
            rows = getattr(country, spec.rows)
            section.has_rows = bool(rows if isinstance(rows, list) else rows.all())
        sections.append(section)

    by_key = {section.key: section for section in sections}
    for number, article in articles.items():
        if number not in placed:
            by_key[TOPIC_SECTIONS[article.topic]].blocks.append(Block(article=article))
    for section in sections:
        for block in section.blocks:
            block.in_english_section = section.falls_back
    return sections


def render_entry(country, request, **context):
    """The body of an entry's page (templates/includes/entry.html); rows must be loaded.

    The public page, the editors' previews and nothing else render an entry: all through here.
    """
    context.update(country=country, sections=country.sections())
    return render_to_string("includes/entry.html", context, request)


def render_blocks(blocks):
    """Blocks as HTML, exactly as the public page shows them."""
    return render_to_string("includes/section_blocks.html", {"blocks": blocks})


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def first_sentence(markdown_text, max_chars=240):
    lines = [line for line in markdown_text.splitlines() if not DIRECTIVE.match(line.strip())]
    sentence = _SENTENCE_END.split(markdown_to_text("\n".join(lines)), maxsplit=1)[0]
    return Truncator(" ".join(sentence.split())).chars(max_chars)
