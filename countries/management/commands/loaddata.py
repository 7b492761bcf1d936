"""Django's `loaddata`, for content only, validated, with the content version moved once.

Django's own command saves whatever a file holds, as it is: a crafted fixture could create a
superuser, overwrite a password hash or store a `javascript:` link. Here every object must be
content (countries.models.CONTENT_MODELS) and pass the model's validation, or nothing is
loaded. (`import_fixtures` does the same and more, and reports every problem at once.) Without
batching, every loaded object would move the content version.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata

from countries.cache import changes_batched
from countries.models import CONTENT_MODELS


class Command(loaddata.Command):
    help = (
        "Load content fixtures (countries, their rows, sources), each object validated; "
        "anything else in a file, or any invalid object, loads nothing."
    )

    def handle(self, *fixture_labels, **options):
        with changes_batched():
            super().handle(*fixture_labels, **options)

    def save_obj(self, obj):
        instance = obj.object
        if type(instance) not in CONTENT_MODELS:
            raise CommandError(
                f"{instance._meta.label} is not content: only countries, their rows and "
                "sources are loaded from fixtures."
            )
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            raise CommandError(f"{instance._meta.label} “{instance}”: {error}") from None
        return super().save_obj(obj)
