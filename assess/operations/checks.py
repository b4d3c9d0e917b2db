"""Deployment checks of the operations room (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.checks.mail import NON_PRODUCTION_EMAIL_BACKENDS

from assess.operations.mail import DELIVERY


@register(Tags.mail, deploy=True)
def delivery_mailer_sends(app_configs, **kwargs):
    """The `default` mailer only queues; the one that sends is `delivery`, which Django's own
    check (mail.E001) does not look at."""
    backend = settings.MAILERS.get(DELIVERY, {}).get("BACKEND", "")
    if backend not in NON_PRODUCTION_EMAIL_BACKENDS:
        return []
    return [
        Error(
            f"EMAIL_BACKEND is {backend}: mail would never reach anyone.",
            hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST.",
            id="assess.E010",
        )
    ]
