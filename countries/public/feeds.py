"""Follow changes: every public change across entries, and one entry's public changes.

Each item is one change readers could see (countries.models.EntryRevision), so an entry
updated again is a new item with an id of its own, and feed readers show it as new. Ids and
links are absolute, as Atom requires. Descriptions are plain text, escaped, because both
Atom's `summary type="html"` and RSS's `description` are read as HTML by feed readers.
"""

from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from ..models import Country, EntryRevision

FEED_LENGTH = 30


@dataclass
class FeedItem:
    change: EntryRevision
    country: Country
    site: str  # scheme and host, e.g. https://netfree.example.org

    def url(self):
        return f"{self.site}{self.country.get_absolute_url()}"


def site_of(request):
    return f"{request.scheme}://{request.get_host()}"


class ChangesFeedMixin:
    def item_title(self, item):
        return item.country.name

    def item_description(self, item):
        return escape(item.change.description())

    def item_link(self, item):
        return f"{item.url()}#changes"

    def item_guid(self, item):
        return f"{item.url()}#change-{item.change.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.change.date

    def item_updateddate(self, item):
        return item.change.date


class UpdatedEntriesFeed(ChangesFeedMixin, Feed):
    """What changed in published entries, newest first."""

    title = _("netfree: recently updated entries")
    description = _("Country entries on internet freedom, newest changes first.")

    def get_object(self, request):
        return site_of(request)

    def link(self):
        return reverse("countries:list")

    def items(self, site):
        changes = (
            EntryRevision.objects.public()
            .filter(country__is_published=True)
            .select_related("country")[:FEED_LENGTH]
        )
        return [FeedItem(change, change.country, site) for change in changes]


class UpdatedEntriesAtomFeed(UpdatedEntriesFeed):
    feed_type = Atom1Feed
    subtitle = UpdatedEntriesFeed.description


class EntryChangesFeed(ChangesFeedMixin, Feed):
    """One entry's public list of changes: when, and what, never who."""

    feed_type = Atom1Feed

    def get_object(self, request, slug):
        country = get_object_or_404(Country.objects.published(), slug=slug)
        return FeedItem(None, country, site_of(request))

    def title(self, entry):
        return _("netfree: changes to %(country)s") % {"country": entry.country.name}

    def link(self, entry):
        return entry.country.get_absolute_url()

    def subtitle(self, entry):
        return entry.country.summary_line()

    def items(self, entry):
        return [
            FeedItem(change, entry.country, entry.site)
            for change in entry.country.public_changes(FEED_LENGTH)
        ]

    def item_title(self, item):
        return item.change.description()
