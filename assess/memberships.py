"""Writes on who belongs to an organisation: e-mailed invitations, roles, removal.

Each is `<entity>_<action>`, keyword-only and atomic, like `assess.services`; each refusal is a
ServiceError whose message says what to do."""

from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from assess.models import Invitation, Membership, invitation_token_hash
from assess.services import ServiceError


@transaction.atomic
def invitations_send(*, organization, inviter, emails, role, accept_url):
    """Create one invitation per address and e-mail each its own link. `accept_url(token)`
    gives the absolute address of the link. Addresses already members are skipped and
    returned; a pending invitation to the same address is replaced by the new one."""
    members = {
        e.lower()
        for e in organization.members.filter(email__in=emails).values_list("email", flat=True)
    }
    sent, skipped = [], []
    expires = timezone.now() + timedelta(days=settings.INVITATION_DAYS)
    for email in emails:
        if email.lower() in members:
            skipped.append(email)
            continue
        organization.invitations.pending().filter(email__iexact=email).update(
            revoked_at=timezone.now()
        )
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
        send_mail(
            subject,
            render_to_string("assess/email/invitation.txt", context),
            None,
            [email],
        )
        sent.append(invitation)
    return sent, skipped


def invitation_for_token(token):
    """The invitation this link's token belongs to, whatever its state; None if none."""
    return (
        Invitation.objects.select_related("organization")
        .filter(token_hash=invitation_token_hash(token))
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
