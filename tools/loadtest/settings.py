"""The bench's server: the shipped settings, and the minimal view routed (tools/loadtest/urls.py).

Only `make bench` uses it (DJANGO_SETTINGS_MODULE=tools.loadtest.settings for its gunicorn and
its Django-side steps); the shipped project never names it.
"""

from netfree.settings import *  # noqa: F403 - everything as shipped, but for the URLs

ROOT_URLCONF = "tools.loadtest.urls"
