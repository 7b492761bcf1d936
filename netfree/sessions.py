"""Signed-in sessions that slide without a database write on every request.

Sessions end after SESSION_COOKIE_AGE without activity. Django can only slide the expiry by
saving the session on every request (SESSION_SAVE_EVERY_REQUEST), and an editor's change page
sends a dozen preview requests at once: on the embedded SQLite database those writes queued
behind each other and behind a colleague's save. Here a session is saved again only when its
last save is older than SESSION_REFRESH_SECONDS, so the expiry still slides, to the minute.
"""

import time

from django.conf import settings

REFRESHED_KEY = "_netfree_refreshed"


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or not session.accessed or session.is_empty():
            return response
        now = int(time.time())
        if now - session.get(REFRESHED_KEY, 0) >= settings.SESSION_REFRESH_SECONDS:
            session[REFRESHED_KEY] = now  # marks the session modified: saved with a new expiry
        return response
