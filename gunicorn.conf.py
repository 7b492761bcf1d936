"""The production profile: `gunicorn -c gunicorn.conf.py netfree.wsgi` (see README, "Production").

Every value can be overridden from the environment, so one file serves a laptop and a fleet.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: pages are short CPU-bound renders or cache hits; two per core plus one keeps
# a core busy while another worker waits on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# Load the app once, before forking: faster start, shared memory pages.
preload_app = True
# Recycle workers now and then, jittered so they do not all restart at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# Which peers may tell gunicorn the client's scheme (X-Forwarded-Proto): the proxy in front,
# and only with DJANGO_BEHIND_PROXY=1. Otherwise nobody: a client on the same machine could
# make pages say https:// (README, "Threat model").
behind_proxy = os.environ.get("DJANGO_BEHIND_PROXY", "").strip().lower() in {
    "1",
    "true",
    "yes",
    "on",
}
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1") if behind_proxy else ""
# The site is served at the root: SCRIPT_NAME and PATH_INFO never come from a header, even a
# trusted peer's (gunicorn's default takes them from one, and pages would link to its prefix).
forwarder_headers = ""
