"""Writes on who belongs to an organisation: e-mailed invitations, roles, removal.

Each is `<entity>_<action>`, keyword-only and atomic, like `assess.services`; each refusal is a
ServiceError whose message says what to do."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assess.models import (
    Invitation,
    Membership,
    Organization,
    OutgoingMail,
    UserPreference,
    invitation_token_hash,
)
from assess.operations.mail import mail_queue
from assess.people import addresses
from assess.services import ServiceError

log = logging.getLogger(__name__)


@dataclass
class InvitationsSent:
    sent: list = field(default_factory=list)  # the invitations made, their mail queued
    members: list = field(default_factory=list)  # addresses already members: not invited
    recent: list = field(default_factory=list)  # invited within the hour: not sent again


def _invitation_limit_problem(organization, inviter, count):
    """Why `count` more invitations would go over a daily limit, or ""."""
    since = timezone.now() - timedelta(days=1)
    by_inviter = Invitation.objects.filter(invited_by=inviter, created__gte=since).count()
    by_org = organization.invitations.filter(created__gte=since).count()
    if by_inviter + count > settings.INVITATIONS_PER_INVITER_DAY:
        left = max(0, settings.INVITATIONS_PER_INVITER_DAY - by_inviter)
        return _(
            "You can send %(limit)s invitations a day, and %(left)s more today: invite fewer "
            "people now, or the rest tomorrow."
        ) % {"limit": settings.INVITATIONS_PER_INVITER_DAY, "left": left}
    if by_org + count > settings.INVITATIONS_PER_ORGANIZATION_DAY:
        left = max(0, settings.INVITATIONS_PER_ORGANIZATION_DAY - by_org)
        return _(
            "This organisation can send %(limit)s invitations a day, and %(left)s more today: "
            "invite fewer people now, or the rest tomorrow."
        ) % {"limit": settings.INVITATIONS_PER_ORGANIZATION_DAY, "left": left}
    return ""


@transaction.atomic
def invitations_send(*, organization, inviter, emails, role, accept_url):
    """Create one invitation per address and queue a mail with its own link to each, in the
    language the address's account chose (the inviter's where it has none). `accept_url(token)`
    gives the absolute address of the link. Addresses already members are skipped; an address
    invited within the last hour is not sent another mail; otherwise a pending invitation to
    the same address is replaced by the new one. Over a daily limit (per inviter, per
    organisation) nothing is sent. The mail is sent by the task worker once this commits
    (assess.operations.mail): the mail server's answer never undoes an invitation."""
    # One invitation batch of an organisation at a time, so the limits hold under races.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    members = {
        e.lower()
        for e in organization.members.filter(email__in=emails).values_list("email", flat=True)
    }
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = {
        e.lower()
        for e in organization.invitations.filter(
            email__in=emails, created__gte=hour_ago
        ).values_list("email", flat=True)
    }
    result = InvitationsSent()
    to_send = []
    for email in emails:
        if email.lower() in members:
            result.members.append(email)
        elif email.lower() in recent:
            result.recent.append(email)
        else:
            to_send.append(email)
    problem = _invitation_limit_problem(organization, inviter, len(to_send))
    if problem:
        raise ServiceError(problem)
    expires = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    languages = _account_languages(to_send)
    for email in to_send:
        language = languages.get(email.lower()) or translation.get_language()
        with translation.override(language):
            result.sent.append(
                _invitation_send(organization, inviter, email, role, expires, accept_url)
            )
    return result


def _account_languages(emails):
    """The interface language each address's account chose, by lower-cased address."""
    chosen = UserPreference.objects.filter(user__email__in=emails).exclude(language="")
    return {e.lower(): lang for e, lang in chosen.values_list("user__email", "language")}


def _invitation_send(organization, inviter, email, role, expires, accept_url):
    organization.invitations.pending().filter(email__iexact=email).update(revoked_at=timezone.now())
    token = Invitation.new_token()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        token_hash=invitation_token_hash(token),
        invited_by=inviter,
        expires=expires,
    )
    context = {
        "invitation": invitation,
        "organization": organization,
        "inviter": inviter,
        "url": accept_url(token),
        "site_name": settings.SITE_NAME,
    }
    # One line whatever the organisation's name holds (names saved before they were
    # cleaned may have line breaks): a break in a subject is refused by the mail library.
    subject = " ".join(render_to_string("assess/email/invitation_subject.txt", context).split())
    mail_queue(
        to=[email],
        subject=subject,
        body=render_to_string("assess/email/invitation.txt", context),
        kind=OutgoingMail.Kind.INVITATION,
        organization=organization,
        invitation=invitation,
    )
    return invitation


def invitation_for_token(token):
    """The invitation this link's token belongs to, whatever its state; None if none."""
    return (
        Invitation.objects.select_related("organization")
        .filter(token_hash=invitation_token_hash(token), organization__deletion__isnull=True)
        .first()
    )


@transaction.atomic
def invitation_accept(*, invitation, user):
    """Make the user a member with the invited role; the link then stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ServiceError(_("This invitation has already been used, revoked or has expired."))
    if invitation.email.lower() != user.email.lower():
        raise ServiceError(
            _(
                "This invitation was sent to %(email)s. Sign in with that address to accept "
                "it, or ask for an invitation to your own."
            )
            % {"email": invitation.email}
        )
    # The link went to this address and only its account may accept: the address is shown
    # to be theirs.
    addresses.mark_verified(user, "invitation")
    membership, created = Membership.objects.get_or_create(
        user=user, organization=invitation.organization, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership, created


def _owners_left(membership):
    return (
        Membership.objects.select_for_update()
        .filter(organization=membership.organization_id, role=Membership.Role.OWNER)
        .exclude(pk=membership.pk)
        .count()
    )


@transaction.atomic
def membership_change_role(*, membership, role):
    if role not in Membership.Role.values:
        raise ServiceError(_("Choose a role from the list."))
    if (
        membership.role == Membership.Role.OWNER
        and role != Membership.Role.OWNER
        and not _owners_left(membership)
    ):
        raise ServiceError(
            _("An organisation needs at least one owner: make someone else an owner first.")
        )
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    return old


@transaction.atomic
def membership_remove(*, membership):
    if membership.role == Membership.Role.OWNER and not _owners_left(membership):
        raise ServiceError(
            _(
                "An organisation needs at least one owner: make someone else an owner before "
                "this owner leaves."
            )
        )
    membership.delete()
