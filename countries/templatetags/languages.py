from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag(takes_context=True)
def page_languages(context):
    """This page in each reader's language: (code, name, path, is current).

    Without the query string, as the canonical link: a query is the reader's own view of the
    page (a sort, a filter, or junk a link added), not the page.
    """
    path, current = context["request"].path, get_language()
    return [
        (code, name, translate_url(path, code), code == current)
        for code, name in settings.LANGUAGES
    ]
