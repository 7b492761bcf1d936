"""Shared fixtures: clean caches and folders, the Kazakhstan entry, and signed-in editors.

Factories are in factories.py and helpers in helpers.py, beside this file.
"""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command

from countries.models import Country

from .helpers import EDITOR_PASSWORD


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
    return (Path(__file__).parent / "data" / "kazakhstan_seed.txt").read_text(encoding="utf-8")


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
