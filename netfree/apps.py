from django.apps import AppConfig


class NetfreeConfig(AppConfig):
    """The project's own parts that need the app registry: the sign-in log's receivers."""

    name = "netfree"
    verbose_name = "netfree"

    def ready(self):
        from . import security  # noqa: F401 -- connects the sign-in log's receivers
