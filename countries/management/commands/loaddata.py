"""Django's `loaddata`, with the page cache's content version moved once, at the end.

Without this, every loaded object would move the shared version (two cache writes each):
minutes for a large fixture, instead of seconds.
"""

from django.core.management.commands import loaddata

from countries.cache import changes_batched


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with changes_batched():
            super().handle(*fixture_labels, **options)
