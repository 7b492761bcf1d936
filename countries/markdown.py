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

import nh3
from django.core.cache import caches
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from markdown_it import MarkdownIt
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

# Bump when the parser or the allow-list changes, so cached HTML is rendered anew.
RENDERER_VERSION = "1"

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
_GENERATED_ID = re.compile(rf"^(fn(ref)?(-[a-z0-9_]+-)?\d+(:\d+)?|{HEADING_ID_PREFIX}[a-z0-9-]+)$")


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
    return HEADING_ID_PREFIX + (slugify(title) or "section")


def _build_parser():
    parser = (
        MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
    )
    parser.core.ruler.after("block", "shift_headings", _shift_headings)
    return parser.use(anchors_plugin, min_level=3, max_level=6, slug_func=_heading_slug)


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


def cache_key(kind, text, document_id):
    digest = hashlib.sha256(text.encode()).hexdigest()
    return f"markdown:{RENDERER_VERSION}:{kind}:{document_id}:{digest}"


def _cached(kind, text, document_id, render):
    key = cache_key(kind, text, document_id)
    rendered = caches["markdown"].get(key)
    if rendered is None:
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
        "html", text, document_id, lambda: sanitise_html(_parser.render(text, _env(document_id)))
    )
    return mark_safe(rendered)  # noqa: S308 - sanitised by nh3


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

    items = _cached("split", text, document_id, render)
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
        "text", text, "", lambda: html.unescape(strip_tags(render_markdown(text))).strip()
    )
