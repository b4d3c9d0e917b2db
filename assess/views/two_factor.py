"""Two-factor authentication: the code step of sign-in, and setting up, renewing and turning
off an authenticator app and its recovery codes."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from assess.people import addresses, two_factor
from assess.people.forms import TwoFactorCodeForm, TwoFactorRenewForm
from assess.people.returning import answers_kept_message


def _safe_next(request, url):
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of sign-in: a code from the app, or a recovery code."""
    user, pending = two_factor.pending_user(request)
    if user is None:
        messages.info(request, _("Sign in with your e-mail address and password first."))
        return redirect("login")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.code_check(user, form.cleaned_data["code"])
        except two_factor.CodeLimitReached:
            form.add_error(
                "code",
                _(
                    "Too many wrong codes for this account. Wait 15 minutes, then try again "
                    "with the current code from your app or a recovery code."
                ),
            )
        else:
            if device is None:
                form.add_error(
                    "code",
                    _(
                        "That code is not right. Type the 6-digit code your app shows now, "
                        "or one of your recovery codes."
                    ),
                )
            else:
                del request.session[two_factor.PENDING]
                login(request, user, backend=pending["backend"])
                otp_login(request, device)
                if device.name == "recovery":
                    left = two_factor.recovery_codes_left(user)
                    messages.warning(
                        request,
                        _(
                            "You signed in with a recovery code; it cannot be used again. "
                            "%(left)s recovery codes are left."
                        )
                        % {"left": left},
                    )
                next_url = _safe_next(request, pending["next"])
                answers_kept_message(request, user, next_url)
                return redirect(next_url or "home")
    return render(request, "registration/two_factor_verify.html", {"form": form})


@login_required
@require_http_methods(["GET"])
def overview(request):
    return render(
        request,
        "registration/two_factor.html",
        {
            "enabled": two_factor.has_two_factor(request.user),
            "recovery_left": two_factor.recovery_codes_left(request.user),
            "address_verified": addresses.is_verified(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Show the QR code and the secret, and confirm with a first code from the app."""
    # The same key until it is confirmed: a reload must not break an app that scanned it.
    device = two_factor.totp_device_pending(request.user) or two_factor.totp_device_new(
        request.user
    )
    # Replacing an authenticator in use takes a current code, so a session left open is not
    # enough to lock the owner out.
    replacing = two_factor.has_two_factor(request.user) and not two_factor.recently_confirmed(
        request
    )
    form = TwoFactorCodeForm(request.POST or None, recovery=False, current=replacing)
    if request.method == "POST" and form.is_valid() and replacing:
        replacing = not _current_confirmed(request, form)
    if request.method == "POST" and form.is_valid() and not replacing:
        if two_factor.totp_device_confirm(device=device, code=form.cleaned_data["code"]):
            codes = two_factor.recovery_codes_new(request.user)
            otp_login(request, device)
            request.session[two_factor.RECOVERY_SHOWN] = codes
            messages.success(request, _("Two-factor authentication is on."))
            next_url = _safe_next(request, request.POST.get("next", ""))
            query = "?" + urlencode({"next": next_url}) if next_url else ""
            return redirect(reverse("two_factor_recovery") + query)
        form.add_error(
            "code",
            _(
                "That code does not match. Check that the app shows this account, then type "
                "the 6-digit code it shows now."
            ),
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_svg(device),
            "secret": two_factor.secret_base32(device),
            "next": _safe_next(request, request.POST.get("next") or request.GET.get("next", "")),
            # Organisations that require it and that this person could leave instead.
            "leavable": two_factor.memberships_requiring(request.user)
            if not request.user.is_verified()
            else [],
        },
    )


def _current_confirmed(request, form):
    """Whether the form's `current` field holds a current code; a form error if not."""
    try:
        if two_factor.confirm_current(request, form.cleaned_data["current"]):
            return True
    except two_factor.CodeLimitReached:
        form.add_error(
            "current",
            _(
                "Too many wrong codes for this account. Wait 15 minutes, then try again "
                "with the current code from your app or a recovery code."
            ),
        )
        return False
    form.add_error(
        "current",
        _(
            "That code is not right. Type the 6-digit code your current app shows now, or "
            "one of your recovery codes."
        ),
    )
    return False


@login_required
@require_http_methods(["GET"])
def recovery(request):
    """New recovery codes, shown once: they are taken out of the session as they are shown."""
    codes = request.session.pop(two_factor.RECOVERY_SHOWN, None)
    return render(
        request,
        "registration/two_factor_recovery.html",
        {
            "codes": codes,
            "enabled": two_factor.has_two_factor(request.user),
            "next": _safe_next(request, request.GET.get("next", "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def recovery_renew(request):
    """New recovery codes take a current code (the app's, or a recovery code)."""
    if not two_factor.has_two_factor(request.user):
        return redirect("two_factor")
    form = TwoFactorRenewForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _current_confirmed(request, form):
        request.session[two_factor.RECOVERY_SHOWN] = two_factor.recovery_codes_new(request.user)
        return redirect("two_factor_recovery")
    return render(request, "registration/two_factor_renew.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def disable(request):
    """Turning it off asks for a current code, so a session left open is not enough."""
    if not two_factor.has_two_factor(request.user):
        return redirect("two_factor")
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.code_check(request.user, form.cleaned_data["code"])
        except two_factor.CodeLimitReached:
            device = None
        if device is not None:
            two_factor.two_factor_disable(request.user)
            messages.success(request, _("Two-factor authentication is off."))
            return redirect("two_factor")
        form.add_error("code", _("That code is not right. Type the code your app shows now."))
    return render(request, "registration/two_factor_disable.html", {"form": form})
