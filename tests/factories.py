"""Factories: the least data that makes a valid row; tests pass what they care about.

Rows are given their country (`SiteFactory(country=country, name=...)`): no factory makes a
parent row of its own.
"""

import factory
from factory.django import DjangoModelFactory

from countries.models import BlockedSite, ConstitutionalArticle, Country, Isp, Metric, Source


class SourceFactory(DjangoModelFactory):
    class Meta:
        model = Source

    name = "ITU"


class CountryFactory(DjangoModelFactory):
    class Meta:
        model = Country

    name = "Testland"
    slug = factory.LazyAttribute(lambda country: country.name.lower().replace(" ", "-"))
    iso_code = "KZ"
    region = "143"
    summary = factory.LazyAttribute(lambda country: f"{country.name} has a summary.")
    is_published = True


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = ConstitutionalArticle

    number = "20"
    topic = "speech"
    clauses = factory.List(["The first clause.", "The second clause."])  # a new list each time


class SiteFactory(DjangoModelFactory):
    class Meta:
        model = BlockedSite

    name = "Example"
    action = "blocked"


class MetricFactory(DjangoModelFactory):
    class Meta:
        model = Metric

    kind = "internet_penetration"
    value = 50
    year = 2013


class IspFactory(DjangoModelFactory):
    class Meta:
        model = Isp

    name = "Example Telecom"
