"""netfree settings: one file, every deploy-time value from the environment.

Development: DJANGO_DEBUG=1 (the Makefile's `run` target sets it) gives a working site with
no other variable. Production: DJANGO_DEBUG unset, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS
required, DATABASE_URL pointing at PostgreSQL.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_flag(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name):
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


DEBUG = env_flag("DJANGO_DEBUG")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production, "
            "or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-only-key"  # noqa: S105 - only ever used with DEBUG on

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. List the site's host names, comma-separated "
            "(e.g. netfree.example.org), or set DJANGO_DEBUG=1 for local development."
        )
    ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]

# HTTPS: on in production. DJANGO_HTTPS=0 only for plain-HTTP runs on this machine (the tests,
# the benchmark); DJANGO_BEHIND_PROXY=1 trusts X-Forwarded-Proto from the proxy that ends TLS.
HTTPS = env_flag("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Eligible for the browsers' preload list; submitting the domain there is a separate, manual step.
SECURE_HSTS_PRELOAD = HTTPS
BEHIND_PROXY = env_flag("DJANGO_BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Request limits: an entry with 500 blocked sites posts about 5,000 fields from the admin; the
# body stays small (Markdown fields are at most 20,000 characters; uploads have their own limit).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Editors are signed out after a working day without activity. The expiry slides at most every
# five minutes rather than with a write on every request (netfree/sessions.py).
SESSION_COOKIE_AGE = 8 * 3600
SESSION_REFRESH_SECONDS = 300

# The admin's address. Moving it off /admin/ keeps the login page away from scripts that try
# every site's /admin/; it is not a secret to rely on (the lockout below is the protection).
ADMIN_URL = os.environ.get("DJANGO_ADMIN_URL", "admin/").strip("/") + "/"

# Content Security Policy (django-csp): nothing runs or loads unless it comes from this site,
# an inline script would need the request's nonce, and no other site may frame a page (the
# embeddable map relaxes frame-ancestors for itself, countries/public/views/maps.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# The open-data API may be read from any origin (django-cors-headers), and only read.
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_HEADERS = ["accept", "if-none-match", "if-modified-since"]
CORS_EXPOSE_HEADERS = ["ETag"]
CORS_PREFLIGHT_MAX_AGE = 24 * 60 * 60

# Login protection (django-axes): five wrong passwords for one account from one address lock
# that pair out for a quarter of an hour. Keyed on the pair, so an attacker elsewhere cannot lock
# an editor out of her own desk, and with a cool-off rather than a lock that needs an admin.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "netfree.security.client_ip"
AXES_VERBOSE = False  # netfree.security logs logins, failures and lock-outs, once each

INSTALLED_APPS = [
    # First, so that its `loaddata` (validated, content only) is the one manage.py runs, not
    # modeltranslation's.
    "countries",
    # Before the admin, as django-modeltranslation requires: it adds the per-language columns.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "django_countries",
    "markdownx",
    "reversion",
    "reversion_compare",
    "csp",
    "axes",
    "corsheaders",
    "netfree.apps.NetfreeConfig",
]

MIDDLEWARE = [
    # First, so that it sees each response last: compresses what the page cache has not
    # (netfree/compression.py, and countries/compression.py for the cached pages).
    "netfree.compression.UncachedCompressionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outside the page cache, so cached API answers get their CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    # The two below sit outside the page cache and WhiteNoise, so that static files, cached
    # pages and error pages all get their headers (countries/cache.py keeps views' exemptions).
    "csp.middleware.CSPMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "netfree.security.NullCharacterMiddleware",
    # The page's language, from its URL only (netfree/languages.py), before anything renders.
    "netfree.languages.PathLanguageMiddleware",
    # Before sessions and authentication: a cached page for an anonymous reader costs a read
    # of the content version and of the page, and nothing else.
    "countries.cache.PublicPageCacheMiddleware",
    # Inside the page cache: what a page renders from Markdown is bounded per request.
    "countries.markdown.RenderBudgetMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "netfree.sessions.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads a body (the CSRF check does): sizes, and editors-only addresses.
    "netfree.security.RequestLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "netfree.urls"
WSGI_APPLICATION = "netfree.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several editors at once on the embedded database. WAL lets readers go on while someone
    # saves; IMMEDIATE takes the write lock when a transaction starts, so that two of them
    # wait in turn (up to `timeout` seconds) instead of one failing with "database is locked"
    # when both try to upgrade a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"], conn_max_age=60, conn_health_checks=True
    )
    DATABASE_ROUTERS = ["netfree.db_routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# "default" is shared by every process and machine (pages, the content version): the database
# unless REDIS_URL names a Redis server. "markdown" holds rendered Markdown under a hash of its
# source, which never goes stale, so each process may keep its own in memory.
REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "netfree.redis_cache.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "netfree_cache",
        # Django's default (300) is fewer than the site's pages: it would evict them constantly.
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    },
    # This process's copies of rendered pages and fragments (countries.cache): a cache hit
    # then costs one small read of the shared content version and nothing else.
    "rendered": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "rendered",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    "markdown": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 10_000},
    },
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
# The readers' languages: English, the reference, unprefixed; the others under /<code>/.
# Adding one: a line here, its catalogue in locale/ (`make messages`).
LANGUAGES = [("en", "English"), ("ru", "Русский"), ("kk", "Қазақша")]
# The interface in Russian and Kazakh (locale/: `make messages` after changing a marked string).
LOCALE_PATHS = [BASE_DIR / "locale"]
# Entry content per language (countries/translation.py): a column per language, English the
# reference every other language falls back to, section by section.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = tuple(code for code, name in LANGUAGES)
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)
# PostgreSQL's text-search configuration per content language (Kazakh has no stemmer: simple).
# Each language's search document is a generated column: adding a language adds one (migration).
SEARCH_CONFIGS = {"en": "english", "ru": "russian", "kk": "simple"}
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Files browsers ask for at the site's root (favicon.ico), served by WhiteNoise.
WHITENOISE_ROOT = BASE_DIR / "netfree" / "root"
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# The public downloads, built once per content version (countries/opendata/downloads.py).
DOWNLOADS_ROOT = Path(os.environ.get("DJANGO_DOWNLOADS_ROOT", BASE_DIR / "downloads"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # Fingerprinted, pre-compressed files in production; plain files while developing
        # so that `make run` needs no collectstatic after each CSS edit.
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Kosovo has no ISO 3166-1 code yet; XK is the user-assigned code the EU, the IMF and most
# datasets on internet freedom use for it.
COUNTRIES_OVERRIDE = {"XK": "Kosovo"}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "{asctime} {levelname} {name}: {message}", "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # Sign-ins, failed sign-ins and lock-outs (netfree/security.py): kept at INFO whatever the
    # root level, for whoever watches the logs for an attack on an editor's account.
    "loggers": {"netfree.security": {"level": "INFO"}, "axes": {"level": "WARNING"}},
}

# OONI's API, asked only by `manage.py check_ooni` (countries/opendata/ooni.py), never by a page.
OONI_API_URL = os.environ.get("OONI_API_URL", "https://api.ooni.io")
OONI_API_TIMEOUT = 20  # seconds

# Editors' workflow: when an entry or its figures are due for another look.
REVIEW_INTERVAL_DAYS = 365
METRIC_MAX_AGE_YEARS = 5

# Markdown: one renderer (parse, then sanitise) for the public pages and the editor preview.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "countries.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/markdownx/upload/"
MARKDOWNX_SERVER_CALL_LATENCY = 300
