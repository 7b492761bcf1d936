"""The editor's guide (linked from every admin page): what Markdown does here, shown by the
renderer the pages use."""

from django.contrib.admin.views.decorators import staff_member_required
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from ..markdown import render_markdown
from ..models import MARKDOWN_MAX_LENGTH
from .uploads import MAX_UPLOAD_BYTES


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
