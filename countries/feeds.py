"""Follow changes: recently updated entries, and one entry's public changes."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .models import Country

FEED_LENGTH = 30


class UpdatedEntriesFeed(Feed):
    title = _("netfree: recently updated entries")
    description = _("Country entries on internet freedom, newest changes first.")

    def link(self):
        return reverse("countries:list")

    def items(self):
        return Country.objects.published().order_by("-updated_at")[:FEED_LENGTH]

    def item_title(self, country):
        return country.name

    def item_description(self, country):
        return country.summary_line()

    def item_updateddate(self, country):
        return country.updated_at

    def item_pubdate(self, country):
        return country.updated_at


class UpdatedEntriesAtomFeed(UpdatedEntriesFeed):
    feed_type = Atom1Feed
    subtitle = UpdatedEntriesFeed.description


class EntryChangesFeed(Feed):
    """One entry's public list of changes: when, and what, never who."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Country.objects.published(), slug=slug)

    def title(self, country):
        return _("netfree: changes to %(country)s") % {"country": country.name}

    def link(self, country):
        return country.get_absolute_url()

    def subtitle(self, country):
        return country.summary_line()

    def items(self, country):
        return country.public_changes()[:FEED_LENGTH]

    def item_title(self, change):
        return change.description

    def item_link(self, change):
        return f"{change.country.get_absolute_url()}#changes"

    def item_guid(self, change):
        return f"{change.country.get_absolute_url()}#change-{change.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, change):
        return change.date

    def item_updateddate(self, change):
        return change.date
