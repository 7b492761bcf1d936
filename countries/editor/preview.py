"""Previews: the live preview beside each Markdown field, and the public page as an entry's
unsaved forms would make it. Both render as the public pages do (countries.sections)."""

from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from ..markdown import budget_exhausted
from ..models import MARKDOWN_MAX_LENGTH, ConstitutionalArticle, page_data_lookups
from ..models.translated import REFERENCE_LANGUAGE, content_languages
from ..sections import prose_blocks, render_blocks, render_entry
from .access import EditorRequiredMixin

TOO_COMPLEX = gettext_lazy(
    "This text has too much markup to format, so it is shown as plain text, as readers would "
    "see it too. Simplify it: fewer brackets, asterisks, headings or table cells."
)


class MarkdownPreviewView(EditorRequiredMixin, View):
    """The editor's live preview: what readers will see, by the public pages' own renderer.

    `?entry=<pk>` (set by the admin's widgets, see admin.common) names the entry being edited,
    so that `[[Article 20]]` shows that entry's saved article as the page will quote it; a
    placeholder naming no saved article is shown as a note, so a typo is seen before saving.
    """

    def post(self, request):
        content = request.POST.get("content", "")
        if len(content) > MARKDOWN_MAX_LENGTH:
            return HttpResponse(
                _("The text is longer than %(limit)s characters.") % {"limit": MARKDOWN_MAX_LENGTH},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        articles = {article.number: article for article in self.entry_articles()}
        with translation.override(preview_language(request)):  # quotes in the text's language
            blocks = prose_blocks(content, "preview", articles, set(), show_missing=True)
            html = render_blocks(blocks)
        if budget_exhausted():
            html = format_html('<p class="quote-missing" role="note">{}</p>{}', TOO_COMPLEX, html)
        return HttpResponse(html)

    def entry_articles(self):
        entry = self.request.GET.get("entry", "")
        if not entry.isdigit() or not self.request.user.has_perm("countries.view_country"):
            return []
        return ConstitutionalArticle.objects.filter(country_id=int(entry)).select_related("source")


# The public page of unsaved changes -------------------------------------------------------------

UNSAVED_PK = -1  # an entry being added has no key yet; nothing with this one is ever saved


def render_unsaved_preview(request, form, formsets):
    """The public page as `form` and its inline `formsets` (bound and valid) would make it."""
    country = unsaved_entry(form, formsets)
    with translation.override(preview_language(request)):  # the page as its readers see it
        return TemplateResponse(
            request,
            "countries/country_detail.html",
            {
                "country": country,
                "entry": render_entry(country, request, unsaved=True),
                "preview": True,
                "unsaved": True,
            },
        ).render()


def preview_language(request):
    """`?lang=` of a preview (the editor's language tab), if a content language; else English."""
    language = request.GET.get("lang", "")
    return language if language in content_languages() else REFERENCE_LANGUAGE


def unsaved_entry(form, formsets):
    """The entry as the form would save it, with its rows, without touching the database."""
    country = form.save(commit=False)
    if country.pk is None:
        country.pk = UNSAVED_PK  # related managers refuse an instance without a key
    rows = {}
    for formset in formsets:
        kept = []
        for row_form in formset.forms:
            if not row_form.is_valid() or row_form in formset.deleted_forms:
                continue
            if not row_form.has_changed() and row_form.instance.pk is None:
                continue
            row = row_form.save(commit=False)
            row.country = country
            kept.append(row)
        relation = formset.fk.remote_field.get_accessor_name()
        rows[relation] = sorted(kept, key=_display_order(formset.model))
    country._prefetched_objects_cache = rows
    # Rows listed apart are not on the form: the page shows them as saved.
    prefetch_related_objects(
        [country], *(lookup for lookup in page_data_lookups() if lookup.prefetch_to not in rows)
    )
    return country


def _display_order(model):
    ordering = [name for name in model._meta.ordering if name.lstrip("-") != "country"]

    def key(row):
        return tuple(
            _Reversed(getattr(row, name[1:])) if name.startswith("-") else getattr(row, name)
            for name in ordering
        )

    return key


class _Reversed:
    def __init__(self, value):
        self.value = value

    def __lt__(self, other):
        return other.value < self.value

    def __eq__(self, other):
        return self.value == other.value
