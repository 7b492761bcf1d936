"""Project wiring: no pending migrations, URLs that reverse and resolve alike, strict settings."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import resolve, reverse


@pytest.mark.django_db
def test_no_model_change_lacks_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out)
    except SystemExit as exit:
        pytest.fail(f"Pending migrations (exit {exit.code}):\n{out.getvalue()}")


@pytest.mark.parametrize(
    "name, kwargs, path, view",
    [
        ("countries:list", {}, "/", "CountryListView"),
        ("countries:detail", {"slug": "kazakhstan"}, "/countries/kazakhstan/", "CountryDetailView"),
        ("markdownx_markdownify", {}, "/markdownx/markdownify/", "MarkdownPreviewView"),
    ],
)
def test_urls_reverse_and_resolve_alike(name, kwargs, path, view):
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).func.view_class.__name__ == view


def test_markdownx_posts_to_the_guarded_preview():
    assert settings.MARKDOWNX_URLS_PATH == reverse("markdownx_markdownify")


def run_check(*options, **env):
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check", *options],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_mode_without_a_secret_key_fails_clearly():
    result = run_check(DJANGO_ALLOWED_HOSTS="netfree.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_production_mode_without_allowed_hosts_fails_clearly():
    result = run_check(DJANGO_SECRET_KEY="k" * 60)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_production_settings_pass_the_deploy_check_without_warnings():
    result = run_check(
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY="".join(chr(33 + (i * 7) % 90) for i in range(64)),
        DJANGO_ALLOWED_HOSTS="netfree.example.org",
        DATABASE_URL="postgres://netfree@db.example.org/netfree",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_development_mode_needs_no_variables():
    result = run_check(DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr
