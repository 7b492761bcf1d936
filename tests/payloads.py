"""Hostile Markdown, and how to tell from parsed HTML that none of it can run.

Each payload comes with a piece of harmless text that must survive rendering: safety must not
cost the reader the editor's words.
"""

import html
import re
from html.parser import HTMLParser

# (name, Markdown source, text a reader must still see)
HOSTILE_INPUTS = [
    ("script tag", "<script>alert(1)</script> after", "after"),
    ("script with src", "<SCRIPT SRC=//evil.example/x.js></SCRIPT> after", "after"),
    ("img onerror", '<img src=x onerror="alert(1)"> after', "after"),
    ("svg onload", "<svg onload=alert(1)> after", "after"),
    ("script inside svg", "<svg><script>alert(1)</script></svg> after", "after"),
    ("math mutation", "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>", "math"),
    ("iframe javascript", '<iframe src="javascript:alert(1)"></iframe> after', "after"),
    ("object data", '<object data="javascript:alert(1)"></object> after', "after"),
    ("embed", "<embed src=//evil.example/x.swf> after", "after"),
    ("form action", '<form action="javascript:alert(1)"><button>go</button></form>', "go"),
    (
        "meta refresh",
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)"> after',
        "after",
    ),
    ("raw anchor", '<a href="javascript:alert(1)">click</a>', "click"),
    ("inline link", "[click](javascript:alert(1))", "click"),
    ("mixed-case scheme", "[click](JaVaScRiPt:alert(1))", "click"),
    ("entity-encoded scheme", "[click](&#106;avascript:alert(1))", "click"),
    ("hex entity scheme", "[click](&#x6A;&#x61;vascript:alert(1))", "click"),
    ("tab inside scheme", "[click](java&#x09;script:alert(1))", "click"),
    ("entity colon", "[click](javascript&colon;alert(1))", "click"),
    ("vbscript link", "[click](vbscript:msgbox(1))", "click"),
    (
        "data html link",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "click",
    ),
    ("image javascript", "![picture](javascript:alert(1)) after", "after"),
    ("image data svg", "![picture](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+) x", "x"),
    ("reference javascript", "[click][evil]\n\n[evil]: javascript:alert(1)", "click"),
    ("reference vbscript", "[click][evil]\n\n[evil]: VBSCRIPT:msgbox(1)", "click"),
    (
        "reference data",
        "[click][evil]\n\n[evil]: data:text/html,<script>alert(1)</script>",
        "click",
    ),
    ("autolink javascript", "<javascript:alert(1)> after", "after"),
    ("autolink data", "<data:text/html,alert(1)> after", "after"),
    ("href breakout", '[click](" onmouseover="alert(1))', "click"),
    ("title breakout", '[click](https://example.org "t\\" onmouseover=\\"alert(1)")', "click"),
    ("style attribute", '<p style="background:url(javascript:alert(1))">styled</p>', "styled"),
    ("style overlay", '<div style="position:fixed;inset:0">overlay</div>', "overlay"),
    ("style element", "<style>body{display:none}</style> after", "after"),
    ("unclosed tag", "<img src=x onerror=alert(1)// after", "after"),
    ("nested tags", "<<script>script>alert(1)<</script>/script> after", "after"),
    ("markdown inside html", '<a href="javascript:alert(1)">**bold**</a>', "bold"),
    ("html inside markdown", "**<img src=x onerror=alert(1)>** after", "after"),
    ("html inside table", "| a |\n|---|\n| <img src=x onerror=alert(1)> cell |", "cell"),
    ("link inside footnote", "Claim.[^1]\n\n[^1]: [source](javascript:alert(1))", "source"),
    ("base href", '<base href="https://evil.example/"> after', "after"),
    ("link stylesheet", "<link rel=stylesheet href=//evil.example/x.css> after", "after"),
    ("template", "<template><script>alert(1)</script></template> after", "after"),
    (
        "noscript mutation",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
        "noscript",
    ),
    ("comment breakout", "<!--><script>alert(1)</script>--> after", "after"),
    ("unknown tag handler", "<x onclick=alert(1)>click me</x>", "click me"),
    ("details ontoggle", "<details open ontoggle=alert(1)>details</details>", "details"),
    ("srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe> after', "after"),
]

FORBIDDEN_TAGS = {
    "applet", "base", "button", "embed", "form", "frame", "frameset", "iframe", "input", "link",
    "math", "meta", "noscript", "object", "script", "select", "style", "svg", "template",
    "textarea",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "cite", "background", "poster", "data"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)


def parse(fragment):
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    return collector.elements, " ".join(" ".join(collector.text).split())


def url_scheme(value):
    # What a browser would make of it: entities decoded, control characters and spaces dropped.
    cleaned = re.sub(r"[\x00-\x20]", "", html.unescape(value or "")).lower()
    match = re.match(r"^([a-z][a-z0-9+.-]*):", cleaned)
    return match.group(1) + ":" if match else ""


def script_capable(fragment):
    """Every reason this HTML could run script or restyle the page; empty when it is safe."""
    problems = []
    elements, _ = parse(fragment)
    for tag, attrs in elements:
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES:
                scheme = url_scheme(value)
                if scheme and scheme not in SAFE_SCHEMES:
                    problems.append(f"<{tag} {name}={value!r}>")
    return problems
