from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget


class MarkdownAdminMixin:
    """Every Markdown field gets the markdownx editor with live preview."""

    formfield_overrides = {MarkdownxField: {"widget": AdminMarkdownxWidget}}

    class Media:
        js = ["countries/admin-markdown.js"]
