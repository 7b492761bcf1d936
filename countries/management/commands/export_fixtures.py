import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from countries.opendata.export import (
    ExportError,
    countries_for_export,
    differing_files,
    fixture_files,
    write_fixture_files,
)


class Command(BaseCommand):
    help = (
        "Write the site's content to fixtures/: sources.json and one file per country, "
        "deterministic and with natural keys only. --check compares instead of writing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.FIXTURE_DIRS[0]),
            help="Folder to write to (default: fixtures/).",
        )
        parser.add_argument(
            "--country",
            action="append",
            dest="countries",
            metavar="SLUG",
            help="Export only this country (repeatable); sources.json is always written.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit 1 naming the files that no longer match the database.",
        )

    def handle(self, *args, output, countries, check, **options):
        try:
            total = countries_for_export(countries).count() + 1
            files = tqdm(
                fixture_files(countries),
                total=total,
                unit="file",
                desc="Exporting",
                disable=not sys.stderr.isatty() or options["verbosity"] == 0,
            )
            if check:
                differing = differing_files(output, files, whole_site=not countries)
                if differing:
                    raise CommandError(
                        f"{output} does not match the database: {', '.join(differing)}. "
                        "Run `make export` and review the diff."
                    )
                self.stdout.write(f"{output} matches the database ({total} files).")
                return
            written, unchanged, removed = write_fixture_files(output, files, prune=not countries)
        except ExportError as error:
            raise CommandError(str(error)) from None
        if len(written) <= 20 or options["verbosity"] >= 2:
            for name in written:
                self.stdout.write(f"wrote {output / name}")
        for name in removed:
            self.stdout.write(f"removed {output / name} (no longer in the database)")
        self.stdout.write(
            f"{len(written)} written, {len(unchanged)} unchanged, {len(removed)} removed."
        )
