from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessConfig(AppConfig):
    name = "assess"
    verbose_name = _("Alliance readiness")

    def ready(self):
        # access_log, languages, peers, security connect their signal receivers; checks
        # registers the deployment checks.
        from assess.people import access_log, checks, security  # noqa: F401
