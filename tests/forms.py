"""Read a rendered HTML form the way a browser submits it, so admin tests post what editors do."""

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields = {}
        self.values = {}  # name -> every value sent under it, in document order
        self.textareas = set()
        self._textarea = None
        self._select = None
        self._select_value = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.fields[name] = attrs.get("value", "on")
                    self.values.setdefault(name, []).append(self.fields[name])
            elif kind not in {"submit", "button", "image", "file"}:
                self.fields[name] = attrs.get("value", "")
                self.values.setdefault(name, []).append(self.fields[name])
        elif tag == "textarea" and name:
            self._textarea = name
            self.textareas.add(name)
            self.fields[name] = ""
        elif tag == "select" and name:
            self._select = name
            self._select_value = None
        elif tag == "option" and self._select:
            if "selected" in attrs or self._select_value is None:
                self._select_value = attrs.get("value", "")
                if "selected" in attrs:
                    self.fields[self._select] = self._select_value
                else:
                    self.fields.setdefault(self._select, self._select_value)

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea" and self._textarea:
            self.values.setdefault(self._textarea, []).append(self.fields[self._textarea])
            self._textarea = None
        elif tag == "select" and self._select:
            if self._select in self.fields:
                self.values.setdefault(self._select, []).append(self.fields[self._select])
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def read_form(html, form_id):
    """The name → value pairs a browser would submit for the form with this id.

    As a browser does: a textarea's content loses the one newline that starts it, and its
    line breaks are sent as CRLF (the HTML standard's "textarea wrapping transformation").
    """
    reader = _FormReader(form_id)
    reader.feed(html)
    fields = dict(reader.fields)
    for name in reader.textareas:
        value = fields[name]
        value = value[1:] if value.startswith("\n") else value
        fields[name] = value.replace("\r\n", "\n").replace("\n", "\r\n")
    return fields


def read_form_values(html, form_id):
    """As read_form, keeping every value of a name that appears more than once (name → list),
    in document order: what a browser sends, e.g. two fields named "action"."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.values


# An entry's change form, as editors use it ------------------------------------------------------


def change_url(country):
    from django.urls import reverse

    return reverse("admin:countries_country_change", args=[country.pk])


def signed_in(client_class, user):
    """A client of its own for `user`: two editors at once are two browsers."""
    client = client_class()
    client.force_login(user)
    return client


def open_form(client, country):
    return read_form(client.get(change_url(country)).content.decode(), "country_form")


def save(client, country, form, **changes):
    response = client.post(change_url(country), {**form, **changes})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def row_index(form, prefix, field, value):
    """The index of the inline row of `prefix` whose `field` is `value`, in the form's data."""
    return next(
        key.split("-")[1]
        for key, found in form.items()
        if key.startswith(f"{prefix}-") and key.endswith(f"-{field}") and found == value
    )
