"""The interface's Russian and Kazakh catalogues (locale/<lang>/LC_MESSAGES/django.po and .mo).

Every string the source marks is in both catalogues, translated, with its placeholders and markup
intact and the right number of plural forms; the compiled .mo files say what the .po files say.

The catalogues are read here by a small .po parser and by Python's gettext (the .mo); the msgfmt
check needs GNU gettext, which scripts/run-tests installs. Regenerate and compile with
`make messages`.
"""

import ast
import gettext
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
PLURAL_FORMS = {
    "ru": (
        "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && "
        "(n%100<10 || n%100>=20) ? 1 : 2);"
    ),
    "kk": "nplurals=2; plural=(n!=1);",
}
LANGUAGES = sorted(PLURAL_FORMS)

# printf-style directives as Python's % operator reads them: %(name)s, %d, %s, %%…
DIRECTIVE = re.compile(r"%(?:\((?P<name>[^)]*)\))?[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[a-zA-Z%]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")
ARTICLE_MARKER = re.compile(r"\[\[Article [^\]]*\]\]")


# The .po files ---------------------------------------------------------------------------------


def _unquote(text):
    return ast.literal_eval(text)


def parse_po(path):
    """The entries of a .po file: dicts with flags, ctxt, id, plural and strs ({index: text})."""
    entries = []
    entry = field = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line:
            entry = field = None
            continue
        if entry is None:
            entry = {"flags": set(), "ctxt": None, "id": None, "plural": None, "strs": {}}
            entry["line"] = number
            entries.append(entry)
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            continue
        elif match := re.fullmatch(
            r'(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?) (".*")', line
        ):
            keyword, index, text = match.groups()
            if keyword.startswith("msgstr"):
                field = ("strs", int(index or 0))
                entry["strs"][field[1]] = _unquote(text)
            else:
                field = ({"msgctxt": "ctxt", "msgid_plural": "plural"}.get(keyword, "id"), None)
                entry[field[0]] = _unquote(text)
        elif line.startswith('"') and field is not None:
            if field[0] == "strs":
                entry["strs"][field[1]] += _unquote(line)
            else:
                entry[field[0]] += _unquote(line)
        else:
            raise AssertionError(f"{path}:{number}: cannot read {line!r}")
    return [entry for entry in entries if entry["id"] is not None]


def po_path(language):
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def mo_path(language):
    return LOCALE / language / "LC_MESSAGES" / "django.mo"


def catalogue(language):
    """The header and the messages (the header, msgid "", left out)."""
    entries = parse_po(po_path(language))
    header = [entry for entry in entries if entry["id"] == "" and entry["ctxt"] is None]
    assert len(header) == 1, f"{language}: the catalogue needs exactly one header"
    return header[0], [entry for entry in entries if entry is not header[0]]


def where(language, entry):
    return f"{po_path(language).relative_to(ROOT)}:{entry['line']} {entry['id']!r}"


def directives(text):
    """Named and positional printf directives, %% left out (it is a literal)."""
    found = [match for match in DIRECTIVE.finditer(text) if match.group() != "%%"]
    named = Counter(match.group() for match in found if match.group("name") is not None)
    positional = [match.group()[-1] for match in found if match.group("name") is None]
    return named, positional


# The strings the source marks ------------------------------------------------------------------

PY_SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
PY_PLURAL = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}
SOURCE_DIRS = ("countries", "netfree")
TEMPLATE_DIRS = ("templates", "countries")

TRANSLATE_TAG = re.compile(
    r"""{%\s*trans(?:late)?\s+(?P<quote>["'])(?P<text>.*?)(?P=quote)"""
    r"""(?:\s+context\s+(?P<cquote>["'])(?P<ctxt>.*?)(?P=cquote))?[^%]*%}""",
    re.S,
)
UNDERSCORE_IN_TEMPLATE = re.compile(r"""\b_\(\s*(?P<quote>["'])(?P<text>.*?)(?P=quote)\s*\)""")
BLOCK = re.compile(
    r"{%\s*blocktrans(?:late)?\b(?P<args>.*?)%}(?P<body>.*?){%\s*endblocktrans(?:late)?\s*%}", re.S
)
PLURAL_TAG = re.compile(r"{%\s*plural\s*%}")
VARIABLE = re.compile(r"{{\s*([\w.]+)\s*}}")


def _call_name(node):
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def python_messages():
    """(ctxt, msgid, msgid_plural, where) for each gettext call with literal strings."""
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                name = _call_name(node)
                place = f"{path.relative_to(ROOT)}:{node.lineno}"
                args = [_literal(arg) for arg in node.args]
                context = name.startswith(("pgettext", "npgettext")) if name else False
                if context:
                    ctxt, args = args[0], args[1:]
                else:
                    ctxt = None
                if name in PY_SINGULAR and args and args[0] is not None:
                    yield ctxt, args[0], None, place
                elif name in PY_PLURAL and len(args) >= 2 and None not in args[:2]:
                    yield ctxt, args[0], args[1], place


def _block_text(body, trimmed):
    text = VARIABLE.sub(lambda m: f"%({m.group(1)})s", body.replace("%", "%%"))
    if trimmed:
        text = re.sub(r"\s*\n\s*", " ", text.strip())
    return text


def template_messages():
    """(ctxt, msgid, msgid_plural, where) for each translate / blocktranslate in the templates."""
    paths = {path for folder in TEMPLATE_DIRS for path in (ROOT / folder).rglob("*.html")}
    for path in sorted(paths):
        source = path.read_text(encoding="utf-8")

        def place(offset, path=path, source=source):
            return f"{path.relative_to(ROOT)}:{source.count(chr(10), 0, offset) + 1}"

        for match in TRANSLATE_TAG.finditer(source):
            yield match.group("ctxt"), match.group("text"), None, place(match.start())
        for match in UNDERSCORE_IN_TEMPLATE.finditer(source):
            yield None, match.group("text"), None, place(match.start())
        for match in BLOCK.finditer(source):
            args, body = match.group("args"), match.group("body")
            trimmed = re.search(r"\btrimmed\b", args) is not None
            ctxt = re.search(r"""\bcontext\s+(["'])(.*?)\1""", args)
            parts = PLURAL_TAG.split(body)
            singular = _block_text(parts[0], trimmed)
            plural = _block_text(parts[1], trimmed) if len(parts) > 1 else None
            yield ctxt.group(2) if ctxt else None, singular, plural, place(match.start())


def source_messages():
    return [*python_messages(), *template_messages()]


# Tests -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_header_names_the_language_its_plural_forms_and_utf8(language):
    header, _entries = catalogue(language)
    fields = dict(line.split(": ", 1) for line in header["strs"][0].splitlines() if ": " in line)
    assert fields.get("Language") == language
    assert fields.get("Plural-Forms") == PLURAL_FORMS[language]
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"
    assert "fuzzy" not in header["flags"], "the header is still marked fuzzy"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy_or_obsolete(language):
    _header, entries = catalogue(language)
    assert len(entries) > 400, "the catalogue is nearly empty: was it regenerated from the root?"
    problems = []
    for entry in entries:
        if "fuzzy" in entry["flags"]:
            problems.append(f"{where(language, entry)}: fuzzy")
        if entry.get("obsolete"):
            problems.append(f"{where(language, entry)}: obsolete (#~), remove it")
        if not entry["strs"] or not all(text.strip() for text in entry["strs"].values()):
            problems.append(f"{where(language, entry)}: not translated")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_both_catalogues_hold_the_same_messages(language):
    def keys(lang):
        return {(e["ctxt"], e["id"], e["plural"]) for e in catalogue(lang)[1]}

    others = [other for other in LANGUAGES if other != language]
    for other in others:
        assert keys(language) == keys(other), f"{language} and {other} hold different msgids"


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_entries_have_as_many_forms_as_the_language(language):
    nplurals = int(re.search(r"nplurals=(\d+)", PLURAL_FORMS[language]).group(1))
    _header, entries = catalogue(language)
    plurals = [entry for entry in entries if entry["plural"] is not None]
    assert plurals, "no plural entries: the source has ngettext and blocktranslate count"
    wrong = [
        f"{where(language, entry)}: forms {sorted(entry['strs'])}"
        for entry in plurals
        if sorted(entry["strs"]) != list(range(nplurals))
    ]
    singular_with_forms = [
        where(language, entry)
        for entry in entries
        if entry["plural"] is None and sorted(entry["strs"]) != [0]
    ]
    assert not wrong, "\n".join(wrong)
    assert not singular_with_forms, "\n".join(singular_with_forms)


@pytest.mark.parametrize("language", LANGUAGES)
def test_placeholders_markup_and_article_markers_are_kept(language):
    """%(name)s, %d, %s, HTML tags and [[Article N]] come through unchanged.

    Every plural form carries the placeholders of msgid_plural, since each form but the English
    singular serves many numbers (Russian form 0 is 1, 21, 31…); positional directives must match
    exactly, or `%` raises. Entries marked no-python-format hold a literal %.
    """
    _header, entries = catalogue(language)
    problems = []
    for entry in entries:
        formatted = "no-python-format" not in entry["flags"]
        sources = [entry["id"]] if entry["plural"] is None else [entry["id"], entry["plural"]]
        reference = sources[-1]
        ref_named, ref_positional = directives(reference)
        allowed = set().union(*(directives(text)[0] for text in sources))
        for index, text in sorted(entry["strs"].items()):
            label = f"{where(language, entry)} msgstr[{index}]"
            if formatted:
                named, positional = directives(text)
                if missing := set(ref_named) - set(named):
                    problems.append(f"{label}: lost {sorted(missing)}")
                if unknown := set(named) - allowed:
                    problems.append(f"{label}: adds {sorted(unknown)}")
                if sorted(positional) != sorted(ref_positional):
                    problems.append(f"{label}: directives {positional} for {ref_positional}")
            if Counter(TAG.findall(text)) != Counter(TAG.findall(reference)):
                problems.append(f"{label}: HTML tags differ from the English")
            if Counter(ARTICLE_MARKER.findall(text)) != Counter(ARTICLE_MARKER.findall(reference)):
                problems.append(f"{label}: [[Article …]] markers differ from the English")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_says_what_the_po_says(language):
    """The .mo is not stale: compiled from the current .po (fuzzy entries would be missing)."""
    _header, entries = catalogue(language)
    with mo_path(language).open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    expected = {}
    for entry in entries:
        msgid = entry["id"] if entry["ctxt"] is None else f"{entry['ctxt']}\x04{entry['id']}"
        if entry["plural"] is None:
            expected[msgid] = entry["strs"][0]
        else:
            expected.update({(msgid, index): text for index, text in entry["strs"].items()})
    actual = {key: value for key, value in compiled._catalog.items() if key != ""}
    stale = sorted(str(key) for key in expected.keys() ^ actual.keys())
    changed = sorted(
        str(key) for key in expected.keys() & actual.keys() if expected[key] != actual[key]
    )
    assert not stale and not changed, (
        f"{mo_path(language).relative_to(ROOT)} is out of date; run compilemessages.\n"
        f"only in one of .po/.mo: {stale[:10]}\ndiffering: {changed[:10]}"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_msgfmt_accepts_the_catalogue(language, tmp_path):
    msgfmt = shutil.which("msgfmt")
    # scripts/run-tests installs GNU gettext when it is missing: never a silent skip.
    assert msgfmt is not None, "GNU gettext (msgfmt) is not installed: apt-get install gettext"
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(po_path(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    with (tmp_path / "django.mo").open("rb") as fresh, mo_path(language).open("rb") as shipped:
        assert gettext.GNUTranslations(fresh)._catalog == gettext.GNUTranslations(shipped)._catalog


def test_the_source_scan_finds_the_marked_strings():
    """Guards the next test: a broken scan would find nothing and pass."""
    found = source_messages()
    assert len({(ctxt, msgid, plural) for ctxt, msgid, plural, _ in found}) > 400
    assert any(plural for _c, _m, plural, place in found if ".html:" in place)
    assert any(plural for _c, _m, plural, place in found if ".py:" in place)
    assert (None, "Blocked sites", None) in {(c, m, p) for c, m, p, _ in found}
    assert any(m == "%(count)s country" and p == "%(count)s countries" for _c, m, p, _w in found)


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_covers_every_marked_string(language):
    _header, entries = catalogue(language)
    known = {(entry["ctxt"], entry["id"], entry["plural"]) for entry in entries}
    missing = sorted(
        f"{place}: {msgid!r}" + (f" / {plural!r}" if plural else "")
        for ctxt, msgid, plural, place in source_messages()
        if (ctxt, msgid, plural) not in known
    )
    assert not missing, f"not in {po_path(language).relative_to(ROOT)}; run makemessages:\n" + (
        "\n".join(missing)
    )


RUSSIAN_PLURALS = {1: "страна", 2: "страны", 5: "стран", 11: "стран", 21: "страна", 22: "страны"}


def test_django_reads_the_catalogues_beside_its_own(settings):
    """With the project's locale/ in LOCALE_PATHS, Django serves these strings and its own.

    Django's own ru catalogue has four plural forms and this one three; each keeps its own.
    """
    settings.LOCALE_PATHS = [LOCALE]
    with translation.override("ru"):
        assert translation.gettext("Blocked sites") == "Заблокированные сайты"
        for count, word in RUSSIAN_PLURALS.items():
            text = translation.ngettext("%(count)s country", "%(count)s countries", count)
            assert text % {"count": count} == f"{count} {word}"
        assert translation.gettext("Save") == "Сохранить"  # Django's admin catalogue
    with translation.override("kk"):
        assert translation.gettext("Net neutrality") == "Желі бейтараптығы"
        assert translation.ngettext("%(count)s site", "%(count)s sites", 5) == "%(count)s сайт"


def test_settings_point_at_the_catalogues_when_they_name_any():
    configured = [Path(path).resolve() for path in settings.LOCALE_PATHS]
    assert not configured or LOCALE.resolve() in configured
