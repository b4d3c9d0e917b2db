"""The archive of an organisation's data, or of one person's own data in it: a zip holding
`export.json` (the schema is docs/export-format.md, versioned by `SCHEMA_VERSION`), the CSVs
the pages offer and every stored PDF.

The archive is a list of sections. Each section names its key in the JSON, what it holds for
the whole organisation and what for one member, and any files it adds; a room with data of
its own registers a section with `@section(...)` and the archive carries it, with no change
here."""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone

from assess.models import (
    AccessEvent,
    Answer,
    ApiToken,
    Assessment,
    Holding,
    Invitation,
    Membership,
    Organization,
    Participant,
    ReportPDF,
    Workshop,
)
from assess.people import access_log
from assess.report import exports

SCHEMA = "alliance-readiness-export"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Scope:
    """What one archive covers: the whole organisation (person None), or one person's own."""

    organization: Organization
    person: object = None

    @property
    def whole(self):
        return self.person is None


@dataclass(frozen=True)
class Section:
    key: str
    data: object  # Scope -> JSON-able value, or None to leave the key out
    files: object = None  # Scope -> iterable of (path in the archive, bytes)


SECTIONS = []


def section(key, *, files=None):
    """Register `data(scope)` as the archive's section `key` (and `files(scope)` beside it)."""

    def register(data):
        if any(s.key == key for s in SECTIONS):
            raise ValueError(f"export section {key!r} registered twice")
        SECTIONS.append(Section(key, data, files))
        return data

    return register


def _when(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _user(user):
    return (user.email or user.get_username()) if user is not None else None


# --- The sections ------------------------------------------------------------------------------


@section("organization")
def _organization(scope):
    org = scope.organization
    return {
        "code": str(org.code),
        "name": org.name,
        "sector": org.sector,
        "size_band": org.size_band,
        "headquarters": org.headquarters.code or None,
        "countries": [c.code for c in org.countries],
        "peer_consent": org.peer_consent,
        "require_two_factor": org.require_two_factor,
        "created": _when(org.created),
    }


@section("account")
def _account(scope):
    if scope.whole:
        return None
    user = scope.person
    preference = getattr(user, "preference", None)
    verified = getattr(user, "verified_address", None)
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_joined": _when(user.date_joined),
        "last_login": _when(user.last_login),
        "language": preference.language if preference else "",
        "address_verified": _when(verified.verified_at) if verified else None,
    }


@section("members")
def _members(scope):
    rows = Membership.objects.filter(organization=scope.organization).select_related("user")
    if not scope.whole:
        rows = rows.filter(user=scope.person)
    return [
        {
            "email": m.user.email,
            "name": m.user.get_full_name(),
            "role": m.role,
            "since": _when(m.created),
        }
        for m in rows.order_by("created", "pk")
    ]


@section("invitations")
def _invitations(scope):
    if not scope.whole:
        return None
    rows = Invitation.objects.filter(organization=scope.organization).select_related(
        "invited_by", "accepted_by"
    )
    return [
        {
            "email": i.email,
            "role": i.role,
            "invited_by": _user(i.invited_by),
            "created": _when(i.created),
            "expires": _when(i.expires),
            "accepted_at": _when(i.accepted_at),
            "revoked_at": _when(i.revoked_at),
        }
        for i in rows.order_by("created", "pk")
    ]


def scope_assessments(scope):
    """The assessments an archive holds: all the organisation's, or those the person started
    or submitted."""
    rows = Assessment.objects.filter(organization=scope.organization)
    if not scope.whole:
        rows = rows.filter(Q(created_by=scope.person) | Q(submitted_by=scope.person))
    return rows.select_related("bank", "created_by", "submitted_by").order_by("created", "pk")


def _answers(assessment_ids):
    """{assessment id: [answer dicts]}: the assessment's own answers and each participant's."""
    by_assessment = {}
    rows = (
        Answer.objects.filter(assessment_id__in=assessment_ids)
        .select_related("question")
        .prefetch_related("choices")
        .order_by("assessment_id", "participant_id", "question__order", "pk")
    )
    for a in rows:
        by_assessment.setdefault(a.assessment_id, []).append(
            {
                "question": a.question.code,
                "choices": sorted(c.code for c in a.choices.all()),
                "comment": a.comment,
                "participant": a.participant_id,
                "updated": _when(a.updated),
            }
        )
    return by_assessment


@section("assessments")
def _assessments(scope):
    assessments = list(scope_assessments(scope))
    answers = _answers([a.pk for a in assessments])
    return [
        {
            "code": str(a.code),
            "kind": a.kind,
            "status": a.status,
            "bank": {"slug": a.bank.slug, "version": a.bank.version},
            "created_by": _user(a.created_by),
            "submitted_by": _user(a.submitted_by),
            "created": _when(a.created),
            "submitted_at": _when(a.submitted_at),
            "result": a.result,
            # A member's own archive holds the answer set they worked on, not colleagues'
            # answers in a workshop.
            "answers": [
                x for x in answers.get(a.pk, []) if scope.whole or x["participant"] is None
            ],
        }
        for a in assessments
    ]


@section("workshops")
def _workshops(scope):
    if not scope.whole:
        return None
    workshops = (
        Workshop.objects.filter(assessment__organization=scope.organization)
        .select_related("assessment", "facilitator")
        .order_by("created", "pk")
    )
    participants = {}
    for p in Participant.objects.filter(workshop__in=workshops).order_by("created", "pk"):
        participants.setdefault(p.workshop_id, []).append(
            {"id": p.pk, "name": p.name, "role": p.role, "joined": _when(p.created)}
        )
    return [
        {
            "assessment": str(w.assessment.code),
            "facilitator": _user(w.facilitator),
            "status": w.status,
            "show_names": w.show_names,
            "created": _when(w.created),
            "closed_at": _when(w.closed_at),
            "participants": participants.get(w.pk, []),
        }
        for w in workshops
    ]


@section("memberships_held")
def _memberships_held(scope):
    """The alliances and pledges the organisation records as held (assess/holdings)."""
    if not scope.whole:
        return None
    rows = Holding.objects.filter(organization=scope.organization).select_related(
        "alliance", "owner"
    )
    return [
        {
            "body": h.alliance.slug if h.alliance else None,
            "name": h.body_name,
            "since": _when(h.since),
            "depth": h.depth,
            "tier": h.tier,
            "annual_cost": str(h.annual_cost) if h.annual_cost is not None else None,
            "currency": h.currency or None,
            "renewal_date": _when(h.renewal_date),
            "owner_role": h.owner_role,
            "reminders_to": _user(h.owner),
            "contribution": h.contribution,
            "notes": h.notes,
            "created": _when(h.created),
            "updated": _when(h.updated),
        }
        for h in rows.order_by("created", "pk")
    ]


@section("api_tokens")
def _api_tokens(scope):
    """The API tokens made for the organisation: who made them and when; never the secret,
    which is not stored, nor its digest."""
    if not scope.whole:
        return None
    rows = ApiToken.objects.filter(organization=scope.organization).select_related("user")
    return [
        {
            "name": t.name,
            "scope": t.scope,
            "prefix": t.prefix,
            "made_by": _user(t.user),
            "created": _when(t.created),
            "expires": _when(t.expires),
            "last_used": _when(t.last_used),
            "revoked_at": _when(t.revoked_at),
        }
        for t in rows.order_by("created", "pk")
    ]


def _events(scope):
    rows = AccessEvent.objects.filter(organization=scope.organization)
    if not scope.whole:
        rows = rows.filter(user=scope.person)
    return rows.order_by("created", "pk")


@section("access_log")
def _access_log(scope):
    return [
        {
            "time": _when(e.created),
            "email": e.email,
            "action": e.action,
            "detail": e.detail,
            "data": e.data,
            "ip_address": e.ip_address,
        }
        for e in _events(scope)
    ]


def _csv_files(scope):
    for a in scope_assessments(scope).filter(status=Assessment.Status.SUBMITTED):
        yield f"csv/answers-{a.code}.csv", exports.answers_csv(a).encode()
    yield "csv/access-log.csv", access_log.as_csv(_events(scope)).encode()


def _pdf_files(scope):
    ids = scope_assessments(scope).values("pk")
    stored = (
        ReportPDF.objects.filter(assessment__in=ids)
        .select_related("assessment")
        .order_by("assessment__created", "language")
    )
    for pdf in stored.iterator(chunk_size=20):
        yield f"pdf/report-{pdf.assessment.code}-{pdf.language}.pdf", bytes(pdf.content)


SECTIONS.append(Section("_csv", lambda scope: None, _csv_files))
SECTIONS.append(Section("_pdf", lambda scope: None, _pdf_files))


# --- The archive -----------------------------------------------------------------------------


def document(scope, *, now=None, progress=None):
    """The JSON document, and the files beside it as (path, bytes) pairs.

    `progress(done, total)` is told after each section."""
    doc = {
        "schema": SCHEMA,
        "version": SCHEMA_VERSION,
        "exported_at": _when(now or timezone.now()),
        "scope": "organization" if scope.whole else "person",
    }
    files = []
    for done, s in enumerate(SECTIONS, start=1):
        value = s.data(scope)
        if value is not None:
            doc[s.key] = value
        if s.files is not None:
            files.extend(s.files(scope))
        if progress is not None:
            progress(done, len(SECTIONS))
    return doc, files


def archive(scope, *, now=None, progress=None):
    """The zip's bytes: export.json first, then the CSVs and PDFs."""
    doc, files = document(scope, now=now, progress=progress)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("export.json", json.dumps(doc, ensure_ascii=False, indent=2, default=str))
        for path, content in files:
            z.writestr(path, content)
    return out.getvalue()
