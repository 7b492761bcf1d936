"""The editors' home. One module per concern:

- `country.py`: the country change page (inlines, publish, review, preview, downloads);
- `rows.py`: articles, sites, metrics, ISPs and sources on their own, across countries;
- `workflow.py`: the conflict check, the review filters and the preview of unsaved changes;
- `common.py`: what every admin here shares (the Markdown editor).
"""

from . import country, rows  # noqa: F401 - registers the admin classes
