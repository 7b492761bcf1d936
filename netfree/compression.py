"""Compression of responses the page cache does not keep (countries.compression keeps the
cached ones): editors' pages, the admin, answers with a query or a session.

These may carry secrets (a CSRF token) beside text an attacker can reflect into them, the
setting of the BREACH attack. As Django's security guidance advises, they are compressed with
Django's GZipMiddleware, which pads each response with up to 100 random bytes ("Heal the
Breach"), while Django masks the CSRF token differently in every response; only gzip, whose
padding Django implements. Downloads (streamed files with validators of their own) and bodies
that are not text pass untouched.
"""

from django.middleware.gzip import GZipMiddleware

from countries.compression import best_encoding, compressible


class UncachedCompressionMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if response.streaming or not compressible(
            response.get("Content-Type", ""), response.content
        ):
            return response
        # Django's own check finds the word "gzip"; "gzip;q=0" refuses it.
        if best_encoding(request.headers.get("Accept-Encoding"), {"gzip"}) is None:
            return response
        return super().process_response(request, response)
