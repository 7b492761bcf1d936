from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ..models import Country
from .views.browse import TOPICS


class LanguagesSitemap(Sitemap):
    """Each page in every reader's language, with hreflang alternates (settings.LANGUAGES)."""

    i18n = True
    alternates = True
    x_default = True


class CountrySitemap(LanguagesSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Country.objects.published().order_by("name")

    def lastmod(self, country):
        return country.updated_at


class PageSitemap(LanguagesSitemap):
    changefreq = "weekly"
    priority = 0.5

    def items(self):
        pages = [
            "countries:list",
            "countries:index",
            "countries:blocked_sites",
            "countries:constitutions",
            "countries:data",
        ]
        return pages + [("countries:topic", slug) for slug in TOPICS]

    def location(self, item):
        if isinstance(item, tuple):
            name, topic = item
            return reverse(name, kwargs={"topic": topic})
        return reverse(item)


SITEMAPS = {"countries": CountrySitemap, "pages": PageSitemap}
