from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from countries.opendata.ooni import DEFAULT_DAYS, OoniUnavailable, check_ooni


class Command(BaseCommand):
    help = (
        "Ask OONI how often each blocked site was measured from its country, and how often "
        "blocking was seen (web_connectivity), once per country; store the counts on the sites "
        "with today's date. All or nothing: if OONI cannot be asked for every country, "
        "nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--country",
            action="extend",
            nargs="+",
            dest="countries",
            metavar="CODE",
            help="ISO 3166-1 codes of the countries to check, e.g. --country KZ UZ "
            "(default: every country with a site that has an address).",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=DEFAULT_DAYS,
            help=f"How many days before today to count (default: {DEFAULT_DAYS}).",
        )

    def handle(self, *args, countries, days, **options):
        if countries is not None:
            countries = [code for value in countries for code in value.split(",") if code.strip()]
        try:
            report = check_ooni(countries, since_days=days)
        except OoniUnavailable as error:
            raise CommandError(
                f"OONI could not be reached ({error}): nothing was changed."
            ) from None
        except (ValueError, ImproperlyConfigured) as error:
            raise CommandError(f"{error} Nothing was changed.") from None
        for line in report.lines():
            self.stdout.write(line)
