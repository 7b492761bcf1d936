import datetime

from django import template
from django.conf import settings
from django.db.models import F
from django.utils import timezone
from reversion.models import Version

from countries.models import Country, review_interval_months

register = template.Library()

RECENT_DAYS = 14
SHOWN = 10


@register.inclusion_tag("admin/countries/attention.html", takes_context=True)
def attention_dashboard(context):
    """Entries needing attention, for the admin's front page."""
    user = context["request"].user
    if not user.has_perm("countries.view_country"):
        return {"show": False}
    since = timezone.now() - datetime.timedelta(days=RECENT_DAYS)
    drafts = Country.objects.drafts().order_by("-updated_at")
    stale = Country.objects.published().stale().order_by(F("last_reviewed").asc(nulls_first=True))
    outdated = Country.objects.published().with_outdated_metrics().order_by("latest_metric_year")
    changed_by_others = (
        Version.objects.get_for_model(Country)
        .filter(revision__date_created__gte=since)
        .exclude(revision__user=user)
        .select_related("revision__user")
        .order_by("-revision__date_created")
    )
    return {
        "show": True,
        "drafts": drafts[:SHOWN],
        "draft_count": drafts.count(),
        "stale": stale[:SHOWN],
        "stale_count": stale.count(),
        "outdated": outdated[:SHOWN],
        "outdated_count": outdated.count(),
        "changed_by_others": changed_by_others[:SHOWN],
        "recent_days": RECENT_DAYS,
        "review_months": review_interval_months(),
        "figure_years": settings.METRIC_MAX_AGE_YEARS,
    }
