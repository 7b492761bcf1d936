"""The editors' home. One module per concern:

- `country.py`: an entry's change page (publish, review, preview, downloads), with
  `inlines.py` (the rows edited on it), `conflicts.py` (no lost updates) and `workflow.py`
  (its form and the review filters);
- `sites.py`: an entry's blocked sites as a list of their own (triage, bulk actions), with
  `testlists.py` (a Citizen Lab test list uploaded, previewed, imported) and `ooni.py` (OONI's
  evidence as a filter and a column);
- `rows.py`: articles, figures, ISPs and sources on their own pages, across countries;
- `common.py`: what the admins here share (the Markdown editor, source autocompletes).
"""

from . import country, rows, sites  # noqa: F401 - registers the admin classes
