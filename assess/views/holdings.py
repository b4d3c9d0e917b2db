"""The alliances an organisation belongs to and the pledges it has signed: the list, recording
and changing one, removing one; and unsubscribing from their reminders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assess.access import get_org_for_user
from assess.holdings import held, reminders
from assess.holdings.forms import HoldingForm
from assess.models import AccessEvent, Holding, Membership
from assess.people import access_log

EDITORS = (Membership.Role.OWNER, Membership.Role.MEMBER)


def _role(request, org):
    return (
        Membership.objects.filter(organization=org, user=request.user)
        .values_list("role", flat=True)
        .first()
    )


def _editable_org(request, code):
    """The organisation if the user may edit its memberships (owners and members); 404 for
    outsiders, 403 for a consultant."""
    org = get_org_for_user(request, code)
    if _role(request, org) not in EDITORS:
        raise PermissionDenied
    return org


def _holding(org, pk):
    holding = Holding.objects.filter(organization=org, pk=pk).select_related("alliance").first()
    if holding is None:
        raise Http404
    return holding


@login_required
@require_safe
def holdings_list(request, code):
    org = get_org_for_user(request, code)
    ctx = {
        "org": org,
        "rows": held.rows(org),
        "can_edit": _role(request, org) in EDITORS,
    }
    return render(request, "assess/holdings.html", ctx)


def _log(request, org, action, holding):
    access_log.record(request, org, action, holding.body_name, body=holding.body_name)


@login_required
@require_http_methods(["GET", "POST"])
def holding_new(request, code):
    org = _editable_org(request, code)
    form = HoldingForm(request.POST or None, organization=org)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            holding = form.save(commit=False)
            holding.organization = org
            holding.save()
            _log(request, org, AccessEvent.Action.HOLDING_ADDED, holding)
        messages.success(request, _("%(name)s is recorded.") % {"name": holding.body_name})
        return redirect("holdings", org.code)
    return render(request, "assess/holding_form.html", {"org": org, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def holding_edit(request, code, pk):
    org = _editable_org(request, code)
    holding = _holding(org, pk)
    form = HoldingForm(request.POST or None, instance=holding, organization=org)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            _log(request, org, AccessEvent.Action.HOLDING_CHANGED, holding)
        messages.success(request, _("%(name)s is saved.") % {"name": holding.body_name})
        return redirect("holdings", org.code)
    ctx = {"org": org, "form": form, "holding": holding}
    return render(request, "assess/holding_form.html", ctx)


@login_required
@require_POST
def holding_delete(request, code, pk):
    org = _editable_org(request, code)
    holding = _holding(org, pk)
    with transaction.atomic():
        _log(request, org, AccessEvent.Action.HOLDING_REMOVED, holding)
        holding.delete()
    messages.success(request, _("%(name)s is removed.") % {"name": holding.body_name})
    return redirect("holdings", org.code)


@require_http_methods(["GET", "POST"])
def reminders_unsubscribe(request, token):
    """From the link in a reminder: no sign-in needed, the link is signed. A GET only asks,
    so a mail scanner that opens links unsubscribes nobody."""
    found = reminders.unsubscribe_target(token)
    if found is None:
        return render(request, "assess/reminders_unsubscribe.html", {"invalid": True}, status=404)
    user, org = found
    done = False
    if request.method == "POST":
        reminders.opt_out(user=user, organization=org)
        done = True
    ctx = {"org_name": org.name, "email": user.email, "done": done}
    return render(request, "assess/reminders_unsubscribe.html", ctx)
