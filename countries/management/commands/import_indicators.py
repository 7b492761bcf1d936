from django.core.management.base import BaseCommand, CommandError

from countries.opendata.indicators import IndicatorImportFailed, import_indicator_files


class Command(BaseCommand):
    help = (
        "Import the World Bank's indicator series (IT.NET.USER.ZS, IT.NET.BBND) from its CSV "
        "downloads or their zips, all or nothing: figures are added to the entries that exist, "
        "the World Bank's own earlier figures updated, and an editor's figures never overwritten."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            metavar="PATH",
            help="API_<indicator>_DS2_en_csv_v2_<n>.csv (its Metadata_Country_ file beside it "
            "is read too) or the zip the World Bank serves.",
        )
        parser.add_argument(
            "--create-drafts",
            action="store_true",
            help="Create a draft entry, with its figures, for each country without one.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the files and report what would change; write nothing.",
        )

    def handle(self, *args, paths, create_drafts, dry_run, **options):
        try:
            report = import_indicator_files(paths, create_drafts=create_drafts, dry_run=dry_run)
        except IndicatorImportFailed as failure:
            raise CommandError(f"Nothing was imported.\n{failure}") from None
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
