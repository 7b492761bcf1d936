"""The public downloads (/data/), built once per content version and then served as files.

Building the whole dataset costs seconds of database and CPU time at full size; were it built
per request, any anonymous client could keep the server busy by asking again and again. So each
file is built at most once per content version (countries.cache), by one process at a time (a
file lock: a burst of requests waits for the one build), kept in DOWNLOADS_ROOT, and served from
there with its ETag until the content changes. Older builds are deleted when a new one lands.

Each file says which licences apply to it: the site's own, and those of the sources its rows cite
(a test list's sites stay under the list's licence). Only public rows of published entries count:
a draft's or a candidate's source is not part of any download.
"""

import fcntl
import io
import os
import zipfile
from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from pathlib import Path

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from ..cache import content_version
from ..choices import Licence
from ..models import BlockedSite, ConstitutionalArticle, Metric, Source
from .export import CSV_TABLE_NAMES, DATA_LICENCE, fixtures_zip

LICENCES_FILE = "LICENCES.txt"
SOURCED_ROWS = (ConstitutionalArticle, BlockedSite, Metric)
# The rows whose sources each file holds; the other files hold only netfree's own text (the
# sources table names the sources, it holds none of their data).
FILE_ROWS = {
    "netfree.json": SOURCED_ROWS,
    "netfree-fixtures.zip": SOURCED_ROWS,
    "netfree-constitutional-clauses.csv": (ConstitutionalArticle,),
    "netfree-blocked-sites.csv": (BlockedSite,),
    "netfree-metrics.csv": (Metric,),
}


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


# Licences ----------------------------------------------------------------------------------------


@dataclass
class AppliedLicence:
    """A licence some of a file's content is under, and the sources to credit under it."""

    name: str
    url: str
    code: str = ""
    own: bool = False  # the site's own licence
    sources: list = field(default_factory=list)

    @classmethod
    def of(cls, source):
        """The licence `source` publishes under, or None where it says none."""
        if not source.licence:
            return None
        licence = Licence(source.licence)
        return cls(name=str(licence.label), url=licence.url, code=licence.value)

    @property
    def short_name(self):
        """As Creative Commons writes it (CC BY-NC-SA 4.0): the code, less its hyphens."""
        if not self.code:
            return self.name
        rest, version = self.code.rsplit("-", 1)
        return f"{rest.replace('CC-', 'CC ', 1)} {version}"


@dataclass
class DownloadLicences:
    """The licences of each download (/data/): the whole-dataset files, and each CSV table."""

    json: list
    fixtures: list
    csv: dict  # table → licences

    @property
    def credits(self):
        """The whole dataset's licences that some source's rows are under, with those sources."""
        return [licence for licence in self.json if licence.sources]


def applied_licences(sources):
    """The site's own licence, then each other licence `sources` bring, with their sources."""
    url = DATA_LICENCE["url"]
    code = next((licence.value for licence in Licence if licence.url == url), "")
    by_url = {url: AppliedLicence(name=DATA_LICENCE["name"], url=url, code=code, own=True)}
    for source in sources:
        licence = AppliedLicence.of(source)
        if licence is not None:
            by_url.setdefault(licence.url, licence).sources.append(source)
    return list(by_url.values())


def download_licences():
    """Each download's licences, in one query: the sources that public rows of published
    entries cite, each flagged with the kinds of row that cite it."""
    flags = {model: f"cited_by_{model._meta.model_name}" for model in SOURCED_ROWS}
    cited = list(
        Source.objects.annotate(
            **{
                flag: Exists(model.objects.published().filter(source=OuterRef("pk")))
                for model, flag in flags.items()
            }
        ).filter(reduce(or_, (Q(**{flag: True}) for flag in flags.values())))
    )

    def licences(name):
        models = FILE_ROWS.get(name, ())
        return applied_licences(
            [source for source in cited if any(getattr(source, flags[m]) for m in models)]
        )

    return DownloadLicences(
        json=licences("netfree.json"),
        fixtures=licences("netfree-fixtures.zip"),
        csv={table: licences(f"netfree-{table}.csv") for table in CSV_TABLE_NAMES},
    )


def licences_text(licences):
    """The plain-text LICENCES file: each licence that applies and whom to credit under it."""
    own = next(licence for licence in licences if licence.own)
    lines = [
        "netfree: country entries on internet freedom. Licences and credits.",
        "",
        f"The data is netfree's, published under {own.name}:",
        own.url,
    ]
    if any(licence.sources for licence in licences):
        lines += [
            "",
            "Rows that cite a source below come from it and stay under its licence: keep its",
            "terms when you re-use them, and credit it as it asks.",
        ]
    for licence in licences:
        if not licence.sources:
            continue
        lines += ["", licence.name, licence.url]
        for source in licence.sources:
            credit = f"- {source.name}"
            if source.url:
                credit += f" <{source.url}>"
            if source.attribution:
                credit += f": {source.attribution}"
            lines.append(credit)
    return "\n".join(lines) + "\n"


def public_fixtures_zip():
    """The published fixtures, with the LICENCES file beside them."""
    buffer = io.BytesIO(fixtures_zip(published_only=True))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(LICENCES_FILE, licences_text(download_licences().fixtures))
    return buffer.getvalue()
