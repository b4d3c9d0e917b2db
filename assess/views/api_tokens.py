"""An organisation's API tokens: owners make them (the secret is shown once), see them all
and revoke them."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from assess.access import get_org_for_user, require_owner
from assess.api.forms import ApiTokenForm
from assess.api.tokens import api_token_create, api_token_revoke
from assess.models import AccessEvent, ApiToken
from assess.people import access_log


def _owned_org(request, code):
    org = get_org_for_user(request, code)
    require_owner(request, org)
    return org


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request, code):
    org = _owned_org(request, code)
    secret = None
    form = ApiTokenForm(request.POST or None, initial={"days": settings.API_TOKEN_DAYS})
    if request.method == "POST" and form.is_valid():
        token, secret = api_token_create(
            organization=org,
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            days=form.cleaned_data["days"],
        )
        access_log.record(
            request,
            org,
            AccessEvent.Action.API_TOKEN_MADE,
            f"{token.name} ({token.prefix}, {token.scope})",
            token=token.prefix,
            scope=token.scope,
        )
        form = ApiTokenForm(initial={"days": settings.API_TOKEN_DAYS})
    tokens = ApiToken.objects.filter(organization=org).select_related("user").order_by("-created")
    ctx = {"org": org, "form": form, "tokens": tokens, "secret": secret}
    response = render(request, "assess/api_tokens.html", ctx)
    # The page may carry a secret shown once: no cache may keep it.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_POST
def api_token_revoke_view(request, code, pk):
    org = _owned_org(request, code)
    token = ApiToken.objects.filter(organization=org, pk=pk).first()
    if token is None:
        raise Http404
    api_token_revoke(token=token)
    access_log.record(
        request,
        org,
        AccessEvent.Action.API_TOKEN_REVOKED,
        f"{token.name} ({token.prefix})",
        token=token.prefix,
    )
    messages.success(request, _("The token %(name)s no longer works.") % {"name": token.name})
    return redirect("api_tokens", org.code)
