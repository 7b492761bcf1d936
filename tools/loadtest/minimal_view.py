"""The bench's reference (2), the best any Django page can do: routed only in the bench's server
(tools/loadtest/urls.py, under DJANGO_SETTINGS_MODULE=tools.loadtest.settings), never in the
shipped project.

It returns the bytes of a file (NETFREE_BENCH_BODY: the bench saves a copy of the country page
there) with no database, template or middleware work of its own, so the bench can compare real
pages with it.
"""

import os
from functools import lru_cache

from django.http import HttpResponse


@lru_cache(maxsize=1)
def _body():
    with open(os.environ["NETFREE_BENCH_BODY"], "rb") as body:
        return body.read()


def minimal_view(request):
    return HttpResponse(_body(), content_type="text/html; charset=utf-8")
