from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from countries.opendata.testlists import UnknownCountry, export_test_list


class Command(BaseCommand):
    help = (
        "Write one country's confirmed sites (and with --include-candidates its candidates) "
        "as a Citizen Lab test list, in the list's own format, sorted by URL. Sites left out "
        "(no URL, dismissed, gone) are named on stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--country", required=True, metavar="ISO", help="The country's ISO code, e.g. KZ."
        )
        parser.add_argument(
            "--include-candidates",
            action="store_true",
            help="Also write the candidates nobody has triaged yet (never dismissed sites).",
        )
        parser.add_argument(
            "--output", type=Path, metavar="PATH", help="Write to this file (default: stdout)."
        )

    def handle(self, *args, country, include_candidates, output, **options):
        try:
            export = export_test_list(country, include_candidates=include_candidates)
        except UnknownCountry as error:
            raise CommandError(str(error)) from None
        if output is None:
            self.stdout.write(export.text, ending="")
        else:
            output.write_text(export.text, encoding="utf-8", newline="")
        if options["verbosity"] > 0:
            for line in export.skipped:
                self.stderr.write(line)
            where = output or "stdout"
            rows = "1 row" if export.rows == 1 else f"{export.rows} rows"
            self.stderr.write(f"{rows} written to {where}.")
