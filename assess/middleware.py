"""A database that is briefly away (restarting, failing over, full) gets a clear 503 page
instead of a bare 500: nothing was saved, try again in a moment. Logged every time."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.defaults import bad_request

from assess.access import TwoFactorRequired

logger = logging.getLogger("assess.database")
logger_http = logging.getLogger("assess.http")

RETRY_AFTER = 5  # seconds


class DatabaseUnavailableMiddleware:
    """Turns OperationalError and InterfaceError raised by a view into a 503.

    The page does not touch the database (no user, no session): it is standalone. A
    background save (X-Save-Mode: background) gets the sentence as plain text, which the
    questionnaire's script shows while keeping everything typed."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error(
            "Database unavailable during %s %s: %s",
            request.method,
            request.path,
            exception,
            exc_info=exception,
        )
        message = _(
            "The database is not available right now, so nothing was saved. "
            "Try again in a moment; answers saved earlier are safe."
        )
        if request.headers.get("X-Save-Mode") == "background":
            response = HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
        else:
            response = HttpResponse(
                render_to_string("503.html", {"message": message}, request=None), status=503
            )
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response


class UnreadableBodyMiddleware:
    """A request body that cannot be decoded (a form declared charset=utf-16, say) gets the
    400 page, with DEBUG on as well as off: Django raises BadRequest when the view reads it,
    and DEBUG's error page then reads the body again and fails with a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            try:
                request.POST  # noqa: B018 -- parsed now, once; views read the same object
            except BadRequest as e:
                logger_http.warning("Unreadable request body on %s: %s", request.path, e)
                return bad_request(request, e)
        return self.get_response(request)


# The language a person chose with the switcher (or, signed in, their account's preference,
# copied here at sign-in): it outranks the cookie and the browser's Accept-Language.
SESSION_LANGUAGE = "language"


class SessionLanguageMiddleware:
    """After LocaleMiddleware: the session's chosen language, if it is one offered, replaces
    the guess from the cookie or Accept-Language. Reads the session only if the request
    brought one (no query for a visitor without a session)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            chosen = request.session.get(SESSION_LANGUAGE)
            if chosen and chosen != request.LANGUAGE_CODE and chosen in dict(settings.LANGUAGES):
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)


class TwoFactorPolicyMiddleware:
    """Sends to two-factor set-up a member of an organisation that requires it (the access
    helpers raise TwoFactorRequired) and, with ADMIN_REQUIRE_2FA, staff opening the admin."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.ADMIN_REQUIRE_2FA
            and request.path.startswith(reverse("admin:index"))
            and request.user.is_authenticated
            and request.user.is_staff
            and not request.user.is_verified()
        ):
            messages.warning(
                request, _("The admin requires two-factor authentication. Set it up to continue.")
            )
            return _to_setup(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, TwoFactorRequired):
            return None
        messages.warning(
            request,
            _(
                "%(name)s requires two-factor authentication for every member. "
                "Set it up to continue."
            )
            % {"name": exception.organization.name},
        )
        return _to_setup(request)


def _to_setup(request):
    target = request.get_full_path() if request.method == "GET" else ""
    query = "?" + urlencode({"next": target}) if target else ""
    return HttpResponseRedirect(reverse("two_factor_setup") + query)
