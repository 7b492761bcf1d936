"""The server error page, and the 503 page shown instead while the database is unreachable."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    """handler500. Django calls it while handling the exception, so sys.exc_info() names it.

    A database that cannot be reached (a restart, a failover) is a temporary outage, not a bug:
    readers get "503 Service Unavailable" with Retry-After, and clients and CDNs retry later.
    Neither page touches the database.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponseServerError(loader.get_template("503.html").render())
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
