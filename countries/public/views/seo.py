import posixpath

from django.http import HttpResponse
from django.urls import reverse


def robots_txt(request):
    editor = posixpath.commonpath([reverse("markdownx_markdownify"), reverse("markdownx_upload")])
    previews = reverse("countries:preview", kwargs={"slug": "0"}).replace("/0/", "/*/")
    lines = [
        "User-agent: *",
        # Not the admin: its address is configurable and need not be announced.
        f"Disallow: {editor}/",
        f"Disallow: {previews}",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
