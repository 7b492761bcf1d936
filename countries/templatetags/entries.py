from urllib.parse import urlencode

from django import template

from countries.models import format_metric_value

register = template.Library()


@register.filter
def percentage(value):
    """A percentage as the country pages write it: 54%, 76.4%."""
    if value is None:
        return ""
    return format_metric_value(value, is_percentage=True)


@register.filter
def get_item(mapping, key):
    return mapping.get(key, "")


@register.simple_tag
def sort_query(query, key, current):
    """The query string that sorts by `key`, reversing the order if it is already sorted so.

    `query` is the page's own (see countries.comparison.comparison_query).
    """
    return urlencode({**query, "sort": f"-{key}" if current == key else key})
