from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_domain_name
from django.utils.translation import gettext_lazy as _

_http_url = URLValidator(schemes=["http", "https"])


def validate_url_or_domain(value):
    """Accept a web address (http or https) or a bare domain such as ``example.org``."""
    if "://" in value:
        try:
            _http_url(value)
        except ValidationError:
            raise ValidationError(
                _("Enter a web address starting with http:// or https://, or a bare domain."),
                code="invalid_url",
            ) from None
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
