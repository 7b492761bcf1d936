"""What several browser test modules share."""

import re

from playwright.sync_api import expect

from ..helpers import EDITOR_PASSWORD


def sign_in(page, username="editor", password=EDITOR_PASSWORD):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Country entries"))).to_be_visible()
