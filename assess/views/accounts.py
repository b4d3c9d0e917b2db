import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.i18n import set_language

from assess.languages import language_remember, offered
from assess.people import addresses, two_factor
from assess.people.forms import EmailAuthenticationForm, SignupCompleteForm, SignupForm
from assess.people.returning import answers_kept_message

log = logging.getLogger(__name__)


@require_http_methods(["GET", "POST"])
def signup(request):
    """Sign-up's first step: a link is mailed to the address. The answer is the same whether
    or not the address has an account (the mail says which)."""
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    # An invitee who had no account comes here from the sign-in page: keep where they were
    # going (an organisation invite, say).
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        addresses.signup_mail(request, email, next_url)
        ctx = {"email": email, "hours": settings.EMAIL_LINK_HOURS}
        return render(request, "registration/signup_sent.html", ctx)
    return render(request, "registration/signup.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def signup_complete(request, token):
    """Sign-up's second step, from the mailed link: the address is verified by it."""
    found = addresses.signup_from_token(token)
    if found is None:
        return _link_invalid(request)
    email, next_url = found
    if get_user_model().objects.filter(email__iexact=email).exists():
        messages.info(request, _("An account with this address exists already: sign in."))
        return redirect("login")
    if request.user.is_authenticated:  # as sign-up itself: signed in, there is nothing to do
        return redirect("home")
    form = SignupCompleteForm(request.POST or None, email=email)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = form.save()
                addresses.mark_verified(user, "link")
        except IntegrityError:  # the same link opened twice at once
            return redirect("login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}
        ):
            return redirect(next_url)
        messages.success(request, _("Welcome. Describe your organisation to begin."))
        return redirect("organization_new")
    return render(request, "registration/signup_complete.html", {"form": form, "email": email})


def _link_invalid(request):
    ctx = {"hours": settings.EMAIL_LINK_HOURS}
    return render(request, "registration/link_invalid.html", ctx, status=404)


@require_safe
def address_verify(request, token):
    """The link mailed to an existing account's address: the address is then verified."""
    user = addresses.user_from_verify_token(token)
    if user is None:
        return _link_invalid(request)
    addresses.mark_verified(user, "link")
    messages.success(
        request, _("Your e-mail address %(email)s is confirmed.") % {"email": user.email}
    )
    return redirect("home" if request.user == user else "login")


@login_required
@require_POST
def address_verify_send(request):
    """Mail the signed-in account a link that verifies its address."""
    if addresses.is_verified(request.user):
        return redirect("two_factor")
    addresses.verification_mail_or_message(request)
    return redirect("two_factor")


@require_POST
def language_set(request):
    """The language switcher's form: Django's set_language (the cookie, and back to `next`),
    and the choice kept in the session and, signed in, on the account."""
    language = offered(request.POST.get("language"))
    if language is None:  # Django knows more languages than we offer: change nothing
        next_url = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            next_url = "/"
        return redirect(next_url)
    language_remember(request, language)
    return set_language(request)


class EmailLoginView(LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs) | {"sso_enabled": settings.SSO_ENABLED}

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.has_two_factor(user):
            # The password was right; the sign-in finishes at the code step.
            two_factor.pending_start(self.request, user, user.backend, self.get_success_url())
            return redirect("two_factor_verify")
        response = super().form_valid(form)
        answers_kept_message(self.request, user, self.get_success_url())
        return response


def admin_login(request):
    """The admin signs in through our sign-in page, so its second step applies there too."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': next_url})}")


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this instead of the sign-in page once the limit is reached."""
    log.warning(
        "Sign-in refused: %r from %s is locked out after %s wrong passwords",
        (credentials or {}).get("username", ""),
        request.axes_ip_address,
        settings.AXES_FAILURE_LIMIT,
    )
    hours = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 3600))
    return render(
        request,
        "registration/locked_out.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "hours": hours},
        status=429,
    )
