from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    name = "countries"
    verbose_name = _("Country entries")

    def ready(self):
        from reversion.signals import post_revision_commit

        from . import lookups, translation  # noqa: F401 -- the translated columns, first
        from .cache import content_changed
        from .history import record_entry_states
        from .models import CONTENT_MODELS, register_revisions
        from .models.translated import Translated, prepare_translations

        register_revisions()  # after the translated columns: reversion lists every field
        # Any saved or deleted content (admin, revert, import, loaddata) refreshes cached pages.
        for model in CONTENT_MODELS:
            post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-{model.__name__}")
            post_delete.connect(
                content_changed, sender=model, dispatch_uid=f"uncache-{model.__name__}"
            )
        for model in CONTENT_MODELS:
            if issubclass(model, Translated):
                pre_save.connect(
                    prepare_translations, sender=model, dispatch_uid=f"mt-{model.__name__}"
                )
        post_revision_commit.connect(record_entry_states, dispatch_uid="netfree-entry-states")
        lookups.register()
