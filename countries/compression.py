"""Compressed pages for readers on slow links, made once per page and content version.

The page cache (countries.cache) keeps a Brotli and a gzip copy beside each page it stores and
serves the best one the client accepts: compressing costs nothing per request. Cached pages are
anonymous and carry no secret (no CSRF token, no session: the cache never stores a response
that sets a cookie), so compressing them gives BREACH nothing to guess. Responses outside the
cache are compressed by netfree.compression, as Django's security guidance advises.
"""

import gzip

import brotli

# Text worth compressing; images and archives are compressed already.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/javascript",
    "image/svg+xml",
)
MIN_SIZE = 200  # bytes: below this, the headers outweigh what compression saves
# Preferred first: Brotli is about a fifth smaller than gzip on these pages.
ENCODINGS = ("br", "gzip")


def compressible(content_type, content):
    return len(content) >= MIN_SIZE and content_type.split(";")[0].strip().startswith(
        COMPRESSIBLE_TYPES
    )


def compressed_variants(content_type, content, smallest=True):
    """{"br": bytes, "gzip": bytes} for a compressible body (each kept only if smaller).

    `smallest`: Brotli's slowest, smallest quality (11: ~100 ms for the 115 KB home page), for
    pages kept in the shared cache, made once per content version for everyone. Pages a client
    can make at will (a new query string) get a quality twenty times cheaper and ~10% larger,
    so that cache-busting requests cannot buy much of the server's time.
    """
    if not compressible(content_type, content):
        return {}
    made = {
        "br": brotli.compress(content, quality=11 if smallest else 5),
        # mtime=0: the same page always compresses to the same bytes (a stable ETag's body).
        "gzip": gzip.compress(content, compresslevel=9 if smallest else 6, mtime=0),
    }
    return {name: body for name, body in made.items() if len(body) < len(content)}


def accepted_encodings(header):
    """The content codings an Accept-Encoding header accepts (q > 0), lowercase."""
    accepted, refused = set(), set()
    for item in header.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if not name:
            continue
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        (accepted if quality > 0 else refused).add(name)
    if "*" in accepted:
        accepted |= {name for name in ENCODINGS if name not in refused}
    return accepted - refused


def best_encoding(header, available):
    """The preferred encoding among `available` that the client accepts, or None (identity)."""
    accepted = accepted_encodings(header or "")
    return next((name for name in ENCODINGS if name in available and name in accepted), None)


def variant_etag(etag, encoding):
    """The ETag of one encoding of a representation: another body, another tag (RFC 9110)."""
    if encoding is None:
        return etag
    weak, tag = ("W/", etag[2:]) if etag.startswith("W/") else ("", etag)
    return f'{weak}"{tag.strip(chr(34))}-{encoding}"'
