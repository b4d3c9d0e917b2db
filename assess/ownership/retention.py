"""How long things are kept (settings named *_RETENTION_*, README "Configuration",
docs/privacy.md), applied by `manage.py cleanup`. Each step takes `now`, so tests move the
clock instead of waiting."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q

from assess import vocabulary
from assess.models import (
    Answer,
    Assessment,
    DataExport,
    OutgoingMail,
    Participant,
    ReportPDF,
    TaskLogContext,
    Workshop,
)


@dataclass(frozen=True)
class Applied:
    workshops_anonymised: int = 0
    pdfs_expired: int = 0
    drafts_purged: int = 0
    exports_expired: int = 0
    mails_deleted: int = 0
    log_contexts_deleted: int = 0


def _days(name):
    return timedelta(days=getattr(settings, name))


def anonymised_snapshot(result, names):
    """The frozen result with each participant's name (`names`: name -> numbered name) put
    as the board shows hidden names, in every comment quoted."""
    if not result or not result.get("workshop"):
        return result
    texts = {
        lang: {**words, "workshop": _renamed(words.get("workshop"), names)}
        for lang, words in (result.get("texts") or {}).items()
    }
    renamed = {**result, "workshop": _renamed(result["workshop"], names)}
    if "texts" in result:
        renamed["texts"] = texts
    return renamed


def _renamed(workshop, names):
    if not workshop:
        return workshop

    def rename(comments):
        return [{**c, "by": names.get(c.get("by"), c.get("by"))} for c in comments]

    return {
        **workshop,
        "names_shown": False,
        "disagreements": [
            {**d, "comments": rename(d.get("comments", []))}
            for d in workshop.get("disagreements", [])
        ],
        "agreed_comments": [
            {**d, "comments": rename(d.get("comments", []))}
            for d in workshop.get("agreed_comments", [])
        ],
    }


@transaction.atomic
def workshop_anonymise(workshop):
    """Participants become "Participant 1", "Participant 2"... on the board, in their answers
    and in the frozen result; their own comments are deleted (they may name people)."""
    participants = list(Participant.objects.select_for_update().filter(workshop=workshop))
    numbered = vocabulary.participant_names(participants, show_names=False)
    names = {p.name: numbered[p.id] for p in participants}
    for p in participants:
        p.name = numbered[p.id]
        p.save(update_fields=["name"])
    Answer.objects.filter(participant__workshop=workshop).exclude(comment="").update(comment="")
    assessment = Assessment.objects.select_for_update().get(pk=workshop.assessment_id)
    if assessment.result:
        assessment.result = anonymised_snapshot(assessment.result, names)
        assessment.save(update_fields=["result"])
    Workshop.objects.filter(pk=workshop.pk).update(show_names=False, anonymised=True)


def apply(now):
    """Apply every retention setting as of `now`; what each step did."""
    names_cutoff = now - _days("WORKSHOP_NAMES_RETENTION_DAYS")
    closed = Workshop.objects.filter(
        status=Workshop.Status.CLOSED, closed_at__lt=names_cutoff, anonymised=False
    )
    workshops = 0
    for workshop in closed.iterator():
        workshop_anonymise(workshop)
        workshops += 1

    pdfs, _ = ReportPDF.objects.filter(
        rendered_at__lt=now - _days("REPORT_PDF_RETENTION_DAYS")
    ).delete()

    drafts_cutoff = now - _days("DRAFT_RETENTION_DAYS")
    drafts = (
        Assessment.objects.filter(status=Assessment.Status.DRAFT, updated__lt=drafts_cutoff)
        .annotate(last_answer=Max("answers__updated"))
        .filter(Q(last_answer__isnull=True) | Q(last_answer__lt=drafts_cutoff))
    )
    draft_count = Assessment.objects.filter(pk__in=list(drafts.values_list("pk", flat=True)))
    drafts_purged = draft_count.count()
    draft_count.delete()

    exports, _ = (
        DataExport.objects.filter(expires_at__lte=now)
        .exclude(status__in=[DataExport.Status.QUEUED, DataExport.Status.RUNNING])
        .delete()
    )

    # Sent and failed e-mails keep their recipients' addresses (for the failed list on the
    # members page, and to tell what went out); queued ones are still on their way.
    mails, _ = (
        OutgoingMail.objects.filter(created__lt=now - _days("MAIL_RETENTION_DAYS"))
        .exclude(status=OutgoingMail.Status.QUEUED)
        .delete()
    )
    # A task's log context is deleted when the task starts; a task pruned before it ran
    # leaves its context behind.
    contexts, _ = TaskLogContext.objects.filter(
        created__lt=now - _days("MAIL_RETENTION_DAYS")
    ).delete()
    return Applied(workshops, pdfs, drafts_purged, exports, mails, contexts)
