"""The reader's language is the URL's: `/ru/countries/kazakhstan/` in Russian, `/kk/…` in Kazakh,
unprefixed in English (settings.LANGUAGES; i18n_patterns in urls.py).

Never from a header or a cookie: a page's language is then part of its address, so the page
cache (keyed on the path) keeps one copy per language and cannot hand one reader's language to
another, and the API and downloads, outside the language prefixes, always answer in English.
"""

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_from_path


class PathLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response
