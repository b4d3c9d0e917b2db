from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessConfig(AppConfig):
    name = "assess"
    verbose_name = _("Alliance readiness")

    def ready(self):
        # access_log, languages, peers, security connect their signal receivers; checks
        # registers the deployment checks.
        from assess.operations import checks as operations_checks  # noqa: F401
        from assess.operations import health
        from assess.people import access_log, checks, security  # noqa: F401

        health.register()  # the cache, the migrations and the task worker, on /health/
