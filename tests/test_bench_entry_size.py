"""The bench's entry-size section (tools/loadtest/entry_size.py): its form reader posts what a
browser would, and its table says PASS only when the 2x goal holds and every save answered 302.

Neither needs a database: the section itself runs in tests/test_bench.py's smoke run.
"""

import pytest

from tools.loadtest.browser_form import read_form
from tools.loadtest.entry_size import report

pytestmark = pytest.mark.once  # no database: one tier is enough

FORM = """
<form id="other"><input name="elsewhere" value="x"></form>
<form id="country_form" method="post">
  <input type="hidden" name="csrfmiddlewaretoken" value="token">
  <input type="hidden" name="loaded_version" value="2026-01-01T00:00:00.000001">
  <input type="text" name="name" value="Kazakhstan &amp; co">
  <textarea name="summary">
First line
second line</textarea>
  <select name="region"><option value="143">Central Asia</option>
    <option value="145" selected>Western Asia</option></select>
  <select name="status"><option value="yes">Yes</option><option value="no">No</option></select>
  <select name="tags" multiple><option value="a" selected>A</option>
    <option value="b" selected>B</option><option value="c">C</option></select>
  <input type="checkbox" name="isps-0-state_owned" checked>
  <input type="checkbox" name="isps-0-DELETE">
  <input type="hidden" name="isps-TOTAL_FORMS" value="1">
  <input type="text" name="disabled_field" value="no" disabled>
  <input type="submit" name="_save" value="Save">
</form>
"""


def test_the_form_is_read_as_a_browser_submits_it():
    assert read_form(FORM, "country_form") == {
        "csrfmiddlewaretoken": "token",
        "loaded_version": "2026-01-01T00:00:00.000001",
        "name": "Kazakhstan & co",
        "summary": "First line\r\nsecond line",
        "region": "145",
        "status": "yes",
        "tags": ["a", "b"],
        "isps-0-state_owned": "on",
        "isps-TOTAL_FORMS": "1",
    }
    with pytest.raises(LookupError):
        read_form(FORM, "missing_form")


def results(admin_ms, post_statuses=(302, 302)):
    def measure(ms, statuses):
        return {"ms": ms, "statuses": list(statuses), "bytes": 2048, "queries": 7}

    sizes = {}
    for size, ms in zip(("5", "5000"), admin_ms, strict=True):
        sizes[size] = {
            "admin GET": measure([ms, ms + 2, ms - 1], [200, 200, 200]),
            "admin POST": measure([ms], [post_statuses[size == "5000"]]),
            "public page": measure([10.0], [200]),
            "API detail": measure([5.0], [200]),
            "form fields": 185,
            "reps": 3,
        }
    return sizes


def rows_by_name(data):
    header, rows, goals = report(data)
    assert header == ("measurement", "5 sites", "5,000 sites", "5,000 / 5", "goal (<= 2x)")
    return {row[0]: row for row in rows}, goals


def test_the_goal_holds_within_twice_the_small_entry():
    rows, goals = rows_by_name(results([100.0, 150.0]))
    assert rows["admin GET, ms"] == ("admin GET, ms", "100.0", "150.0", "1.50", "PASS")
    assert rows["admin POST, ms"][-1] == "PASS"
    assert rows["public page, ms"][-1] == "-"
    assert all(" met " in line for line in goals) and len(goals) == 2


def test_the_goal_fails_when_slower_or_when_a_save_is_refused():
    rows, goals = rows_by_name(results([100.0, 250.0]))
    assert rows["admin GET, ms"][-2:] == ("2.50", "FAIL")
    assert "NOT met" in goals[0]
    rows, goals = rows_by_name(results([100.0, 100.0], post_statuses=(302, 400)))
    assert rows["admin POST, ms"][2] == "100.0 [400!]"
    assert rows["admin POST, ms"][-1] == "FAIL"
    assert rows["admin POST, answered"][1:3] == ("302", "400")
    assert "not every answer was 302" in goals[1]
