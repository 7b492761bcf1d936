"""An editor signs in, sees the live Markdown preview, saves, and the public page shows it."""

import base64
import io
import re

from PIL import Image
from playwright.sync_api import expect

from .helpers import sign_in


def test_editor_previews_and_saves_markdown(desktop_page, editor, kazakhstan):
    page = desktop_page
    sign_in(page)
    page.goto(f"/admin/countries/country/{kazakhstan.pk}/change/")

    editor_box = page.locator("textarea[name=net_neutrality_en]")
    editor_box.fill('A **2026** law protects it. <img src=x onerror="alert(1)">')
    preview = page.locator(".markdownx", has=editor_box).locator(".markdownx-preview")
    expect(preview.locator("strong")).to_have_text("2026")
    expect(preview).to_contain_text('<img src=x onerror="alert(1)">')  # shown as text
    expect(preview.locator("img")).to_have_count(0)

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(kazakhstan.get_absolute_url())
    expect(page.locator("#net-neutrality strong")).to_have_text("2026")
    assert page.watcher.dialogs == []


def test_editor_starts_in_an_inline_row_added_with_add_another(desktop_page, editor, kazakhstan):
    page = desktop_page
    sign_in(page)
    page.goto(f"/admin/countries/country/{kazakhstan.pk}/change/")
    existing = kazakhstan.metrics.count()
    page.get_by_text("Add another Metric").click()

    notes = page.locator(f"textarea[name='metrics-{existing}-notes_en']")
    notes.fill("Reported by **RSF**. <img src=x onerror=alert(1)>")
    preview = page.locator(".markdownx", has=notes).locator(".markdownx-preview")
    expect(preview.locator("strong")).to_have_text("RSF")
    expect(preview.locator("img")).to_have_count(0)

    # A second new row works too, and the first keeps working.
    page.get_by_text("Add another Metric").click()
    second = page.locator(f"textarea[name='metrics-{existing + 1}-notes_en']")
    second.fill("*second*")
    expect(page.locator(".markdownx", has=second).locator(".markdownx-preview em")).to_have_text(
        "second"
    )
    notes.fill("**changed**")
    expect(preview.locator("strong")).to_have_text("changed")
    assert page.watcher.dialogs == []


DROP_FILE = """([textarea, name, type, base64]) => {
  const bytes = Uint8Array.from(atob(base64), c => c.charCodeAt(0));
  const transfer = new DataTransfer();
  transfer.items.add(new File([bytes], name, {type}));
  textarea.dispatchEvent(new DragEvent('drop', {dataTransfer: transfer, bubbles: true}));
}"""


def drop_file(textarea, name, content_type, content):
    handle = textarea.element_handle()
    textarea.page.evaluate(
        DROP_FILE, [handle, name, content_type, base64.b64encode(content).decode()]
    )


def test_editor_drops_an_image_and_a_refused_file(
    desktop_page, editor, kazakhstan, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = desktop_page
    sign_in(page)
    page.goto(f"/admin/countries/country/{kazakhstan.pk}/change/")
    field = page.locator("textarea[name=internet_access_en]")
    markdownx = page.locator(".markdownx", has=field)

    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    drop_file(field, "chart.svg", "image/svg+xml", svg)
    expect(markdownx.locator(".markdownx-error")).to_contain_text("This file is not an image")
    expect(field).not_to_have_value(re.compile("Invalid response"))

    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 90, 170)).save(buffer, "PNG")
    drop_file(field, "chart.png", "image/png", buffer.getvalue())
    expect(field).to_have_value(re.compile(r"!\[\]\(/media/uploads/[0-9a-f]{32}\.png\)"))
    image = markdownx.locator(".markdownx-preview img")
    expect(image).to_have_count(1)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth === 40", arg=image.element_handle()
    )
    assert page.watcher.dialogs == []
