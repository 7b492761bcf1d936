from urllib.parse import urlencode

from django import template

from countries.models import format_metric_value
from countries.opendata import ooni
from countries.public.charts import metric_charts as charts_of

register = template.Library()


@register.filter
def percentage(value):
    """A percentage as the country pages write it: 54%, 76.4%."""
    if value is None:
        return ""
    return format_metric_value(value, is_percentage=True)


@register.simple_tag
def sort_query(query, key, current):
    """The query string that sorts by `key`, reversing the order if it is already sorted so.

    `query` is the page's own (see countries.public.comparison.comparison_query).
    """
    return urlencode({**query, "sort": f"-{key}" if current == key else key})


@register.simple_tag
def metric_charts(country):
    """The entry's charts of figures over the years (its metrics should be prefetched)."""
    return charts_of(country)


@register.simple_tag
def ooni_explorer_url(site):
    """OONI Explorer's measurements of the site's domain from its country (None without an
    address). Stable from day to day, so cached pages never go stale."""
    return ooni.domain_link(site)
