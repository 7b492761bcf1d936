"""What the Markdown editor talks to: the live preview, image uploads, and the editor's guide.

All of it is for signed-in staff who may edit entries; anyone else gets a 403 and nothing is
written (markdownx's own views answer anonymous requests).
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from .markdown import budget_exhausted, render_markdown
from .models import MARKDOWN_MAX_LENGTH, ConstitutionalArticle
from .sections import prose_blocks, render_blocks
from .uploads import MAX_UPLOAD_BYTES, ImageUploadForm

TOO_COMPLEX = gettext_lazy(
    "This text has too much markup to format, so it is shown as plain text, as readers would "
    "see it too. Simplify it: fewer brackets, asterisks, headings or table cells."
)
EDIT_PERMISSIONS = (
    "countries.add_country",
    "countries.change_country",
    "countries.change_constitutionalarticle",
    "countries.change_blockedsite",
    "countries.change_metric",
)


def can_edit_entries(user):
    return user.is_active and user.is_staff and any(map(user.has_perm, EDIT_PERMISSIONS))


class EditorRequiredMixin(UserPassesTestMixin):
    raise_exception = True  # a 403 for the editor's background request, not a login page

    def test_func(self):
        return can_edit_entries(self.request.user)


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


class ImageUploadView(EditorRequiredMixin, View):
    """Answers markdownx's upload request with the Markdown for the stored image."""

    def post(self, request):
        # A body over the limit never reaches here (netfree.security.RequestLimitsMiddleware).
        form = ImageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = form.errors.get("image") or [_("Choose an image to upload.")]
            return self.refuse(" ".join(errors))
        return JsonResponse({"image_code": f"![]({form.save()})"})

    @staticmethod
    def refuse(message):
        return JsonResponse({"error": message}, status=400)


@method_decorator(staff_member_required, name="dispatch")
class EditorGuideView(TemplateView):
    template_name = "admin/editor_guide.html"

    def get_context_data(self, **kwargs):
        examples = [
            (title, source, render_markdown(source, f"guide_{index}"))
            for index, (title, source) in enumerate(GUIDE_EXAMPLES)
        ]
        return super().get_context_data(
            examples=examples,
            max_length=MARKDOWN_MAX_LENGTH,
            max_upload=MAX_UPLOAD_BYTES,
            title=_("Editor's guide"),
            **kwargs,
        )


GUIDE_EXAMPLES = [
    (
        gettext_lazy("Paragraphs and emphasis"),
        "Leave a blank line between paragraphs.\n\n"
        "Use *italics* for titles and **bold** sparingly.",
    ),
    (
        gettext_lazy("Links"),
        "[Adil Soz](https://adilsoz.kz) links the name. "
        "Only http, https and mailto links are kept.",
    ),
    (
        gettext_lazy("Citing a source with a footnote"),
        "According to 2013 ITU figures, 54% of people were online.[^itu]\n\n"
        "[^itu]: ITU, *Individuals using the Internet*, 2013.",
    ),
    (gettext_lazy("Lists"), "- blocked\n- throttled\n\n1. first\n2. second"),
    (gettext_lazy("Headings inside a section"), "### Internet cafes\n\nText under a sub-heading."),
    (gettext_lazy("Tables"), "| Year | Users |\n|------|------:|\n| 2013 | 9,577,924 |"),
    (gettext_lazy("Quoting"), "> A quotation from a report."),
    (
        gettext_lazy("Placing a constitutional article"),
        "Article 20 states:\n\n[[Article 20]]\n\nMore prose.",
    ),
]
