from django.contrib.admin.widgets import AutocompleteSelect
from django.db import models
from django.urls import reverse
from django.utils.http import urlencode
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from ..fields import PlainDecimalInput
from ..models import Country, Source


def add_query(url, **params):
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


class EntryMarkdownWidget(AdminMarkdownxWidget):
    """markdownx's editor, previewing through a URL that names the entry being edited."""

    def __init__(self, *args, preview_url, **kwargs):
        super().__init__(*args, **kwargs)
        self.preview_url = preview_url

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-markdownx-urls-path"] = self.preview_url
        return context


class MarkdownAdminMixin:
    """Every Markdown field gets the markdownx editor with live preview; figures show as typed.

    Inlines with this mixin also read their rows with the country and source they name (rows'
    titles and labels need them), instead of one query per row.
    """

    class Media:
        js = ["countries/admin-markdown.js"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, MarkdownxField):
            kwargs["widget"] = EntryMarkdownWidget(preview_url=self.preview_url(request))
        elif isinstance(db_field, models.DecimalField):
            kwargs["widget"] = PlainDecimalInput  # figures as typed: 54, not 54.00
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        language = getattr(db_field, "language", None)  # a translation's column (modeltranslation)
        if language and formfield:
            formfield.widget.attrs["lang"] = language
            if isinstance(formfield.widget, EntryMarkdownWidget):
                # Each language's text previews as that language's page quotes it.
                formfield.widget.preview_url = add_query(
                    formfield.widget.preview_url, lang=language
                )
        return formfield

    def preview_url(self, request):
        """The preview's address, naming the entry this page edits (if it has one yet)."""
        url = reverse("markdownx_markdownify")
        object_id = edited_object_id(request)
        if not object_id.isdigit():
            return url
        if self.model is Country or getattr(self, "parent_model", None) is Country:
            entry = object_id
        else:  # a row on its own page
            rows = self.model.objects.filter(pk=object_id)
            entry = rows.values_list("country_id", flat=True).first()
        return add_query(url, entry=entry) if entry else url

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        names = {f.name for f in queryset.model._meta.concrete_fields if f.is_relation}
        related = sorted(names & {"country", "source"})
        return queryset.select_related(*related) if related else queryset


class SourceLabels(dict):
    """Every source's label, read once for all the copies Django makes of a widget (one per
    inline row): one query per inline, whatever the number of rows."""

    def __init__(self):
        super().__init__((str(pk), name) for pk, name in Source.objects.values_list("pk", "name"))

    def __deepcopy__(self, memo):
        return self  # shared by every row's copy of the widget


class SourceAutocomplete(AutocompleteSelect):
    """The source autocomplete, its selected option labelled from `SourceLabels`.

    Django's widget asks the database for the selected object's label in every form, so an
    entry with 500 blocked sites would cost 500 queries to show its change page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.labels = SourceLabels()

    def optgroups(self, name, value, attr=None):
        default = (None, [], 0)
        selected = [str(v) for v in value if str(v) not in self.choices.field.empty_values]
        if not self.is_required:
            default[1].append(self.create_option(name, "", "", False, 0))
        for key in selected[:1]:
            label = self.labels.get(key)
            if label is not None:
                option = self.create_option(name, key, label, set(selected), len(default[1]))
                default[1].append(option)
        return [default]


class SourceLabelsMixin:
    """Source autocompletes that cost one query per inline, not one per row."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "source" and "source" in self.autocomplete_fields:
            kwargs["widget"] = SourceAutocomplete(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def edited_object_id(request):
    """The primary key in the URL of a change, preview or revert page ("" elsewhere)."""
    match = request.resolver_match
    if match.url_name.endswith("_revision"):  # django-reversion's URL: (object_id, version_id)
        return match.args[0]
    return match.kwargs.get("object_id", "")
