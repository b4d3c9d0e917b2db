"""The endpoints of /api/v1/. Each loads what it answers about through the calling token's
organisation (`_org`, `_assessment`), so no endpoint can forget whose data it serves; reads
of results go through the frozen snapshot, writes through assess/services.py."""

from datetime import datetime
from typing import Literal
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F
from django.db.models.fields.json import KT
from django.http import HttpResponse
from django.utils import translation
from ninja import Query, Router, Schema, Status

from assess import snapshot
from assess.api import schemas, webhooks
from assess.api.auth import TokenAuth, require_write
from assess.api.errors import Problem
from assess.models import AccessEvent, Assessment, QuestionBank, ReportPDF, Workshop
from assess.people import access_log
from assess.report import storage
from assess.selectors import answer_codes, answers_of, bank_view, hidden_codes
from assess.services import ServiceError, answers_hold, answers_save, assessment_start
from assess.services import assessment_submit as submit_assessment
from assess.tasks import FAILED, STOPPED, report_pdf_wanted

router = Router(auth=TokenAuth())

Language = Literal[tuple(code for code, _name in settings.LANGUAGES)]
ERRORS = dict.fromkeys((401, 403, 404, 422, 429), schemas.Problem)


def _org(request, code):
    org = request.auth.organization
    if org.code != code:
        raise Problem("not-found", "No organisation with this code is open to this token.")
    return org


def _assessment(request, code, *, with_result=True):
    found = Assessment.objects.filter(organization=request.auth.organization, code=code)
    if not with_result:
        found = found.without_result()
    assessment = found.select_related("organization", "bank").first()
    if assessment is None:
        raise Problem("not-found", "No assessment with this code is open to this token.")
    return assessment


def _summary(assessment, outcome=None):
    bank = getattr(assessment, "bank_slug", None)
    bank = f"{bank}@{assessment.bank_version}" if bank else None
    return {
        "code": str(assessment.code),
        "status": assessment.status,
        "kind": assessment.kind,
        "bank": bank or f"{assessment.bank.slug}@{assessment.bank.version}",
        "created": assessment.created,
        "submitted_at": assessment.submitted_at,
        "outcome": outcome,
    }


def _result(record):
    """The API's view of a frozen result (assess/snapshot.py), in the record's language."""
    return {
        "language": record.language,
        "rules_version": record.rules_version,
        "headline": record.headline,
        "outcome": record.outcome,
        "operational_depth": record.operational_depth or "",
        "normative_depth": record.normative_depth or "",
        "confidence": record.confidence,
        "provisional": record.provisional,
        "scores": {
            d: {
                "score": s["score"],
                "known_share": s["confidence"],
                "low": s.get("low", s["score"]),
                "high": s.get("high", s["score"]),
            }
            for d in record.dimensions
            for s in [record.scores[d]]
        },
        "reasons": [
            {
                "code": r.get("code", ""),
                "text": r.get("text", ""),
                "dimensions": r.get("dimensions")
                or ([r["dimension"]] if r.get("dimension") else []),
                "answers": [
                    {
                        "question": d.get("question", ""),
                        "text": d.get("text", ""),
                        "answer": d.get("answer", ""),
                        "points": d.get("points"),
                        "of": d.get("of"),
                    }
                    for d in r.get("drivers", ())
                ],
            }
            for r in record.reasons
        ],
        "caveats": [
            {k: str(c.get(k) or "") for k in ("code", "text", "source", "as_of")}
            for c in record.caveats
        ],
        "bodies": [
            {
                **{
                    k: str(a.get(k) or "")
                    for k in (
                        "slug",
                        "name",
                        "kind",
                        "track",
                        "level",
                        "role",
                        "summary",
                        "eligibility",
                        "cost",
                        "commitments",
                        "url",
                        "facts_as_of",
                    )
                },
                "sources": list(a.get("sources") or ()),
            }
            for a in record.alliances
        ],
        "plan": [
            {k: str(p.get(k) or "") for k in ("window", "action", "owner", "track", "status")}
            for p in record.plan
        ],
    }


# --- Reading -----------------------------------------------------------------------------


@router.get(
    "/orgs/{org}",
    response={200: schemas.OrganizationOut, **ERRORS},
    tags=["read"],
    summary="The organisation",
)
def organization(request, org: UUID):
    """The organisation the token belongs to."""
    found = _org(request, org)
    return {
        "code": str(found.code),
        "name": found.name,
        "sector": found.sector,
        "size_band": found.size_band,
        "headquarters": found.headquarters.code or "",
        "countries": [c.code for c in found.countries],
        "require_two_factor": found.require_two_factor,
    }


class AssessmentFilters(Schema):
    status: Literal["draft", "submitted"] | None = None
    kind: Literal["self", "workshop"] | None = None
    outcome: Literal["operational", "normative", "both", "hygiene_first"] | None = None
    submitted_after: datetime | None = None
    submitted_before: datetime | None = None
    limit: int = 50
    offset: int = 0


@router.get(
    "/orgs/{org}/assessments",
    response={200: schemas.AssessmentPage, **ERRORS},
    tags=["read"],
    summary="List assessments",
)
def assessments(request, org: UUID, filters: Query[AssessmentFilters]):
    """The organisation's assessments, newest first, a page at a time (limit at most 100)."""
    found = _org(request, org)
    errors = []
    if not 1 <= filters.limit <= 100:
        errors.append({"path": "query/limit", "message": "Give a limit from 1 to 100."})
    if filters.offset < 0:
        errors.append({"path": "query/offset", "message": "Give an offset of 0 or more."})
    if errors:
        raise Problem("invalid-request", errors=errors)
    # Only the columns a summary shows: a bank row carries its whole definition as JSON, and
    # a result is a few hundred kilobytes.
    rows = (
        Assessment.objects.filter(organization=found)
        .only("code", "status", "kind", "created", "submitted_at")
        .annotate(
            outcome=KT("result__outcome"),
            bank_slug=F("bank__slug"),
            bank_version=F("bank__version"),
        )
        .order_by("-created", "-id")
    )
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.outcome:
        rows = rows.filter(result__outcome=filters.outcome)
    if filters.submitted_after:
        rows = rows.filter(submitted_at__gte=filters.submitted_after)
    if filters.submitted_before:
        rows = rows.filter(submitted_at__lt=filters.submitted_before)
    page = rows[filters.offset : filters.offset + filters.limit]
    return {
        "count": rows.count(),
        "limit": filters.limit,
        "offset": filters.offset,
        "items": [_summary(a, a.outcome) for a in page],
    }


@router.get(
    "/assessments/{code}",
    response={200: schemas.AssessmentDetail, **ERRORS},
    tags=["read"],
    summary="One assessment and its frozen result",
)
def assessment_detail(request, code: UUID, lang: Language | None = None):
    """One assessment; a submitted one with its frozen result, its words in `lang` when they
    were frozen in it (else in the language it was submitted in)."""
    assessment = _assessment(request, code)
    result = None
    if not assessment.is_draft:
        record = snapshot.Snapshot.from_dict(assessment.result)
        result = _result(record.in_language(lang) if lang else record)
        access_log.record_assessment(request, assessment, AccessEvent.Action.API_READ)
    return {
        **_summary(assessment, assessment.result and assessment.result.get("outcome")),
        "result": result,
    }


@router.get(
    "/assessments/{code}/pdf",
    response={202: schemas.PdfPending, 409: schemas.Problem, 503: schemas.Problem, **ERRORS},
    tags=["read"],
    summary="The PDF report",
    openapi_extra={
        "responses": {
            200: {
                "description": "The PDF report",
                "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def assessment_pdf(request, code: UUID, lang: Language = "en"):
    """The PDF report in `lang`: 202 with Retry-After while it is being made, then the file."""
    assessment = _assessment(request, code, with_result=False)
    if assessment.is_draft:
        raise Problem("assessment-draft", "Submit the assessment to get its report.")
    with translation.override(lang):
        wanted = storage.source_hash(assessment)
        pdf = ReportPDF.objects.filter(
            assessment=assessment, language=lang, source_hash=wanted
        ).first()
        if pdf is None:
            status = report_pdf_wanted(assessment, wanted)
            if status.state in (FAILED, STOPPED):
                raise Problem("pdf-failed", "Ask for it again from the report page.")
            response = schemas.PdfPending(state=status.state, slow=status.slow)
            return Status(202, response)
        response = HttpResponse(bytes(pdf.content), content_type="application/pdf")
        response["Content-Disposition"] = storage.content_disposition(assessment)
    access_log.record_assessment(request, assessment, AccessEvent.Action.API_READ)
    return response


@router.get(
    "/bank",
    response={200: schemas.BankOut, 409: schemas.Problem, **ERRORS},
    tags=["read"],
    summary="The published question bank",
)
def bank(request, lang: Language = "en"):
    """The published question bank a new assessment would be answered on."""
    current = QuestionBank.objects.current()
    if current is None:
        raise Problem("no-published-bank")
    view = bank_view(current, lang)
    return {
        "slug": current.slug,
        "version": current.version,
        "name": view.definition.name,
        "language": lang,
        "sections": [
            {
                "code": s.code,
                "title": s.title,
                "questions": [
                    {
                        "key": q.code,
                        "text": q.text,
                        "kind": q.kind,
                        "required": q.required,
                        "show_if": (
                            {"question": q.show_if_code, "choices": list(q.show_if_choices)}
                            if q.show_if_code
                            else None
                        ),
                        "choices": [
                            {"code": c.code, "label": c.label, "is_unknown": c.is_unknown}
                            for c in q.choice_list
                        ],
                    }
                    for q in s.question_list
                ],
            }
            for s in view.sections
        ],
    }


@router.get(
    "/orgs/{org}/workshops",
    response={200: list[schemas.WorkshopOut], **ERRORS},
    tags=["read"],
    summary="List workshops",
)
def workshops(request, org: UUID):
    """The organisation's workshops, newest first, with how many took part."""
    found = _org(request, org)
    rows = (
        Workshop.objects.filter(assessment__organization=found)
        .select_related("assessment")
        .annotate(people=Count("participants"))
        .order_by("-created", "-id")
    )
    return [
        {
            "assessment": str(w.assessment.code),
            "status": w.status,
            "participants": w.people,
            "created": w.created,
            "closed_at": w.closed_at,
        }
        for w in rows
    ]


@router.get(
    "/assessments/{code}/answers",
    response={200: schemas.AnswersOut, **ERRORS},
    tags=["read"],
    summary="An assessment's answers",
)
def answers(request, code: UUID):
    """The assessment's own answers (a workshop's consensus), by question key."""
    assessment = _assessment(request, code, with_result=False)
    view = bank_view(assessment.bank, "en")
    saved = answers_of(assessment, view)
    access_log.record_assessment(request, assessment, AccessEvent.Action.API_READ)
    return _answers_body(saved)


def _answers_body(saved):
    """The answers as the API shows them, by question key: what `answers` reads and what a
    write returns."""
    return {
        "answers": {k: {"choices": a.choice_codes, "comment": a.comment} for k, a in saved.items()}
    }


# --- Writing -----------------------------------------------------------------------------


@router.post(
    "/orgs/{org}/assessments",
    response={201: schemas.AssessmentSummary, 409: schemas.Problem, **ERRORS},
    tags=["write"],
    summary="Create an assessment",
)
def assessment_create(request, org: UUID):
    """A new draft self-assessment on the published bank."""
    require_write(request.auth)
    found = _org(request, org)
    try:
        assessment = assessment_start(organization=found, user=request.auth.user)
    except ServiceError as e:
        raise Problem("no-published-bank", str(e)) from e
    return Status(201, _summary(assessment))


def _pointer(*parts):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _answer_errors(view, current, incoming):
    """Every way the answers sent do not fit the bank, each with the JSON Pointer to it."""
    errors = []
    for key, answer in incoming.items():
        question = view.by_code.get(key)
        if question is None:
            errors.append(
                {
                    "path": _pointer("answers", key),
                    "message": "The bank has no question with this key.",
                }
            )
            continue
        offered = {c.code for c in question.choice_list}
        for i, choice in enumerate(answer.choices):
            if choice not in offered:
                errors.append(
                    {
                        "path": _pointer("answers", key, "choices", i),
                        "message": f"The question offers no choice {choice!r}; it offers "
                        + ", ".join(c.code for c in question.choice_list)
                        + ".",
                    }
                )
        if len(set(answer.choices)) != len(answer.choices):
            errors.append(
                {"path": _pointer("answers", key, "choices"), "message": "A choice is repeated."}
            )
        if question.kind == "single" and len(answer.choices) > 1:
            errors.append(
                {
                    "path": _pointer("answers", key, "choices"),
                    "message": "This question takes one choice.",
                }
            )
    if errors:
        return errors
    merged = answer_codes(current)
    merged.update({key: tuple(a.choices) for key, a in incoming.items()})
    hidden = hidden_codes(view, {k: v for k, v in merged.items() if v})
    for key, answer in incoming.items():
        if key in hidden and (answer.choices or answer.comment):
            errors.append(
                {
                    "path": _pointer("answers", key),
                    "message": "This question does not apply given the answer to "
                    f"{view.by_code[key].show_if_code}.",
                }
            )
    return errors


@router.put(
    "/assessments/{code}/answers",
    response={200: schemas.AnswersOut, 409: schemas.Problem, **ERRORS},
    tags=["write"],
    summary="Set answers",
)
def answers_put(request, code: UUID, payload: schemas.AnswersIn):
    """Set the answers to the questions named (choice codes and a comment); questions not
    named keep their answers. All or nothing: one answer that does not fit refuses them all,
    each error with its path."""
    require_write(request.auth)
    assessment = _assessment(request, code, with_result=False)
    view = bank_view(assessment.bank, "en")
    values = {k: (tuple(a.choices), a.comment) for k, a in payload.answers.items()}
    try:
        with transaction.atomic():
            held = answers_hold(assessment=assessment, view=view)
            errors = _answer_errors(view, held.answers, payload.answers)
            if errors:
                raise Problem("invalid-answers", errors=errors)
            answers_save(assessment=assessment, values=values, view=view, held=held)
    except ServiceError as e:
        raise Problem("assessment-submitted", str(e)) from e
    access_log.record_assessment(request, assessment, AccessEvent.Action.API_WRITE)
    saved = answers_of(assessment, view)
    return _answers_body(saved)


@router.post(
    "/assessments/{code}/submit",
    response={200: schemas.AssessmentDetail, 409: schemas.Problem, **ERRORS},
    tags=["write"],
    summary="Submit an assessment",
)
def assessment_submit(request, code: UUID):
    """Submit the draft: its result is frozen, its PDF queued, and the organisation's
    webhooks told."""
    require_write(request.auth)
    assessment = _assessment(request, code)
    try:
        with translation.override("en"):
            done = submit_assessment(assessment=assessment, user=request.auth.user)
    except ServiceError as e:
        raise Problem("assessment-submitted", str(e)) from e
    access_log.record_assessment(request, done, AccessEvent.Action.API_WRITE)
    webhooks.announce(done.organization, webhooks.SUBMITTED, {"assessment": str(done.code)})
    record = snapshot.Snapshot.from_dict(done.result)
    return {**_summary(done, record.outcome), "result": _result(record)}
