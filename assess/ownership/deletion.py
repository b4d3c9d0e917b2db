"""Deleting an organisation and deleting an account.

An owner's request hides the organisation at once (`Organization.objects.for_user` and every
link into it leave it out) and keeps everything for `DELETION_GRACE_DAYS`, in which an owner
may restore it as it was. After that `manage.py cleanup` purges it: every row that names the
organisation or anything in it, and the accounts of the people who belonged to it alone, with
their sessions, sign-in records, throttles and admin-log entries. Rows that point at it are
found through Django's own deletion collector, so a model added later that references the
organisation (or a user) goes with it without this module knowing of it."""

import inspect
import json
from datetime import timedelta

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import router, transaction
from django.db.models import Q
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from assess.models import (
    AccessEvent,
    Assessment,
    DataExport,
    Membership,
    Organization,
    OrganizationDeletion,
    Participant,
    Throttle,
)
from assess.people import access_log
from assess.services import ServiceError
from assess.tasks import peer_releases_queue


def grace_period():
    return timedelta(days=settings.DELETION_GRACE_DAYS)


def names_match(organization, typed):
    """Whether what someone typed is the organisation's name (spaces around and case aside)."""
    return " ".join(typed.split()).casefold() == " ".join(organization.name.split()).casefold()


def only_people_of(organization):
    """The accounts that belong to this organisation and to no other: they go with it. Staff
    accounts stay (they run the site)."""
    theirs = Membership.objects.filter(organization=organization).values("user")
    elsewhere = Membership.objects.exclude(organization=organization).values("user")
    return get_user_model().objects.filter(pk__in=theirs, is_staff=False).exclude(pk__in=elsewhere)


# --- Deleting an organisation, and restoring it ----------------------------------------------


@transaction.atomic
def organization_delete_request(*, organization, user, typed_name, request=None, now=None):
    """Schedule the organisation's purge after the grace period; it disappears at once."""
    now = now or timezone.now()
    org = Organization.objects.select_for_update().get(pk=organization.pk)
    if not names_match(org, typed_name):
        raise ServiceError(
            _(
                "The name you typed does not match. Type the organisation's name exactly as "
                "it is shown to confirm."
            )
        )
    if OrganizationDeletion.objects.filter(organization=org).exists():
        raise ServiceError(_("This organisation is already scheduled for deletion."))
    if DataExport.objects.filter(organization=org).unfinished().exists():
        raise ServiceError(
            _(
                "An export of this organisation is being built. Wait until it is ready, "
                "download it if you need it, then delete."
            )
        )
    deletion = OrganizationDeletion.objects.create(
        organization=org, requested_by=user, requested_at=now, purge_after=now + grace_period()
    )
    access_log.record(
        request,
        org,
        AccessEvent.Action.DELETION_REQUESTED,
        f"purge after {deletion.purge_after:%Y-%m-%d %H:%M} UTC",
        user=user,
        purge_after=deletion.purge_after.isoformat(),
    )
    peer_releases_queue(org)
    return deletion


def pending_for_owner(user):
    """The organisations this user owns that wait for their purge, soonest first."""
    owned = Membership.objects.filter(user=user, role=Membership.Role.OWNER)
    return (
        OrganizationDeletion.objects.filter(organization__in=owned.values("organization"))
        .select_related("organization")
        .order_by("purge_after")
    )


@transaction.atomic
def organization_restore(*, deletion, user, request=None):
    """Cancel a pending deletion: the organisation is back as it was."""
    deletion = OrganizationDeletion.objects.select_for_update().filter(pk=deletion.pk).first()
    if deletion is None:
        raise ServiceError(_("This organisation is not scheduled for deletion any more."))
    org = deletion.organization
    deletion.delete()
    access_log.record(request, org, AccessEvent.Action.DELETION_CANCELLED, user=user)
    peer_releases_queue(org)
    return org


# --- The purge -----------------------------------------------------------------------------


def task_targets(task_path, args, kwargs, models):
    """[(model, pk)] a queued task's arguments point at: by the convention that an argument
    pointing at a row is named `<model>_id` (`assessment_id`, `export_id` for DataExport),
    the model being the one of `models` whose name ends so."""
    try:
        func = import_string(task_path).func
    except (ImportError, AttributeError):
        return []
    bound = inspect.signature(func).bind_partial(*args, **kwargs).arguments
    found = []
    for name, value in bound.items():
        if not name.endswith("_id"):
            continue
        stem = name.removesuffix("_id").replace("_", "")
        for model in models:
            if model._meta.model_name.endswith(stem):
                found.append((model, value))
    return found


def _collected(objects):
    """{model: set of primary keys} of every row that deleting `objects` deletes with them."""
    collected = {}
    for batch in objects:
        if not batch:
            continue
        collector = Collector(using=router.db_for_write(type(batch[0])))
        collector.collect(batch)
        for model, instances in collector.data.items():
            collected.setdefault(model, set()).update(o.pk for o in instances)
        for qs in collector.fast_deletes:
            collected.setdefault(qs.model, set()).update(qs.values_list("pk", flat=True))
    return collected


def _admin_log_delete(collected):
    for model, pks in collected.items():
        if not pks:
            continue
        ct = ContentType.objects.get_for_model(model, for_concrete_model=False)
        LogEntry.objects.filter(content_type=ct, object_id__in=[str(pk) for pk in pks]).delete()


def _tasks_delete(collected, markers):
    """The queue's rows whose arguments point at a row going, or mention a marker (the
    organisation's code, a person's address)."""
    gone = []
    for task in DBTaskResult.objects.only("id", "task_path", "args_kwargs").iterator():
        call = task.args_kwargs or {}
        targets = task_targets(
            task.task_path, call.get("args") or [], call.get("kwargs") or {}, list(collected)
        )
        if any(pk in collected[model] for model, pk in targets):
            gone.append(task.id)
            continue
        text = json.dumps(task.args_kwargs, default=str).casefold()
        if any(m in text for m in markers):
            gone.append(task.id)
    DBTaskResult.objects.filter(id__in=gone).delete()


def _sessions_clean(user_ids, markers):
    """Sessions signed in as one of these users go; other sessions lose any key whose value
    mentions a marker (the organisation chosen last, a participant's token)."""
    user_ids = {str(pk) for pk in user_ids}
    for session in Session.objects.iterator():
        data = session.get_decoded()
        if data.get("_auth_user_id") in user_ids:
            session.delete()
            continue
        kept = {
            k: v
            for k, v in data.items()
            if not any(m in json.dumps(v, default=str).casefold() for m in markers)
        }
        if kept != data:
            session.session_data = Session.objects.encode(kept)
            session.save(update_fields=["session_data"])


def _sign_in_records_delete(users):
    """django-axes's records and our throttles of these accounts (by address and by id)."""
    names = Q()
    keys = Q()
    for user in users:
        for name in {user.get_username(), user.email}:
            if name:
                names |= Q(username__iexact=name)
                keys |= Q(key__iendswith=f":{name}")
        keys |= Q(key=f"two-factor:{user.pk}")
    if not users:
        return
    for model in (AccessAttempt, AccessLog, AccessFailureLog):
        model.objects.filter(names).delete()
    Throttle.objects.filter(keys).delete()


def people_forget(users, markers=()):
    """Delete these accounts and everything that names them outside their organisations."""
    users = list(users)
    if not users:
        return
    markers = {*markers, *(u.email.casefold() for u in users if u.email)}
    _admin_log_delete(_collected([users]))
    _sessions_clean([u.pk for u in users], markers)
    _sign_in_records_delete(users)
    _tasks_delete({}, markers)
    for user in users:
        user.delete()


@transaction.atomic
def organization_purge(organization):
    """Delete the organisation, every row that points at it, and the accounts of the people
    who belonged to it alone, with everything that names them."""
    people = list(only_people_of(organization))
    participants = Participant.objects.filter(workshop__assessment__organization=organization)
    markers = {
        str(organization.code).casefold(),
        *(t.casefold() for t in participants.values_list("token", flat=True)),
    }
    collected = _collected([[organization], people])
    _admin_log_delete(collected)
    _tasks_delete(collected, markers)
    _sessions_clean([u.pk for u in people], markers)
    organization.delete()
    people_forget(people, markers)


def purge_due(now=None):
    """Purge every organisation whose grace period is over; how many went."""
    now = now or timezone.now()
    due = Organization.objects.filter(deletion__purge_after__lte=now)
    count = 0
    for org in due.iterator():
        organization_purge(org)
        count += 1
    return count


# --- Deleting one's own account --------------------------------------------------------------


def sole_owner_of(user):
    """The live organisations this user is the only owner of: handed over or deleted first."""
    # Two subqueries on Membership: counting owners after filtering on this user's
    # membership would count only theirs.
    owners = Membership.objects.filter(role=Membership.Role.OWNER)
    return list(
        Organization.objects.live()
        .filter(pk__in=owners.filter(user=user).values("organization"))
        .exclude(pk__in=owners.exclude(user=user).values("organization"))
        .order_by("name")
    )


@transaction.atomic
def account_delete(*, user, typed_email):
    """Delete the user's account. Results frozen with their name say "a former member"
    instead; the organisations they belonged to keep their answers, anonymised."""
    if " ".join(typed_email.split()).casefold() != (user.email or user.get_username()).casefold():
        raise ServiceError(
            _("The address you typed does not match. Type your e-mail address to confirm.")
        )
    sole = sole_owner_of(user)
    if sole:
        raise ServiceError(
            _(
                "You are the only owner of %(names)s. Make someone else an owner, or delete "
                "the organisation, before deleting your account."
            )
            % {"names": ", ".join(o.name for o in sole)}
        )
    former = _("a former member")
    for assessment in Assessment.objects.filter(submitted_by=user).iterator():
        if assessment.result:
            assessment.result = {**assessment.result, "submitted_by": former}
            assessment.save(update_fields=["result"])
    people_forget([user])
