"""Who belongs to an organisation: e-mailed invitations, roles, removal, and the access log
that records who saw what."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from assess.access import get_org_for_user, require_owner, require_two_factor_policy
from assess.models import AccessEvent, Membership
from assess.operations.mail import mail_try_again
from assess.people import access_log, addresses
from assess.people.forms import InvitationForm
from assess.people.memberships import (
    invitation_accept,
    invitation_for_token,
    invitations_send,
    membership_change_role,
    membership_remove,
)
from assess.report.exports import csv_response
from assess.services import ServiceError

SESSION_ORG = "org"  # the same key as the dashboard's current organisation
Action = AccessEvent.Action


def _owned_org(request, code):
    org = get_org_for_user(request, code)
    require_owner(request, org)
    return org


def _membership(org, pk):
    membership = org.membership_set.select_related("user").filter(pk=pk).first()
    if membership is None:
        raise Http404
    return membership


def _invitations_report(request, org, result):
    for invitation in result.sent:
        detail = f"{invitation.email} as {invitation.role}"
        access_log.record(
            request, org, Action.INVITED, detail, email=invitation.email, role=invitation.role
        )
    if result.sent:
        messages.success(
            request,
            _(
                "Invitations made for %(emails)s; their e-mails are on their way. One that "
                "cannot be delivered is listed on this page."
            )
            % {"emails": ", ".join(i.email for i in result.sent)},
        )
    if result.members:
        messages.info(
            request,
            _("Already members, so not invited: %(emails)s.")
            % {"emails": ", ".join(result.members)},
        )
    if result.recent:
        messages.info(
            request,
            _(
                "Invited less than an hour ago, so not sent again: %(emails)s. Try again "
                "later to send a new invitation."
            )
            % {"emails": ", ".join(result.recent)},
        )


@login_required
@require_http_methods(["GET", "POST"])
def members(request, code):
    org = _owned_org(request, code)
    form = InvitationForm(request.POST or None)
    verified = addresses.is_verified(request.user)
    if request.method == "POST" and not verified:
        addresses.verification_mail_or_message(request)
        form.add_error(None, _("Confirm your own e-mail address before inviting anyone."))
    elif request.method == "POST" and form.is_valid():
        try:
            result = invitations_send(
                organization=org,
                inviter=request.user,
                emails=form.cleaned_data["emails"],
                role=form.cleaned_data["role"],
                accept_url=lambda token: request.build_absolute_uri(
                    reverse("invitation_accept", args=[token])
                ),
            )
        except ServiceError as e:
            form.add_error("emails", str(e))
        else:
            _invitations_report(request, org, result)
            return redirect("members", org.code)
    ctx = {
        "org": org,
        "form": form,
        "members": list(org.membership_set.select_related("user").order_by("created")),
        "invitations": list(org.invitations.pending().order_by("-created")),
        "failed_mails": list(org.outgoing_mail.failed().order_by("-last_attempt_at")[:50]),
        "roles": Membership.Role.choices,
        "invitation_days": settings.INVITATION_DAYS,
    }
    return render(request, "assess/members.html", ctx)


@login_required
@require_POST
def member_role(request, code, pk):
    org = _owned_org(request, code)
    membership = _membership(org, pk)
    try:
        old = membership_change_role(membership=membership, role=request.POST.get("role", ""))
    except ServiceError as e:
        messages.error(request, str(e))
        return redirect("members", org.code)
    if old != membership.role:
        email = membership.user.email
        detail = f"{email}: {old} to {membership.role}"
        access_log.record(
            request,
            org,
            Action.CHANGED_ROLE,
            detail,
            email=email,
            old_role=old,
            role=membership.role,
        )
    messages.success(
        request,
        _("%(email)s is now %(role)s.")
        % {"email": membership.user.email, "role": membership.role_phrase},
    )
    return redirect("members", org.code)


@login_required
@require_POST
def member_remove(request, code, pk):
    """An owner removes a member; anyone may leave (remove themselves)."""
    # Leaving needs no second factor, even where the organisation requires one: it shows
    # nothing of the organisation, and is the way out for someone who will not set it up.
    org = get_org_for_user(request, code, two_factor_policy=False)
    membership = _membership(org, pk)
    leaving = membership.user_id == request.user.id
    if not leaving:
        require_two_factor_policy(request, org)
        require_owner(request, org)
    try:
        membership_remove(membership=membership)
    except ServiceError as e:
        messages.error(request, str(e))
        return redirect("members" if not leaving else "dashboard", org.code)
    if leaving:
        access_log.record(request, org, Action.LEFT)
        messages.success(request, _("You left %(name)s.") % {"name": org.name})
        request.session.pop(SESSION_ORG, None)
        return redirect("home")
    email = membership.user.email
    access_log.record(request, org, Action.REMOVED, email, email=email)
    messages.success(request, _("%(email)s was removed.") % {"email": membership.user.email})
    return redirect("members", org.code)


@login_required
@require_POST
def mail_try_again_view(request, code, pk):
    """An owner asks for a mail that could not be delivered to be tried again."""
    org = _owned_org(request, code)
    mail = org.outgoing_mail.filter(pk=pk).first()
    if mail is None:
        raise Http404
    if mail_try_again(mail):
        messages.success(
            request,
            _("The e-mail to %(emails)s will be tried again.") % {"emails": mail.recipients},
        )
    return redirect("members", org.code)


@login_required
@require_POST
def invitation_revoke(request, code, pk):
    org = _owned_org(request, code)
    invitation = org.invitations.pending().filter(pk=pk).first()
    if invitation is not None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        access_log.record(
            request, org, Action.REVOKED_INVITATION, invitation.email, email=invitation.email
        )
        messages.success(
            request,
            _("The invitation to %(email)s is revoked; its link no longer works.")
            % {"email": invitation.email},
        )
    next_url = request.POST.get("next")
    return redirect("dashboard" if next_url == "dashboard" else "members", org.code)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept_view(request, token):
    invitation = invitation_for_token(token)
    if invitation is None or not invitation.is_pending:
        return render(request, "assess/invite_invalid.html", {"invitation": invitation}, status=404)
    org = invitation.organization
    error = None
    if request.method == "POST":
        try:
            _membership_made, created = invitation_accept(invitation=invitation, user=request.user)
        except ServiceError as e:
            error = str(e)
        else:
            if created:
                access_log.record(
                    request, org, Action.JOINED, f"as {invitation.role}", role=invitation.role
                )
            request.session[SESSION_ORG] = str(org.code)
            messages.success(request, _("You joined %(name)s.") % {"name": org.name})
            return redirect(org)
    ctx = {"invitation": invitation, "invited_to": org, "error": error}
    return render(request, "assess/invitation_accept.html", ctx, status=400 if error else 200)


@login_required
@require_safe
def access_log_page(request, code):
    org = _owned_org(request, code)
    events = org.access_events.order_by("-created", "-pk")
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    rows = [(e, access_log.describe(e), access_log.link(e)) for e in page.object_list]
    return render(
        request,
        "assess/access_log.html",
        {"org": org, "page": page, "rows": rows, "retention_days": settings.ACCESS_LOG_DAYS},
    )


@login_required
@require_safe
def access_log_csv(request, code):
    org = _owned_org(request, code)
    events = org.access_events.order_by("-created", "-pk").iterator()
    response = csv_response(access_log.as_csv(events), 'attachment; filename="access-log.csv"')
    access_log.record(request, org, Action.EXPORTED_LOG)
    return response


@login_required
@require_POST
def two_factor_policy(request, code):
    """An owner requires (or stops requiring) two-factor authentication of every member."""
    org = _owned_org(request, code)
    required = request.POST.get("require_two_factor") == "on"
    if required and not request.user.is_verified():
        messages.error(
            request,
            _(
                "Turn on two-factor authentication for your own account first, then require "
                "it of every member."
            ),
        )
        return redirect("members", code=org.code)
    if org.require_two_factor != required:
        org.require_two_factor = required
        org.save(update_fields=["require_two_factor"])
        access_log.record(
            request,
            org,
            Action.POLICY_CHANGED,
            "two-factor required" if required else "two-factor no longer required",
            two_factor_required=required,
        )
    if required:
        messages.success(request, _("Every member now needs two-factor authentication."))
    else:
        messages.success(request, _("Two-factor authentication is no longer required."))
    return redirect("members", code=org.code)
