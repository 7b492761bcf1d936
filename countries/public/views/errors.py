"""The error pages that must tell a database outage apart: 503 then, not 500 or 400."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponseServerError
from django.template import loader
from django.views import defaults
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    """handler500. Django calls it while handling the exception, so sys.exc_info() names it.

    A database that cannot be reached (a restart, a failover) is a temporary outage, not a bug:
    readers get "503 Service Unavailable" with Retry-After, and clients and CDNs retry later.
    Neither page touches the database.
    """
    if caused_by_the_database(sys.exc_info()[1]):
        return database_unavailable()
    return HttpResponseServerError(loader.get_template("500.html").render())


@requires_csrf_token
def bad_request(request, exception):
    """handler400. A session that could not be saved because the database went away mid-request
    reaches Django as SessionInterrupted, a "bad request": it is the outage, and says so."""
    if caused_by_the_database(exception):
        return database_unavailable()
    return defaults.bad_request(request, exception)


def caused_by_the_database(error):
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def database_unavailable():
    response = HttpResponseServerError(loader.get_template("503.html").render())
    response.status_code = 503
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
