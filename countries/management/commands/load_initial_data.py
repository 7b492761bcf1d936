from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from countries.models import CONTENT_MODELS
from countries.opendata.importing import ImportFailed, import_fixture_files


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
        # The importer, not loaddata: every object is validated like an editor's input, only
        # content is accepted (never accounts), and one bad object loads nothing.
        try:
            report = import_fixture_files(fixtures, comment="Loaded from fixtures.")
        except ImportFailed as failure:
            raise CommandError(f"Nothing was loaded.\n{failure}") from None
        if options["verbosity"]:
            for line in report.lines():
                self.stdout.write(line)
