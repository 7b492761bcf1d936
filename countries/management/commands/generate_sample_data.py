"""Fill the database with a large, realistic, deterministic dataset (for benchmarks and trials)."""

import random
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from countries.cache import content_changed
from countries.choices import Action, Category, MetricKind, Protection, Region, SiteStatus, Topic
from countries.models import (
    COUNTRY_CODES,
    BlockedSite,
    ConstitutionalArticle,
    Country,
    Isp,
    Metric,
    Source,
)

PARAGRAPH = (
    "The government has reportedly engaged in blocking and throttling of websites that are "
    "critical of the government, including news sites and **blogs**.[^{n}] Reports by "
    "[press freedom groups](https://example.org/report-{n}) describe harassment of journalists "
    "and a broad state secrets law.\n\n[^{n}]: Example report {n}, {year}."
)
CLAUSE = (
    "Everyone shall have the right to freely receive and disseminate information by any means "
    "not prohibited by law, clause {n}."
)
YEARS = range(1990, 2024)


class Command(BaseCommand):
    help = "Add generated countries with articles, blocked sites, metrics and ISPs."

    def add_arguments(self, parser):
        parser.add_argument("--countries", type=int, default=250)
        parser.add_argument("--sites", type=int, default=50_000)
        parser.add_argument("--metrics", type=int, default=25_000)
        parser.add_argument("--articles", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=2026)

    @transaction.atomic
    def handle(self, *args, countries, sites, metrics, articles, seed, **options):
        if countries > len(COUNTRY_CODES):
            raise CommandError(f"At most {len(COUNTRY_CODES)} countries have codes.")
        if metrics > countries * len(MetricKind) * len(YEARS):
            raise CommandError("Too many metrics for the countries, kinds and years available.")
        if Country.objects.exists():
            raise CommandError("The database already has countries; use an empty database.")
        rng = random.Random(seed)  # noqa: S311 - sample data, not secrets
        sources = Source.objects.bulk_create(
            Source(
                name=f"Sample source {n}", url=f"https://example.org/source/{n}" if n % 2 else ""
            )
            for n in range(20)
        )
        created = Country.objects.bulk_create(
            self.country(rng, n, code) for n, code in enumerate(COUNTRY_CODES[:countries])
        )
        ConstitutionalArticle.objects.bulk_create(
            ConstitutionalArticle(
                country=created[n % countries],
                number=str(n // countries + 1),
                topic=rng.choice(Topic.values),
                clauses=[CLAUSE.format(n=c) for c in range(1, rng.randint(2, 5))],
                source=rng.choice(sources),
                translation_note="English text",
                order=n // countries,
            )
            for n in range(articles)
        )
        BlockedSite.objects.bulk_create(
            (
                BlockedSite(
                    country=created[n % countries],
                    name=f"Site {n // countries} of {created[n % countries].name}",
                    url=f"site-{n}.example.org" if n % 5 else "",
                    action=rng.choice(Action.values),
                    category=rng.choice(Category.values),
                    status=rng.choice(SiteStatus.values),
                    since_year=rng.choice([None, *YEARS]),
                    source=rng.choice([None, *sources]),
                    notes="Reported by **users**." if n % 3 == 0 else "",
                )
                for n in range(sites)
            ),
            batch_size=2000,
        )
        combinations = [(kind, year) for kind in MetricKind for year in YEARS]
        Metric.objects.bulk_create(
            (
                self.metric(rng, created[n % countries], combinations[n // countries], sources)
                for n in range(metrics)
            ),
            batch_size=2000,
        )
        Isp.objects.bulk_create(
            Isp(country=country, name=f"{country.name} Telecom {n}", state_owned=n == 0)
            for country in created
            for n in range(3)
        )
        content_changed()  # bulk_create sends no signals
        self.stdout.write(
            f"Generated {countries} countries, {articles} articles, {sites} blocked sites, "
            f"{metrics} metrics, {3 * countries} ISPs."
        )

    def country(self, rng, n, code):
        prose = "\n\n".join(PARAGRAPH.format(n=p, year=2000 + p) for p in range(3))
        return Country(
            name=f"Sample country {code}",
            slug=f"sample-{code.lower()}",
            iso_code=code,
            region=rng.choice(Region.values),
            summary=f"Sample country {code} engages in website blocking. {prose[:400]}",
            censorship=prose + "\n\n[[Article 1]]\n\nMore about the press.",
            website_blocking=prose,
            privacy=prose + "\n\n[[Article 2]]",
            internet_access=prose,
            isp_safe_harbors=prose,
            net_neutrality=prose,
            isp_safe_harbor_status=rng.choice(Protection.values),
            net_neutrality_status=rng.choice(Protection.values),
            isp_count=3 + n % 7,
            last_reviewed=date(2020 + n % 6, 1 + n % 12, 1) if n % 4 else None,
        )

    def metric(self, rng, country, combination, sources):
        kind, year = combination
        value = rng.randint(0, 100) if MetricKind(kind).is_percentage else rng.randint(0, 10**8)
        return Metric(
            country=country, kind=kind, value=value, year=year, source=rng.choice(sources)
        )
