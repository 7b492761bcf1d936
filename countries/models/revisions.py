"""What readers saw of each revision of an entry (the public list of changes and the feeds)."""

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..fields import ReadableJSONEncoder
from .translated import column_label, split_column


class EntryRevisionQuerySet(models.QuerySet):
    def public(self):
        """States readers saw that changed something for them, newest first."""
        return self.filter(published=True).exclude(changes=[]).order_by("-date", "-pk")


class EntryRevision(models.Model):
    """One revision (django-reversion) of an entry as readers knew it.

    Recorded when the revision is saved (countries.history.record_entry_states): whether the
    entry was published then, and what changed since its previous published state, in terms
    of fields and row names that were public before or after. Kept apart from the revision's
    comment, which names whoever saved and whatever rows a draft held.
    """

    revision = models.ForeignKey(
        "reversion.Revision", on_delete=models.CASCADE, related_name="entry_states"
    )
    # No database constraint: the history outlives a deleted entry, which may be recovered.
    country = models.ForeignKey(
        "countries.Country",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="revision_states",
    )
    date = models.DateTimeField()
    published = models.BooleanField()
    changes = models.JSONField(default=list, blank=True, encoder=ReadableJSONEncoder)

    objects = EntryRevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("entry revision")
        verbose_name_plural = _("entry revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "country"], name="entry_revision_one_per_entry"
            )
        ]

    def __str__(self):
        return self.description()

    def description(self):
        """The change in a sentence or a few, for the public list and the feeds."""
        sentences = []
        for change in self.changes:
            kind = change.get("kind")
            if kind == "first_published":
                sentences.append(gettext("First published."))
            elif kind == "updated":
                sentences.append(gettext("Updated."))
            elif kind == "fields":
                labels = [_field_label(name) for name in change["fields"]]
                sentences.append(gettext("Changed: %(fields)s.") % {"fields": ", ".join(labels)})
            elif kind == "rows":
                sentences.append(_rows_sentence(change))
        return " ".join(sentences)


def _field_label(name):
    country = apps.get_model("countries", "Country")
    try:
        if column := split_column(country, name):
            field, language = column
            return str(column_label(country._meta.get_field(field), language))
        return str(country._meta.get_field(name).verbose_name).capitalize()
    except FieldDoesNotExist:
        return name


ROW_OUTCOMES = {
    "added": _("%(rows)s added: %(names)s."),
    "removed": _("%(rows)s removed: %(names)s."),
    "changed": _("%(rows)s changed: %(names)s."),
}


def _rows_sentence(change):
    try:
        model = apps.get_model("countries", change["model"])
        rows = str(model._meta.verbose_name_plural).capitalize()
    except LookupError:
        rows = change["model"]
    names = ", ".join(f"“{name}”" for name in change["names"])
    return str(ROW_OUTCOMES[change["outcome"]]) % {"rows": rows, "names": names}
