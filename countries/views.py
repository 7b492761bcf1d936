from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.generic import DetailView, ListView
from markdownx.views import MarkdownifyView

from .markdown import render_markdown
from .models import MARKDOWN_MAX_LENGTH, Country

EDIT_PERMISSIONS = (
    "countries.change_country",
    "countries.add_country",
    "countries.change_constitutionalarticle",
    "countries.change_blockedsite",
    "countries.change_metric",
)


class CountryListView(ListView):
    queryset = Country.objects.with_list_data()
    context_object_name = "countries"


class CountryDetailView(DetailView):
    queryset = Country.objects.with_page_data()
    context_object_name = "country"

    def get_context_data(self, **kwargs):
        return super().get_context_data(sections=self.object.sections(), **kwargs)


class MarkdownPreviewView(UserPassesTestMixin, MarkdownifyView):
    """The editor's live preview: the public renderer, for staff who can edit entries only."""

    raise_exception = True  # a 403 for the editor's background request, not a login page

    def test_func(self):
        user = self.request.user
        return user.is_active and user.is_staff and any(map(user.has_perm, EDIT_PERMISSIONS))

    def post(self, request, *args, **kwargs):
        content = request.POST.get("content", "")
        if len(content) > MARKDOWN_MAX_LENGTH:
            return HttpResponseBadRequest(
                _("The text is longer than %(limit)s characters.") % {"limit": MARKDOWN_MAX_LENGTH}
            )
        return HttpResponse(render_markdown(content))
