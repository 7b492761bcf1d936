"""A source's licence, as the pages credit it."""

from django import template

from countries.opendata.downloads import AppliedLicence

register = template.Library()


@register.filter
def licence(source):
    """The licence `source` publishes under (name, short_name, url), or None where it says none."""
    return AppliedLicence.of(source)
