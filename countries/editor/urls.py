"""The addresses markdownx's editor posts to (settings MARKDOWNX_URLS_PATH and
MARKDOWNX_UPLOAD_URLS_PATH), served by the editors-only views here instead of markdownx's own."""

from django.urls import path

from .preview import MarkdownPreviewView
from .uploads import ImageUploadView

urlpatterns = [
    path("markdownify/", MarkdownPreviewView.as_view(), name="markdownx_markdownify"),
    path("upload/", ImageUploadView.as_view(), name="markdownx_upload"),
]
