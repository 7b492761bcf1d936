"""A rendered HTML form read the way a browser submits it, for the bench's admin POST.

tests/forms.py does the same for the suite; the load tests never import the tests.
"""

from html.parser import HTMLParser

UNSENT_INPUTS = {"submit", "button", "image", "file", "reset"}


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.found = self.inside = False
        self.fields = {}  # name -> list of values, in the order a browser sends them
        self.textareas = set()
        self._textarea = None
        self._select = None  # (name, multiple, the first option's value, any option selected)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.found = self.inside = True
        if not self.inside or "disabled" in attrs:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields.setdefault(name, []).append(attrs.get("value") or "on")
            elif kind not in UNSENT_INPUTS:
                self.fields.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.textareas.add(name)
            self.fields[name] = [""]
        elif tag == "select" and name:
            self._select = [name, "multiple" in attrs, None, False]
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in attrs:
                self._select[3] = True
                self.fields.setdefault(self._select[0], []).append(value)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select" and self._select:
            name, multiple, first, selected = self._select
            if not selected and not multiple and first is not None:
                self.fields[name] = [first]  # a single select sends its first option
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data


def read_form(html, form_id):
    """The name → value (a list where a name has several) pairs a browser would submit for the
    form with this id, but for its buttons; raises LookupError when there is no such form.

    As a browser does: a textarea's content loses the one newline that starts it, and its line
    breaks are sent as CRLF (the HTML standard's "textarea wrapping transformation").
    """
    reader = _FormReader(form_id)
    reader.feed(html)
    reader.close()
    if not reader.found:
        raise LookupError(f"no form with id {form_id!r}")
    fields = {}
    for name, values in reader.fields.items():
        if name in reader.textareas:
            values = [v[1:] if v.startswith("\n") else v for v in values]
            values = [v.replace("\r\n", "\n").replace("\n", "\r\n") for v in values]
        fields[name] = values[0] if len(values) == 1 else values
    return fields
