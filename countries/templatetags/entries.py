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
