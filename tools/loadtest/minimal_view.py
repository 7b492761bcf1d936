"""Only with NETFREE_BENCH=1, for `make bench`: the best any Django page can do.

It returns the bytes of a file (the bench saves a copy of the country page there) with no
database, template or middleware work of its own, so the bench can compare real pages with it.
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
