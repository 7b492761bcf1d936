"""The site's content version (countries.cache)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentVersion(models.Model):
    """One row: the site's content version, moved by every change to content (countries.cache).

    In the database rather than in the cache, so that it moves in the same transaction as the
    change, can never be evicted, and is right even when Redis comes back from an outage
    holding old keys: a page is only ever served for the version read here.
    """

    value = models.BigIntegerField()

    class Meta:
        verbose_name = _("content version")

    def __str__(self):
        return str(self.value)
