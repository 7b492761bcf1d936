from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from countries.opendata.testlists import TestListInvalid, UnknownCountry, import_test_list


class Command(BaseCommand):
    help = (
        "Import a Citizen Lab test list (lists/<iso2>.csv) into one country, all or nothing: "
        "rows matching a site update what the list says of it, other rows become candidates "
        "for an editor to triage, sites gone from the list are marked. Any problem in the "
        "file (reported by line) leaves the database as it was."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, metavar="PATH", help="The test list, a CSV file.")
        parser.add_argument(
            "--country", required=True, metavar="ISO", help="The country's ISO code, e.g. KZ."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check and report what would be added, updated and marked gone; write nothing.",
        )

    def handle(self, *args, path, country, dry_run, **options):
        try:
            report = import_test_list(path, country, dry_run=dry_run)
        except UnknownCountry as error:
            raise CommandError(str(error)) from None
        except TestListInvalid as failure:
            raise CommandError("\n".join(["Nothing was imported.", *failure.lines()])) from None
        for line in report.lines():
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")
