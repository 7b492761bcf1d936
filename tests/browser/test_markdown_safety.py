"""Hostile Markdown in every field, rendered in real Chromium: nothing runs, nothing is injected."""

from playwright.sync_api import expect

from countries.sections import SECTIONS

from ..factories import ArticleFactory, CountryFactory, MetricFactory, SiteFactory
from ..payloads import HOSTILE_INPUTS
from .helpers import sign_in

ALL_PAYLOADS = "\n\n".join(source for _, source, _ in HOSTILE_INPUTS)

# Run in the page: every reason the live DOM could run script.
FIND_SCRIPT_CAPABLE = """() => {
  const problems = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.startsWith('on')) problems.push(el.tagName + ' ' + attr.name);
    }
    for (const prop of ['href', 'src', 'action', 'formAction', 'data']) {
      const value = el[prop];
      if (typeof value === 'string' && /^\\s*(javascript|vbscript|data):/i.test(value)) {
        problems.push(el.tagName + ' ' + prop + '=' + value);
      }
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'SVG', 'MATH', 'FORM', 'BASE', 'META'].includes(
          el.tagName.toUpperCase()) && el.closest('main')) {
      problems.push(el.tagName);
    }
  }
  for (const script of document.scripts) problems.push('script ' + (script.src || script.text));
  return problems;
}"""


def test_payloads_in_every_markdown_field_do_nothing(page, transactional_db):
    fields = {spec.field: ALL_PAYLOADS for spec in SECTIONS}
    country = CountryFactory(name="Payloadia", **fields)
    ArticleFactory(country=country, notes=ALL_PAYLOADS)
    SiteFactory(country=country, name="A site", notes=ALL_PAYLOADS)
    MetricFactory(country=country, notes=ALL_PAYLOADS)

    page.goto(country.get_absolute_url())
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # time for any onerror/onload handler that survived to fire

    assert page.watcher.dialogs == []
    assert page.evaluate(FIND_SCRIPT_CAPABLE) == []
    assert page.watcher.foreign_requests == []
    # The words are still there, as text.
    expect(page.locator("#summary")).to_contain_text("<script>alert(1)</script> after")
    assert page.locator("main .row-notes").count() == 2  # the site's and the metric's notes


def test_payloads_in_the_editor_preview_do_nothing(desktop_page, admin_user, kazakhstan):
    page = desktop_page
    sign_in(page, "admin", "password")
    page.goto(f"/admin/countries/country/{kazakhstan.pk}/change/")
    editor = page.locator("textarea[name=summary_en]")
    editor.fill(ALL_PAYLOADS)
    preview = page.locator(".markdownx", has=editor).locator(".markdownx-preview")
    expect(preview).to_contain_text("<script>alert(1)</script> after")
    page.wait_for_timeout(300)
    assert page.watcher.dialogs == []
    problems = preview.evaluate(
        """(root) => [...root.querySelectorAll('*')].flatMap(el =>
             [...el.attributes].filter(a => a.name.startsWith('on') || a.name === 'style')
               .map(a => el.tagName + ' ' + a.name))"""
    )
    assert problems == []
