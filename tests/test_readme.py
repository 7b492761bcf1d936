"""The README's maintainer commands work as written, in a shell with nothing set up by hand.

A copy of the project (sharing the installed virtualenv) gets the embedded database that
`make run` sets up, then each command of the README's fixtures block runs in a shell whose
environment holds none of the DJANGO_* variables the test suite itself runs with.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.once  # its own SQLite database, whatever the tier's

ROOT = Path(__file__).resolve().parent.parent
COPIED = ["Makefile", "manage.py", "requirements.txt", "requirements-dev.txt", "README.md"]
COPIED_FOLDERS = ["netfree", "countries", "templates", "fixtures"]


def readme_block(heading):
    """The first ```sh block after `heading` in the README, one command per line."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index(heading) :]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    copy = tmp_path_factory.mktemp("project")
    for name in COPIED:
        shutil.copy2(ROOT / name, copy / name)  # keeps times: make sees the venv as current
    for name in COPIED_FOLDERS:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / ".venv").symlink_to(ROOT / ".venv")
    return copy


def maintainer_shell(project, command):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "REDIS_")) and key != "PYTEST_CURRENT_TEST"
    }
    return subprocess.run(
        ["bash", "-c", command],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_fixture_commands_run_as_written(project, tmp_path):
    setup = maintainer_shell(
        project,
        "DJANGO_DEBUG=1 .venv/bin/python manage.py migrate --noinput -v0 && "
        "DJANGO_DEBUG=1 .venv/bin/python manage.py load_initial_data -v0",
    )
    assert setup.returncode == 0, setup.stderr
    commands = readme_block("## Fixtures: export, review, import")
    assert len(commands) >= 5
    for command in commands:
        command = command.replace("/tmp/out", str(tmp_path / "out"))
        result = maintainer_shell(project, command)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr, command
    assert (tmp_path / "out" / "kazakhstan.json").exists()
    # The exported files are the committed ones: the database holds what was loaded.
    for name in ("kazakhstan.json", "sources.json"):
        exported = (project / "fixtures" / name).read_bytes()
        assert exported == (ROOT / "fixtures" / name).read_bytes(), name
