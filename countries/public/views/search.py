from django.views.generic import TemplateView

from ..search import MAX_QUERY_LENGTH, search


class SearchView(TemplateView):
    template_name = "countries/search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "")[:MAX_QUERY_LENGTH]
        return super().get_context_data(query=query, results=search(query), **kwargs)
