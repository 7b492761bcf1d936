"""The reader's language is the URL's: `/ru/countries/kazakhstan/` in Russian, `/kk/…` in Kazakh,
unprefixed in English (settings.LANGUAGES; i18n_patterns in urls.py).

Never from a header or a cookie: a page's language is then part of its address, so the page
cache (keyed on the path) keeps one copy per language and cannot hand one reader's language to
another. The API, outside the prefixes, is for programs: it answers in the language of `?lang=`,
else the best of `Accept-Language`, else English (api_language); the page cache keys its
answers on that language, and they say `Vary: Accept-Language`.
"""

import functools

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language_from_path
from django.utils.translation.trans_real import parse_accept_lang_header

CONTENT_LANGUAGES = [code for code, _name in settings.LANGUAGES]


@functools.cache
def api_prefix():
    return reverse("api-v1:api-root")


def api_language(request):
    """The API's answer language: `?lang=` (if one of settings.LANGUAGES: the API refuses any
    other, countries/api/http.py), else the first supported one `Accept-Language` names."""
    requested = request.GET.get("lang")
    if requested is not None:
        return requested if requested in CONTENT_LANGUAGES else settings.LANGUAGE_CODE
    for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class PathLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path_info.startswith(api_prefix())
        if is_api:
            language = api_language(request)
        else:
            language = get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        if is_api:
            patch_vary_headers(response, ["Accept-Language"])
        return response
