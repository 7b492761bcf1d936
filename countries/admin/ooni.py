"""OONI's evidence in the blocked-site admin: a list filter and a column.

Both read what `manage.py check_ooni` stored on each site (countries.opendata.ooni); nothing
here asks OONI: a page request never waits on the network.
"""

from django.contrib import admin
from django.db.models import F, Q
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..opendata.ooni import DEFAULT_DAYS, TEST_NAME, chart_link, domain_link, search_link, window

# What each choice of the filter selects. A confirmed block is an anomaly too (as on OONI
# Explorer, whose "anomalies" search lists the confirmed ones as well), so "anomalies" holds
# the sites of "confirmed blocks"; every other site is in exactly one choice.
EVIDENCE = {
    "confirmed": (_("confirmed blocks"), Q(ooni_confirmed__gt=0)),
    "anomalies": (_("anomalies"), Q(ooni_anomalies__gt=0) | Q(ooni_confirmed__gt=0)),
    "no-anomaly": (
        _("measured, no anomaly"),
        Q(ooni_measurements__gt=0, ooni_anomalies=0, ooni_confirmed=0),
    ),
    "not-measured": (
        _("checked, no measurements"),
        Q(ooni_checked_on__isnull=False, ooni_measurements=0),
    ),
    "not-checked": (_("not checked"), Q(ooni_checked_on__isnull=True)),
}


class OoniEvidenceFilter(admin.SimpleListFilter):
    title = _("OONI evidence")
    parameter_name = "ooni"

    def lookups(self, request, model_admin):
        return [(value, label) for value, (label, _condition) in EVIDENCE.items()]

    def queryset(self, request, queryset):
        if self.value() in EVIDENCE:
            return queryset.filter(EVIDENCE[self.value()][1])
        return queryset


@admin.display(
    description=_("OONI evidence"),
    # Sorting by it sorts by anomalies; sites never checked come before 0 (after it, reversed).
    ordering=F("ooni_anomalies").asc(nulls_first=True),
)
def ooni_evidence(site):
    """The counts OONI gave for the site at the last check, each linking to the measurements
    on OONI Explorer, over the window that was counted (the days before the check)."""
    if site.ooni_checked_on is None or site.ooni_measurements is None:
        if not site.url:
            return format_html("<span>{}</span>", _("no address"))
        return format_html("<span>{}</span>", _("not checked"))
    checked_on = site.ooni_checked_on
    since, until = window(DEFAULT_DAYS, checked_on)
    title = _("OONI %(test)s measurements from %(since)s to %(until)s, checked on %(date)s") % {
        "test": TEST_NAME,
        "since": since.isoformat(),
        "until": until.isoformat(),
        "date": checked_on.isoformat(),
    }
    if site.ooni_measurements == 0:
        return format_html(
            '<span title="{}">{}</span>', title, _linked(domain_link(site), _("no measurements"))
        )
    confirmed = site.ooni_confirmed or 0
    anomalies = site.ooni_anomalies or 0
    found = []
    if confirmed:
        text = ngettext("%(count)s confirmed", "%(count)s confirmed", confirmed)
        found.append(_linked(search_link(site, "confirmed", today=checked_on), text, confirmed))
    if anomalies or not confirmed:
        text = ngettext("%(count)s anomaly", "%(count)s anomalies", anomalies)
        found.append(_linked(search_link(site, "anomalies", today=checked_on), text, anomalies))
    measurements = site.ooni_measurements
    text = ngettext("of %(count)s measurement", "of %(count)s measurements", measurements)
    return format_html(
        '<span title="{}">{} {}</span>',
        title,
        format_html_join(", ", "{}", ((part,) for part in found)),
        _linked(chart_link(site, today=checked_on), text, measurements),
    )


def _linked(link, text, count=None):
    """The text, as a link to OONI Explorer if the site has an address (it may have lost it
    since the check)."""
    if count is not None:
        text = text % {"count": number_format(count, force_grouping=True)}
    if not link:
        return format_html("{}", text)
    return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', link, text)
