"""The one Markdown renderer: public pages and the editor's preview both call `render_markdown`.

Two layers, because editors' accounts can be stolen:
1. markdown-it-py with raw HTML disabled parses in time linear in the input (Python-Markdown
   does not: some inputs take quadratic time or overflow the stack);
2. nh3 (a maintained allow-list sanitiser) keeps only the tags, attributes, classes and URL
   schemes this content needs, whatever the parser produced.
Rendered HTML is cached under a hash of the source, so a changed text is a new key: nothing
needs invalidating, and the same text is parsed once per cache lifetime.
"""

import hashlib
import html
import re
import string
from contextlib import contextmanager
from contextvars import ContextVar

import nh3
from django.core.cache import caches
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.footnote import footnote_plugin

# Bump when the parser or the allow-list changes, so cached HTML is rendered anew.
RENDERER_VERSION = "3"

# Editors' headings sit under the page's own <h1> (country) and <h2> (section).
HEADING_OFFSET = 2
HEADING_ID_PREFIX = "md-"

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "del", "em", "h3", "h4", "h5", "h6", "hr", "img", "li",
    "ol", "p", "pre", "s", "section", "strong", "sup", "table", "tbody", "td", "th", "thead",
    "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title"},
    "li": {"id"},
    "ol": {"start"},
    "h3": {"id"},
    "h4": {"id"},
    "h5": {"id"},
    "h6": {"id"},
}
ALLOWED_CLASSES = {
    "hr": {"footnotes-sep"},
    "section": {"footnotes"},
    "ol": {"footnotes-list"},
    "li": {"footnote-item"},
    "sup": {"footnote-ref"},
    "a": {"footnote-backref"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "noopener noreferrer nofollow"

# Ids only of the forms the parser generates, so text cannot clobber names used by scripts.
_GENERATED_ID = re.compile(rf"^(fn(ref)?(-[a-z0-9_]+-)?\d+(:\d+)?|{HEADING_ID_PREFIX}[\w-]+)$")


def _keep_generated_ids(tag, attribute, value):
    if attribute == "id" and not _GENERATED_ID.match(value):
        return None
    return value


def _shift_headings(state):
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_OFFSET, 6)
            token.tag = f"h{level}"


def _heading_slug(title):
    return slugify(title, allow_unicode=True) or "section"


def _heading_anchors(state):
    """An id for each heading, unique within the text, in time linear in the text.

    (mdit-py-plugins' anchors plugin makes duplicates unique by trying "-1", "-2", … from the
    start for each one: 10,000 headings "#" took six seconds.) Each title remembers the next
    number to try, so every candidate is tried at most once per text.
    """
    document = state.env.get("docId")  # several texts share a page: ids name their text
    prefix = f"{HEADING_ID_PREFIX}{document}-" if document else HEADING_ID_PREFIX
    next_number, taken = {}, set()
    for index, token in enumerate(state.tokens):
        if token.type != "heading_open":
            continue
        children = state.tokens[index + 1].children or ()
        base = prefix + _heading_slug(
            "".join(c.content for c in children if c.type in ("text", "code_inline"))
        )
        number = next_number.get(base, 0)
        slug = base if number == 0 else f"{base}-{number}"
        while slug in taken:  # a title such as "a-1" took the number already
            number += 1
            slug = f"{base}-{number}"
        next_number[base] = number + 1
        taken.add(slug)
        token.attrSet("id", slug)


def _build_parser():
    parser = (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
    )
    parser.core.ruler.after("block", "shift_headings", _shift_headings)
    parser.core.ruler.push("heading_anchors", _heading_anchors)
    return parser


_parser = _build_parser()
_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    allowed_classes=ALLOWED_CLASSES,
    attribute_filter=_keep_generated_ids,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitise_html(fragment: str) -> str:
    return _cleaner.clean(fragment)


# How much work a request may spend ----------------------------------------------------------------
#
# Parsing is linear in the text, but not all characters cost the same: 20,000 characters of
# prose parse in 0.06 s, 20,000 "![" in 2.6 s. `markup_cost` counts a text's characters, plus
# 30 for each character that can open markup (MARKUP_CHARACTERS) and 2 for other punctuation,
# and bounds the parser's work (tests/test_markdown_work.py measures function calls against it:
# at most 8 per unit, for every pathological input tried). Each request may parse at most
# RENDER_BUDGET units of Markdown not yet in the cache; text beyond it is shown as plain
# paragraphs, the response is not cached, and the next request, finding the first texts in the
# cache, goes further. So no editor's text, however crafted, makes a page cost more than about
# a second to render.

MARKUP_CHARACTERS = frozenset("[]!#|*_`<>&\\~^\n")
MARKUP_WEIGHT = 30
PUNCTUATION = frozenset(string.punctuation) - MARKUP_CHARACTERS
PUNCTUATION_WEIGHT = 2
RENDER_BUDGET = 400_000


def markup_cost(text):
    return (
        len(text)
        + MARKUP_WEIGHT * sum(map(text.count, MARKUP_CHARACTERS))
        + PUNCTUATION_WEIGHT * sum(map(text.count, PUNCTUATION))
    )


class RenderBudget:
    def __init__(self, units=RENDER_BUDGET):
        self.remaining = units
        self.exhausted = False  # some text was shown plain: not to be cached as the page

    def spend(self, text):
        cost = markup_cost(text)
        if cost > self.remaining:
            self.exhausted = True
            return False
        self.remaining -= cost
        return True


_budget = ContextVar("markdown_render_budget", default=None)


@contextmanager
def render_budget(units=RENDER_BUDGET):
    """Within the block, rendering shares one budget (a request, a preview)."""
    budget = RenderBudget(units)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def budget_exhausted():
    budget = _budget.get()
    return budget is not None and budget.exhausted


class RenderBudgetMiddleware:
    """One render budget per request; a response that ran out of it is marked, so that the
    page cache does not keep it (countries.cache)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with render_budget() as budget:
            response = self.get_response(request)
        if budget.exhausted:
            response.markdown_incomplete = True
        return response


def _affordable(text):
    budget = _budget.get() or RenderBudget()  # outside a request: this text on its own
    return budget.spend(text)


def plain_paragraphs(text):
    """The text escaped, in paragraphs and lines as written: what a text beyond the budget
    shows, in time linear in its length."""
    paragraphs = (p for p in re.split(r"\n\s*\n", text.strip()) if p.strip())
    return "".join(f"<p>{escape(p).replace(chr(10), '<br>')}</p>\n" for p in paragraphs)


def cache_key(kind, text, document_id):
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"markdown:{RENDERER_VERSION}:{kind}:{document_id}:{digest}"


def _cached(kind, text, document_id, render, fallback):
    """`render()`'s result from the cache, or rendered now if the budget allows, or else
    `fallback()` (never cached: a later request with budget left renders it properly)."""
    key = cache_key(kind, text, document_id)
    rendered = caches["markdown"].get(key)
    if rendered is None:
        if not _affordable(text):
            return fallback()
        rendered = render()
        caches["markdown"].set(key, rendered, timeout=None)
    return rendered


def _env(document_id):
    return {"docId": document_id} if document_id else {}


def render_markdown(text: str, document_id: str = "") -> SafeString:
    """Markdown source to safe HTML. The only place editor text becomes markup.

    `document_id` keeps footnote ids apart when several texts share one page.
    """
    if not text:
        return mark_safe("")  # noqa: S308 - empty string
    rendered = _cached(
        "html",
        text,
        document_id,
        lambda: sanitise_html(_parser.render(text, _env(document_id))),
        lambda: plain_paragraphs(text),
    )
    return mark_safe(rendered)  # noqa: S308 - sanitised by nh3, or escaped


DIRECTIVE = re.compile(r"^\[\[\s*([a-z]+)\s+([^\]\s]+)\s*\]\]$", re.IGNORECASE)


def render_markdown_with_directives(text: str, document_id: str = "") -> list:
    """Like `render_markdown`, split where a paragraph of its own reads `[[name value]]`.

    Returns a list of `("html", SafeString)` and `(name, value)` items in order, so a page can
    put structured content (a quoted article) where the editor placed it. The split is made on
    top-level tokens, so every HTML piece is balanced, and footnotes resolve across the pieces.
    """
    if not text:
        return []

    def render():
        env = _env(document_id)
        tokens = _parser.parse(text, env)
        items, pending = [], []

        def flush():
            if pending:
                html_piece = _parser.renderer.render(pending, _parser.options, env)
                items.append(("html", sanitise_html(html_piece)))
                pending.clear()

        index = 0
        while index < len(tokens):
            match = _directive_at(tokens, index)
            if match:
                flush()
                items.append((match[1].lower(), match[2]))
                index += 3
                continue
            pending.append(tokens[index])
            index += 1
        flush()
        return items

    items = _cached("split", text, document_id, render, lambda: [("html", plain_paragraphs(text))])
    return [(name, mark_safe(value) if name == "html" else value) for name, value in items]  # noqa: S308 - rendered above


def _directive_at(tokens, index):
    if index + 2 >= len(tokens):
        return None
    opening, inline, closing = tokens[index : index + 3]
    if (
        opening.type == "paragraph_open"
        and opening.level == 0
        and closing.type == "paragraph_close"
    ):
        return DIRECTIVE.match(inline.content.strip())
    return None


def markdown_to_text(text: str) -> str:
    """The plain text a reader sees, for summaries and meta descriptions."""
    if not text:
        return ""
    return _cached(
        "text",
        text,
        "",
        lambda: html.unescape(strip_tags(render_markdown(text))).strip(),
        lambda: text.strip(),
    )
