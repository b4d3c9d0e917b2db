"""Single sign-on with OpenID Connect: the start (to the provider) and the callback."""

import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from assess.people import two_factor
from assess.people.sso import UNVERIFIED_ACCOUNT

log = logging.getLogger(__name__)


class _Callback(OIDCAuthenticationCallbackView):
    def get(self, request):
        try:
            return super().get(request)
        except requests.RequestException as e:
            # A code the provider refuses (forged, used, expired), or the provider is away.
            log.warning("Single sign-on failed at the provider: %s", e)
            return self.login_failure()
        except SuspiciousOperation as e:
            # A state this browser never started (a forged link, or a tab left from before).
            log.warning("Single sign-on callback refused: %s", e)
            return self.login_failure()

    def login_failure(self):
        if getattr(self.request, "sso_refusal", "") == UNVERIFIED_ACCOUNT:
            messages.error(
                self.request,
                _(
                    "An account with your address exists here, but its address was never "
                    "confirmed, so single sign-on cannot open it. Sign in to it with its "
                    "password and confirm the address from your account page, or ask an "
                    "administrator to remove it."
                ),
            )
            return redirect("login")
        messages.error(
            self.request,
            _(
                "Single sign-on did not complete, so you are not signed in. Try again, or "
                "sign in with your e-mail address and password."
            ),
        )
        return redirect("login")

    def login_success(self):
        if two_factor.has_two_factor(self.user):
            # The provider vouched for the person; their own second factor still applies.
            two_factor.pending_start(self.request, self.user, self.user.backend, self.success_url)
            return redirect("two_factor_verify")
        return super().login_success()


def _sso_on():
    if not settings.SSO_ENABLED:
        raise Http404


@require_safe
def start(request):
    _sso_on()
    return OIDCAuthenticationRequestView.as_view()(request)


@require_safe
def callback(request):
    _sso_on()
    return _Callback.as_view()(request)
