"""Images editors drop into the Markdown editor, made unable to carry script.

The file's bytes decide what it is, never the name or content type the browser claims: Pillow
must recognise it as one of a few raster formats, and it is then re-encoded from its pixels, so
anything smuggled around the image (HTML, script, a polyglot tail, EXIF with GPS positions) is
left behind. It is stored under a random name with the extension of the detected format.
"""

import io
import uuid
import warnings

from django import forms
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import JsonResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from .access import EditorRequiredMixin

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # refuses decompression bombs long before they are decoded
MAX_ANIMATION_PIXELS = 50_000_000  # all frames of an animated GIF or WebP together
# Frames, counted up to one more than this: every frame costs time to re-encode however small
# (210,000 frames of 1×1 pixels took 29 s and 818 MB), and Pillow's own count reads them all.
MAX_FRAMES = 500
MAX_SIDE = 2400  # larger images are scaled down: nobody reads a country page at 8K
UPLOAD_FOLDER = "uploads"

# Detected format -> (extension, save options).
FORMATS = {
    "JPEG": ("jpg", {"quality": 85, "optimize": True}),
    "PNG": ("png", {"optimize": True}),
    "WEBP": ("webp", {"quality": 85}),
    "GIF": ("gif", {}),
}
ACCEPTED = ", ".join(sorted(FORMATS))


class ImageUploadForm(forms.Form):
    image = forms.FileField()

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s; images can be at most %(limit)s."),
                code="too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(MAX_UPLOAD_BYTES),
                },
            )
        data = upload.read()
        try:
            # Our own pixel limits below decide; Pillow's warning would only add noise.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                probe = Image.open(io.BytesIO(data))
            with probe:
                detected = probe.format
                width, height = probe.size
                frames = count_frames(probe, MAX_FRAMES + 1)
                probe.verify()
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            Image.DecompressionBombError,
        ):
            raise forms.ValidationError(
                _("This file is not an image. Upload a %(formats)s image."),
                code="not_an_image",
                params={"formats": ACCEPTED},
            ) from None
        if detected not in FORMATS:
            raise forms.ValidationError(
                _("%(format)s images are not accepted. Upload a %(formats)s image."),
                code="unsupported_format",
                params={"format": detected, "formats": ACCEPTED},
            )
        if frames > MAX_FRAMES:
            raise forms.ValidationError(
                _("The animation has more than %(limit)s frames; upload a shorter one."),
                code="too_many_frames",
                params={"limit": MAX_FRAMES},
            )
        if width * height > MAX_PIXELS or width * height * frames > MAX_ANIMATION_PIXELS:
            raise forms.ValidationError(
                _("The image is %(width)s × %(height)s pixels; that is too large."),
                code="too_many_pixels",
                params={"width": width, "height": height},
            )
        self.detected_format = detected
        return data

    def save(self):
        """Re-encode and store the image; returns its public URL."""
        extension, options = FORMATS[self.detected_format]
        encoded = reencode(self.cleaned_data["image"], self.detected_format, options)
        name = default_storage.save(
            f"{UPLOAD_FOLDER}/{uuid.uuid4().hex}.{extension}", ContentFile(encoded)
        )
        return default_storage.url(name)


def count_frames(image, limit):
    """How many frames the image has, reading at most `limit` of them."""
    count = 0
    try:
        while count < limit:
            image.seek(count)
            count += 1
    except EOFError:
        pass
    image.seek(0)
    return count


def reencode(data, image_format, options):
    with Image.open(io.BytesIO(data)) as image:
        animated = getattr(image, "is_animated", False)
        if animated:
            frames = [frame.copy() for frame in ImageSequence.Iterator(image)]
            first, rest = frames[0], frames[1:]
            output = io.BytesIO()
            first.save(
                output,
                image_format,
                save_all=True,
                append_images=rest,
                loop=image.info.get("loop", 0),
                duration=image.info.get("duration", 100),
                **options,
            )
            return output.getvalue()
        image = ImageOps.exif_transpose(image)  # keep the photo upright once EXIF is gone
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        if image_format == "JPEG" and image.mode not in ("RGB", "L"):
            image = image.convert("RGB")
        output = io.BytesIO()
        image.save(output, image_format, **options)
        return output.getvalue()


class ImageUploadView(EditorRequiredMixin, View):
    """Answers markdownx's upload request with the Markdown for the stored image."""

    def post(self, request):
        # A body over the limit never reaches here (netfree.security.RequestLimitsMiddleware).
        form = ImageUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            errors = form.errors.get("image") or [gettext("Choose an image to upload.")]
            return self.refuse(" ".join(errors))
        return JsonResponse({"image_code": f"![]({form.save()})"})

    @staticmethod
    def refuse(message):
        return JsonResponse({"error": message}, status=400)
