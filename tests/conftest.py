"""Shared fixtures: small factories, the Kazakhstan entry, and signed-in editors."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from countries.models import BlockedSite, ConstitutionalArticle, Country, Isp, Metric, Source

DATA_DIR = Path(__file__).parent / "data"
EDITOR_PASSWORD = "a-long-test-password-for-editors"


# Factories: the least data that makes a valid row; tests pass what they care about.


def make_source(**fields):
    fields.setdefault("name", "ITU")
    return Source.objects.create(**fields)


def make_country(**fields):
    name = fields.setdefault("name", "Testland")
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    fields.setdefault("iso_code", "KZ")
    fields.setdefault("region", "143")
    fields.setdefault("summary", f"{name} has a summary.")
    fields.setdefault("is_published", True)
    return Country.objects.create(**fields)


def make_article(country, **fields):
    fields.setdefault("number", "20")
    fields.setdefault("topic", "speech")
    fields.setdefault("clauses", ["The first clause.", "The second clause."])
    return ConstitutionalArticle.objects.create(country=country, **fields)


def make_site(country, **fields):
    fields.setdefault("name", "Example")
    fields.setdefault("action", "blocked")
    return BlockedSite.objects.create(country=country, **fields)


def make_metric(country, **fields):
    fields.setdefault("kind", "internet_penetration")
    fields.setdefault("value", 50)
    fields.setdefault("year", 2013)
    return Metric.objects.create(country=country, **fields)


def make_isp(country, **fields):
    fields.setdefault("name", "Example Telecom")
    return Isp.objects.create(country=country, **fields)


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Each test starts with empty caches, in memory, so query counts are the views' own.

    (The shared database cache of production is exercised by test_cache_processes.py.)
    """
    from django.core.cache import caches

    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
    }
    for alias in settings.CACHES:
        caches[alias].clear()


@pytest.fixture(autouse=True)
def downloads_root(settings, tmp_path):
    """Each test builds the public downloads afresh, in its own folder."""
    settings.DOWNLOADS_ROOT = tmp_path / "downloads"
    return settings.DOWNLOADS_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Production hashing is slow on purpose; tests sign in often and test nothing of it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def kazakhstan(db):
    """The real entry, loaded from the project's own fixtures as `make run` loads it."""
    call_command("load_initial_data", verbosity=0)
    return Country.objects.get(slug="kazakhstan")


@pytest.fixture
def seed_text():
    """The source text the Kazakhstan fixture reproduces, kept with the tests."""
    return (DATA_DIR / "kazakhstan_seed.txt").read_text(encoding="utf-8")


@pytest.fixture
def editor(django_user_model):
    """A staff member who can edit entries but is not a superuser."""
    user = django_user_model.objects.create_user(
        username="editor", password=EDITOR_PASSWORD, is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label="countries").exclude(
            codename__startswith="delete_country"
        )
    )
    return user


@pytest.fixture
def group_editor(django_user_model):
    """A volunteer in the "Editors" group that the migrations create, and nothing more."""
    from django.contrib.auth.models import Group

    user = django_user_model.objects.create_user(
        username="volunteer", password=EDITOR_PASSWORD, is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client
