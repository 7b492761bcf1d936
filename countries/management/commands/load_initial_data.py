from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from countries.cache import changes_batched
from countries.history import record_revisions
from countries.models import BlockedSite, ConstitutionalArticle, Country, Isp, Metric, Source

CONTENT_MODELS = (Country, Source, ConstitutionalArticle, BlockedSite, Metric, Isp)


class Command(BaseCommand):
    help = (
        "Load every fixture in fixtures/ into a database that holds no content yet. "
        "Does nothing where content exists, so an editor's work is never overwritten."
    )

    def handle(self, *args, **options):
        if any(model.objects.exists() for model in CONTENT_MODELS):
            self.stdout.write("The database already has content; fixtures not loaded.")
            return
        fixtures = sorted(
            path for folder in settings.FIXTURE_DIRS for path in folder.glob("*.json")
        )
        if not fixtures:
            self.stdout.write("No fixtures found.")
            return
        with transaction.atomic(), changes_batched():
            # One loaddata call, in one transaction: a bad file loads nothing.
            call_command("loaddata", *map(str, fixtures), verbosity=options["verbosity"])
            record_revisions(Country.objects.iterator(chunk_size=100), "Loaded from fixtures.")
