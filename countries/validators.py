import re
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_domain_name
from django.utils.translation import gettext_lazy as _

_http_url = URLValidator(schemes=["http", "https"])


# Characters that make text read in another order than it is written: in an address shown to
# readers, they would make the link's text say another address than the link goes to.
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def validate_url_or_domain(value):
    """Accept a web address (http or https) or a bare domain such as ``example.org``."""
    if BIDI_CONTROLS.search(value):
        raise ValidationError(
            _("An address cannot hold characters that change the direction of text."),
            code="invalid_url",
        )
    if "://" in value:
        try:
            _http_url(value)
            parts = urlsplit(value)
            parts.port  # noqa: B018 -- raises ValueError when out of range
        except (ValidationError, ValueError):
            raise ValidationError(
                _("Enter a web address starting with http:// or https://, or a bare domain."),
                code="invalid_url",
            ) from None
        if parts.username is not None:
            raise ValidationError(
                _("A site's address cannot hold a user name or password."),
                code="invalid_url",
            )
        return
    try:
        validate_domain_name(value)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is neither a web address nor a domain such as example.org."),
            code="invalid_url",
            params={"value": value},
        ) from None
    if "." not in value:
        raise ValidationError(
            _("“%(value)s” is not a full domain; write it as example.org."),
            code="invalid_url",
            params={"value": value},
        )
