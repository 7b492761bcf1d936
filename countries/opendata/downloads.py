"""The public downloads (/data/), built once per content version and then served as files.

Building the whole dataset costs seconds of database and CPU time at full size; were it built
per request, any anonymous client could keep the server busy by asking again and again. So each
file is built at most once per content version (countries.cache), by one process at a time (a
file lock: a burst of requests waits for the one build), kept in DOWNLOADS_ROOT, and served from
there with its ETag until the content changes. Older builds are deleted when a new one lands.
"""

import fcntl
import os
from pathlib import Path

from django.conf import settings

from ..cache import content_version


def prepared_download(name, build):
    """The path of download `name` for the current content; `build()` gives its text or bytes,
    whole or in chunks, and runs only when this version has not been built yet."""
    folder = Path(settings.DOWNLOADS_ROOT)
    folder.mkdir(parents=True, exist_ok=True)
    version = content_version()
    path = folder / f"{version}-{name}"
    if path.exists():
        return version, path
    with open(folder / f".{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not path.exists():  # another process may have built it while we waited
            _write(path, build())
            for older in folder.glob(f"*-{name}"):
                if older != path:
                    older.unlink(missing_ok=True)
    return version, path


def _write(path, content):
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    chunks = [content] if isinstance(content, str | bytes) else content
    try:
        with open(partial, "wb") as out:
            for chunk in chunks:
                out.write(chunk.encode() if isinstance(chunk, str) else chunk)
    except BaseException:
        partial.unlink(missing_ok=True)  # a failed build leaves nothing behind
        raise
    os.replace(partial, path)  # atomic: a reader never sees half a file
