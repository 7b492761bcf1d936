import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from countries.opendata.importing import ImportFailed, import_fixture_files


class Command(BaseCommand):
    help = (
        "Import fixture files all or nothing: every object is validated, objects are matched "
        "by natural key (added or updated), and any problem leaves the database as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument(
            "--missing",
            choices=["keep", "remove"],
            default="keep",
            help="What to do with content in the database that the files do not hold "
            "(default: keep).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Validate and report what would be added, changed and removed; write nothing.",
        )

    def handle(self, *args, files, missing, dry_run, **options):
        show_progress = sys.stderr.isatty() and options["verbosity"] > 0

        def progress(path, first_pass):
            return tqdm(
                total=path.stat().st_size,
                unit="B",
                unit_scale=True,
                desc=f"{'Checking' if first_pass else 'Loading'} {path.name}",
                leave=False,
            )

        try:
            report = import_fixture_files(
                files,
                remove_missing=missing == "remove",
                dry_run=dry_run,
                progress_factory=progress if show_progress else None,
            )
        except ImportFailed as failure:
            raise CommandError(f"Nothing was imported.\n{failure}") from None
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
