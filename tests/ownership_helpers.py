"""An organisation with a full life behind it (what an owner deleting it expects to go), and a
walk over every table of every installed app to find any row still naming it or its people."""

import json
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from assess.models import (
    AccessEvent,
    DataExport,
    Invitation,
    Membership,
    Organization,
    ReportPDF,
    Throttle,
    UserPreference,
    invitation_token_hash,
)
from assess.ownership.deletion import task_targets
from assess.services import answers_save, assessment_submit
from assess.tasks import report_pdf_queue
from tests.conftest import PASSWORD
from tests.workshop_helpers import team_workshop

SECRET_COMMENT = "Our SOC misses lateral movement"  # a comment only the victim wrote
PARTICIPANT_NAME = "Zoe Quartermaine"


@dataclass
class Life:
    org: Organization
    people: list  # accounts that belong to it alone
    markers: set = field(default_factory=set)  # strings that name it or its people


def lived_in(org, owner, member, client_factory, *, consultant=None):
    """Give `org` everything an organisation accumulates: a submitted assessment with
    comments and its stored PDF and render task, a closed workshop with a named participant,
    an invitation, access-log entries, sign-ins (sessions, django-axes records), a failed
    sign-in, throttles, a two-factor device, preferences, an admin-log entry, a data export
    with its task, and a participant's browser session. `consultant` also belongs elsewhere."""
    from assess.models import Assessment
    from assess.ownership import tasks as ownership_tasks

    assessment = Assessment.objects.create(organization=org, bank=_bank(), created_by=owner)
    answer_all(assessment, comment=SECRET_COMMENT)
    assessment = assessment_submit(assessment=assessment, user=owner)
    ReportPDF.objects.create(
        assessment=assessment, language="en", content=b"%PDF-1.7 stored", source_hash="x"
    )
    report_pdf_queue(assessment)

    workshop, people = team_workshop(
        org, owner, {PARTICIPANT_NAME: {"THR-01": ("confirmed", SECRET_COMMENT)}}
    )
    participant = people[PARTICIPANT_NAME]
    answers_save(assessment=workshop.assessment, values={"THR-01": (("none",), "")})

    Invitation.objects.create(
        organization=org,
        email="carol@invited.example",
        role=Membership.Role.MEMBER,
        token_hash=invitation_token_hash("t0k3n-victim"),
        invited_by=owner,
        expires=timezone.now() + timezone.timedelta(days=7),
    )
    UserPreference.objects.create(user=owner, language="fr")
    TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    Throttle.objects.create(
        key=f"two-factor:{owner.pk}", count=1, expires=timezone.now() + timezone.timedelta(1)
    )
    Throttle.objects.create(
        key=f"address-mail:{member.email}", count=1, expires=timezone.now() + timezone.timedelta(1)
    )
    # The site's admin edited it: the admin stays, the entry naming the organisation goes.
    admin, _ = get_user_model().objects.get_or_create(
        username="admin@site.example", defaults={"is_staff": True, "email": "admin@site.example"}
    )
    LogEntry.objects.create(
        user=admin,
        content_type=ContentType.objects.get_for_model(Organization),
        object_id=str(org.pk),
        object_repr=str(org),
        action_flag=CHANGE,
    )
    ownership_tasks.data_export_request(
        organization=org, user=owner, scope=DataExport.Scope.ORGANIZATION
    )

    for user in (owner, member, *([consultant] if consultant else [])):
        browser = client_factory()
        # A real sign-in: the session, django-axes's log and the organisation's access log.
        assert browser.post(
            "/accounts/login/", {"username": user.email, "password": PASSWORD}
        ).status_code in (200, 302)
        browser.get(org.get_absolute_url())
    failed = client_factory()
    failed.post("/accounts/login/", {"username": member.email, "password": "wrong"})
    participant_browser = client_factory()
    participant_browser.get(f"/w/{workshop.join_token}/")
    session = participant_browser.session
    session["workshop_participants"] = {str(workshop.pk): participant.token}
    session.save()

    AccessEvent.objects.create(
        organization=org, user=owner, email=owner.email, action="viewed_result", detail="x"
    )
    markers = {
        org.name,
        str(org.code),
        owner.email,
        member.email,
        SECRET_COMMENT,
        PARTICIPANT_NAME,
        participant.token,
        workshop.join_token,
        org.invite_token,
        f"two-factor:{owner.pk}",  # the throttle on two-factor codes names a person by id
    }
    return Life(org, [owner, member], {m.casefold() for m in markers})


def _bank():
    from assess.models import QuestionBank

    return QuestionBank.objects.current()


def all_models():
    return apps.get_models(include_auto_created=True)


def tainted(org, people):
    """{model: set of pks} of every row that is the organisation or one of its people, or
    points at one (through any chain of foreign keys), found by walking every model."""
    found = {Organization: {org.pk}, type(people[0]): {p.pk for p in people}}
    changed = True
    while changed:
        changed = False
        for model in all_models():
            for f in model._meta.concrete_fields:
                if not f.is_relation or f.related_model not in found:
                    continue
                target = found[f.related_model]
                pks = set(
                    model._default_manager.filter(**{f"{f.attname}__in": target}).values_list(
                        "pk", flat=True
                    )
                )
                new = pks - found.get(model, set())
                if new:
                    found.setdefault(model, set()).update(new)
                    changed = True
    return found


def _text(value):
    if isinstance(value, bytes | memoryview):
        return ""
    return json.dumps(value, default=str, ensure_ascii=False).casefold()


def _as_pk(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def rows_naming(fk_taint, markers):
    """Every row, in every table of every installed app, that is or points at a row of
    `fk_taint`, names one through a generic relation, or holds a marker in any field
    (sessions decoded): {model: {pk: why}}."""
    found = {}

    def note(model, pk, why):
        found.setdefault(model, {}).setdefault(pk, why)

    for model in all_models():
        gone = fk_taint.get(model, set())
        fields = model._meta.concrete_fields
        for row in model._default_manager.all().iterator():
            if row.pk in gone:
                note(model, row.pk, "is it, or points at it")
                continue
            for f in fields:
                value = getattr(row, f.attname)
                if f.is_relation:
                    if value in fk_taint.get(f.related_model, ()):
                        note(model, row.pk, f"{f.name} -> {value}")
                elif any(m in _text(value) for m in markers):
                    note(model, row.pk, f"{f.name} names it")
            ct_id, obj_id = getattr(row, "content_type_id", None), getattr(row, "object_id", None)
            if ct_id and obj_id not in (None, ""):
                target = ContentType.objects.get_for_id(ct_id).model_class()
                if _as_pk(obj_id) in fk_taint.get(target, ()):
                    note(model, row.pk, f"generic -> {target.__name__} {obj_id}")
            if hasattr(row, "task_path") and isinstance(row.args_kwargs, dict):
                call = row.args_kwargs
                targets = task_targets(
                    row.task_path, call.get("args") or [], call.get("kwargs") or {}, all_models()
                )
                if any(pk in fk_taint.get(model, ()) for model, pk in targets):
                    note(model, row.pk, "a task's arguments point at it")
            if isinstance(row, Session) and any(m in _text(row.get_decoded()) for m in markers):
                note(model, row.pk, "its data names it")
    return found


def all_rows():
    return {m: set(m._default_manager.values_list("pk", flat=True)) for m in all_models()}


def report(found):
    """Table by table: the rows found and why (for a failing assertion's message)."""
    return "\n".join(
        f"{model._meta.label}: {len(rows)} row(s): "
        + "; ".join(f"{pk} {why}" for pk, why in list(rows.items())[:5])
        for model, rows in sorted(found.items(), key=lambda i: i[0]._meta.label)
    )


def answer_all(assessment, *, comment=""):
    """Answer every question of the bank in the services layer."""
    from assess.selectors import bank_view

    view = bank_view(assessment.bank)
    for number, section in enumerate(view.sections, start=1):
        values = {}
        for q in section.question_list:
            known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
            values[q.code] = ((known[-1].code,), comment)
        answers_save(assessment=assessment, section_number=number, values=values)
