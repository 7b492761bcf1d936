"""The Content Security Policy breaks nothing: the admin, the Markdown editor and public pages."""

from playwright.sync_api import expect

from .helpers import sign_in

# Every violation, reported by the page itself: console messages can be worded differently.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


def violations(page):
    """What the page reported since the last call (the console log is the whole session's)."""
    reported = page.evaluate("window.cspViolations || []")
    logged = [e for e in page.watcher.errors if "Content Security Policy" in e]
    page.watcher.errors.clear()
    return reported + logged


def test_admin_editor_and_public_pages_run_without_csp_violations(desktop_page, editor, kazakhstan):
    page = desktop_page
    page.context.add_init_script(RECORD_VIOLATIONS)
    seen = {}

    for path in ["/", kazakhstan.get_absolute_url(), "/embed/map/", "/search/?q=blocking",
                 "/ru/countries/kazakhstan/"]:  # fmt: skip
        response = page.goto(path)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        seen[path] = violations(page)

    sign_in(page)
    seen["admin index"] = violations(page)
    page.goto(f"/admin/countries/country/{kazakhstan.pk}/change/")
    editor_box = page.locator("textarea[name=censorship_en]")
    editor_box.fill("Blocked under **Article 20**: [a link](https://example.org).")
    preview = page.locator(".markdownx", has=editor_box).locator(".markdownx-preview")
    expect(preview.locator("strong")).to_have_text("Article 20")  # the preview's script ran
    page.get_by_text("Add another Metric").click()
    seen["change form"] = violations(page)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    seen["changelist"] = violations(page)
    page.goto(f"/admin/countries/country/{kazakhstan.pk}/history/")
    seen["history"] = violations(page)
    page.goto(f"/admin/countries/blockedsite/?country__id__exact={kazakhstan.pk}")
    seen["the entry's sites"] = violations(page)
    page.goto("/admin/guide/")
    seen["editor's guide"] = violations(page)

    assert {where: found for where, found in seen.items() if found} == {}
