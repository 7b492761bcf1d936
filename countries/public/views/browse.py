"""Pages across countries: a topic's countries by status, every blocked site, quoted law."""

from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView, TemplateView

from ...choices import Protection, Topic
from ...filters import SiteFilter, chosen
from ...models import BlockedSite, ConstitutionalArticle, Country

TOPICS = {
    "net-neutrality": {
        "title": _("Net neutrality"),
        "question": _("Does the law protect net neutrality?"),
        "status_field": "net_neutrality_status",
        "section": "net_neutrality",
    },
    "isp-safe-harbors": {
        "title": _("ISP safe harbors"),
        "question": _("Does the law shield ISPs from liability for what users publish?"),
        "status_field": "isp_safe_harbor_status",
        "section": "isp_safe_harbors",
    },
}


class TopicView(TemplateView):
    template_name = "countries/topic.html"

    def get_context_data(self, **kwargs):
        topic = TOPICS.get(self.kwargs["topic"])
        if topic is None:
            raise Http404
        by_status = {status: [] for status in Protection}
        for country in Country.objects.published().order_by("name"):
            by_status[Protection(getattr(country, topic["status_field"]))].append(country)
        groups = [
            (status, status.label, countries)
            for status, countries in by_status.items()
            if countries
        ]
        context = super().get_context_data(**kwargs)  # the URL's `topic` is replaced below
        context.update(topic=topic, topic_slug=self.kwargs["topic"], groups=groups, topics=TOPICS)
        return context


class BlockedSiteListView(ListView):
    """Every blocked or throttled site, one row per site and country, filterable."""

    template_name = "countries/blocked_site_list.html"
    context_object_name = "sites"
    paginate_by = 100

    def get_queryset(self):
        sites = BlockedSite.objects.published().order_by(Lower("name"), "country__name")
        return SiteFilter(self.request.GET, queryset=sites).qs

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        filters = SiteFilter.base_filters
        selected = chosen(SiteFilter(self.request.GET, queryset=BlockedSite.objects.none()))
        return super().get_context_data(
            filter_options=[
                (name, filters[name].label, filters[name].extra["choices"], selected.get(name, ""))
                for name in ("category", "action", "status")
            ],
            countries=Country.objects.published().order_by("name").only("name", "iso_code"),
            selected_country=selected.get("country", "").upper(),
            query_without_page=query.urlencode(),
            **kwargs,
        )


class BlockedSiteDetailView(TemplateView):
    """Where is this site blocked? Every published entry listing a site of this name."""

    template_name = "countries/blocked_site_detail.html"

    def get(self, request, *args, **kwargs):
        rows = list(
            BlockedSite.objects.published()
            .filter(name__iexact=self.kwargs["name"])
            .order_by("country__name")
        )
        if not rows:
            raise Http404
        # One address per site: "LIVEJOURNAL" and "livejournal" lead to "LiveJournal", so
        # that each spelling is not a page of its own (and a cache entry of its own).
        if self.kwargs["name"] != rows[0].name:
            return redirect("countries:blocked_site", name=rows[0].name, permanent=True)
        return self.render_to_response(self.get_context_data(name=rows[0].name, rows=rows))


class ConstitutionsView(TemplateView):
    """Quoted constitutional articles, grouped by what they protect."""

    template_name = "countries/constitutions.html"

    def get_context_data(self, **kwargs):
        articles = ConstitutionalArticle.objects.published().order_by(
            "topic", "country__name", "order", "number"
        )
        by_topic = {topic: [] for topic in Topic}
        for article in articles:
            by_topic[Topic(article.topic)].append(article)
        groups = [(topic, topic.label, items) for topic, items in by_topic.items() if items]
        return super().get_context_data(groups=groups, **kwargs)
