"""Image uploads from the Markdown editor: only editors, only real raster images, nothing else."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from countries.editor.uploads import MAX_UPLOAD_BYTES

from .helpers import EDITOR_PASSWORD

pytestmark = pytest.mark.django_db

UPLOAD_URL = "/markdownx/upload/"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def image_bytes(image_format="PNG", size=(8, 6), color=(200, 30, 30), **save):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, image_format, **save)
    return buffer.getvalue()


def upload(client, content, name="image.png", content_type="image/png"):
    return client.post(
        UPLOAD_URL,
        {"image": SimpleUploadedFile(name, content, content_type=content_type)},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )


def test_anonymous_upload_is_refused_and_writes_nothing(client, media_root):
    assert upload(client, image_bytes()).status_code == 403
    assert stored_files(media_root) == []


def test_signed_in_non_staff_and_staff_without_edit_rights_are_refused(
    client, django_user_model, media_root
):
    reader = django_user_model.objects.create_user(username="reader", password=EDITOR_PASSWORD)
    clerk = django_user_model.objects.create_user(
        username="clerk", password=EDITOR_PASSWORD, is_staff=True
    )
    for user in (reader, clerk):
        client.force_login(user)
        assert upload(client, image_bytes()).status_code == 403
    assert stored_files(media_root) == []


def test_real_png_is_stored_under_a_random_name_and_served_safely(editor_client, media_root):
    response = upload(editor_client, image_bytes(), name="my photo.PNG")
    assert response.status_code == 200
    code = response.json()["image_code"]
    assert code.startswith("![](/media/uploads/") and code.endswith(".png)")
    url = code[4:-1]
    [stored] = stored_files(media_root)
    assert stored.startswith("uploads/") and "photo" not in stored
    with Image.open(media_root / stored) as image:
        assert (image.format, image.size) == ("PNG", (8, 6))

    served = editor_client.get(url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served["Content-Security-Policy"]


@pytest.mark.parametrize(
    "image_format, extension", [("JPEG", "jpg"), ("WEBP", "webp"), ("GIF", "gif")]
)
def test_each_accepted_format_keeps_its_detected_type(
    editor_client, media_root, image_format, extension
):
    response = upload(
        editor_client, image_bytes(image_format), name="x.png", content_type="image/png"
    )
    assert response.status_code == 200
    assert response.json()["image_code"].endswith(f".{extension})")


def test_extension_comes_from_the_bytes_not_the_name(editor_client, media_root):
    response = upload(editor_client, image_bytes("PNG"), name="page.html", content_type="text/html")
    assert response.status_code == 200
    assert stored_files(media_root)[0].endswith(".png")


def refused(response, media_root, message):
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert stored_files(media_root) == []
    return True


def test_svg_is_refused(editor_client, media_root):
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
    )
    assert refused(
        upload(editor_client, svg, name="chart.svg", content_type="image/svg+xml"),
        media_root,
        "This file is not an image. Upload a GIF, JPEG, PNG, WEBP image.",
    )


def test_html_disguised_as_a_gif_is_refused(editor_client, media_root):
    html = b"GIF89a<html><body><script>alert(document.cookie)</script></body></html>"
    assert refused(
        upload(editor_client, html, name="cat.gif", content_type="image/gif"),
        media_root,
        "not an image",
    )


def test_other_image_formats_are_refused_by_name(editor_client, media_root):
    assert refused(
        upload(editor_client, image_bytes("BMP"), name="x.png"),
        media_root,
        "BMP images are not accepted.",
    )


def test_oversized_file_is_refused(editor_client, media_root):
    big = image_bytes() + b"\0" * MAX_UPLOAD_BYTES
    assert refused(upload(editor_client, big), media_root, "images can be at most 5.0\xa0MB")


def test_decompression_bomb_is_refused(editor_client, media_root):
    buffer = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(buffer, "PNG")  # 144 megapixels in a few kilobytes
    assert len(buffer.getvalue()) < MAX_UPLOAD_BYTES
    assert refused(upload(editor_client, buffer.getvalue()), media_root, "that is too large")


def test_script_appended_to_a_real_image_is_dropped_by_reencoding(editor_client, media_root):
    polyglot = image_bytes() + b"<script>alert(1)</script>"
    assert upload(editor_client, polyglot).status_code == 200
    [stored] = stored_files(media_root)
    assert b"<script>" not in (media_root / stored).read_bytes()


def test_location_data_is_removed_from_photos(editor_client, media_root):
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 10.0, 0.0)}  # GPS
    response = upload(editor_client, image_bytes("JPEG", exif=exif.tobytes()), name="p.jpg")
    assert response.status_code == 200
    [stored] = stored_files(media_root)
    with Image.open(media_root / stored) as image:
        assert not image.getexif()


def test_missing_file_gets_a_clear_message(editor_client, media_root):
    response = editor_client.post(UPLOAD_URL, {}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def test_uploaded_image_appears_on_the_public_page(editor_client, kazakhstan, client):
    code = upload(editor_client, image_bytes()).json()["image_code"]
    kazakhstan.summary += f"\n\n{code.replace('![]', '![An uploaded chart]')}"
    kazakhstan.save()
    page = client.get(kazakhstan.get_absolute_url()).content.decode()
    url = code[4:-1]
    assert f'<img src="{url}" alt="An uploaded chart">' in page
    assert client.get(url).status_code == 200


def test_editor_guide_is_linked_from_the_admin_and_staff_only(admin_client, client):
    guide = reverse("editor_guide")
    assert guide in admin_client.get(reverse("admin:index")).content.decode()
    page = admin_client.get(guide).content.decode()
    assert "Citing sources" in page and "[^itu]" in page and "Images" in page
    assert '<sup class="footnote-ref">' in page  # the examples are rendered by the renderer
    assert client.get(guide).status_code == 302  # anonymous: to the login page
