"""An entry's rows on its change page: one inline per kind of row (models.INLINE_ROW_RELATIONS);
blocked sites, which an entry may have thousands of, have a list of their own (sites.py)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationStackedInline

from ..models import ConstitutionalArticle, Isp, Metric
from .common import MarkdownAdminMixin, SourceLabelsMixin


class ArticleInline(SourceLabelsMixin, MarkdownAdminMixin, TranslationStackedInline):
    model = ConstitutionalArticle
    extra = 0
    fields = [("number", "topic", "order"), "clauses", ("source", "translation_note"), "notes"]
    autocomplete_fields = ["source"]


class MetricInline(SourceLabelsMixin, MarkdownAdminMixin, TranslationStackedInline):
    model = Metric
    extra = 0
    fields = [("kind", "value", "year"), "source", "notes"]
    autocomplete_fields = ["source"]


class IspFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        isp_count = getattr(self.instance, "isp_count", None)
        named = sum(
            1
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        )
        if isp_count is not None and named > isp_count:
            raise ValidationError(
                _("%(named)s ISPs are named but the number of ISPs is %(count)s."),
                code="isp_count_too_small",
                params={"named": named, "count": isp_count},
            )


class IspInline(admin.TabularInline):
    model = Isp

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("country")

    formset = IspFormSet
    extra = 0
    fields = ["name", "state_owned"]
