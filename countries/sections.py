"""The sections of a country entry, in the order of the original Free Internet Project pages.

Each section is an editor's Markdown field plus, where the entry has structured facts for it,
a template include that shows them (the blocked sites under "Website blocking", and so on).
Quoted constitutional articles go where the editor writes `[[Article 20]]` on a line of its own,
or else at the end of the section their topic belongs to.
"""

import re
from dataclasses import dataclass, field

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .choices import Topic
from .markdown import DIRECTIVE, markdown_to_text, render_markdown_with_directives


@dataclass(frozen=True)
class SectionSpec:
    field: str
    title: str
    include: str = ""


SECTIONS = (
    SectionSpec("summary", _("Summary")),
    SectionSpec("censorship", _("Censorship and restrictions on speech")),
    SectionSpec("website_blocking", _("Website blocking"), "includes/blocked_sites.html"),
    SectionSpec("privacy", _("Privacy")),
    SectionSpec("internet_access", _("Internet access"), "includes/metrics.html"),
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


@dataclass
class Section:
    key: str
    title: str
    include: str
    blocks: list = field(default_factory=list)

    @property
    def anchor(self):
        return self.key.replace("_", "-")


def build_sections(country):
    """The page's sections for `country`, whose articles should be prefetched."""
    articles = {article.number: article for article in country.articles.all()}
    placed = set()
    sections = []
    for spec in SECTIONS:
        section = Section(spec.field, spec.title, spec.include)
        for name, value in render_markdown_with_directives(
            getattr(country, spec.field), spec.field
        ):
            if name == "html":
                section.blocks.append(Block(html=value))
            elif name == "article" and value in articles and value not in placed:
                placed.add(value)
                section.blocks.append(Block(article=articles[value]))
        sections.append(section)

    by_key = {section.key: section for section in sections}
    for number, article in articles.items():
        if number not in placed:
            by_key[TOPIC_SECTIONS[article.topic]].blocks.append(Block(article=article))
    return sections


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def first_sentence(markdown_text, max_chars=240):
    lines = [line for line in markdown_text.splitlines() if not DIRECTIVE.match(line.strip())]
    sentence = _SENTENCE_END.split(markdown_to_text("\n".join(lines)), maxsplit=1)[0]
    return Truncator(" ".join(sentence.split())).chars(max_chars)
