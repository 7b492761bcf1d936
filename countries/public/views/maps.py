"""The world map: the context the home page includes it with, and the page other sites frame."""

from csp.decorators import csp_replace
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from ..worldmap import INDICATORS, build_map, countries_for_map, get_indicator


def map_context(indicator_key):
    """What templates/includes/world_map.html needs, for one indicator (any key is safe)."""
    indicator = get_indicator(indicator_key)
    return {
        "map": build_map(indicator.key, countries_for_map()),
        "indicators": INDICATORS,
        "indicator": indicator.key,
    }


@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
@require_safe
def embed_map(request):
    """The map alone, for other sites to put in an <iframe>."""
    context = map_context(request.GET.get("indicator"))
    # Inside a frame a link would otherwise open the country page in the frame itself.
    context["link_target"] = "_blank"
    context["site_url"] = request.build_absolute_uri(reverse("countries:list"))
    return render(request, "countries/embed_map.html", context)
