"""A question bank's life: import, new draft, publish, retire. Each write is atomic and, when a
person did it, recorded in the admin history (LogEntry) of the bank version it touched."""

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.db import transaction
from django.utils import timezone

from assess.banks import BankError, bank_export, bank_import, bank_problems, next_version
from assess.models import Choice, Question, QuestionBank
from assess.selectors import clear_bank_cache


def _log(user, bank, flag, message):
    if user is not None:
        LogEntry.objects.log_actions(
            user_id=user.pk, queryset=[bank], action_flag=flag, change_message=message
        )


def _locked(bank):
    return QuestionBank.objects.select_for_update().get(pk=bank.pk)


def publish_problems(bank):
    """Every reason a bank version cannot be published, each with its path; empty if it can."""
    problems = bank_problems(bank_export(bank)) + misplaced_problems(bank)
    newer = (
        QuestionBank.objects.published()
        .filter(slug=bank.slug, version__gt=bank.version)
        .order_by("-version")
        .first()
    )
    if newer is not None:
        problems.append(
            f"bank.version: version {newer.version} of this bank is published already; "
            f"publishing version {bank.version} would not make it current. Create a new draft "
            f"from version {newer.version} instead"
        )
    return problems


def misplaced_problems(bank):
    """Parts of this bank version tied to a part of another version (which the export, and so
    the checks above, would not show): each would break the pages of both."""
    problems = [
        f'question "{code}": its section belongs to another bank version'
        for code in Question.objects.filter(bank=bank)
        .exclude(section__bank=bank)
        .values_list("code", flat=True)
    ]
    problems += [
        f'question "{code}": of another bank version, but in a section of this one'
        for code in Question.objects.filter(section__bank=bank)
        .exclude(bank=bank)
        .values_list("code", flat=True)
    ]
    problems += [
        f'question "{code}": shown only if a question of another bank version is answered'
        for code in Question.objects.filter(bank=bank, show_if_question__isnull=False)
        .exclude(show_if_question__bank=bank)
        .values_list("code", flat=True)
    ]
    problems += [
        f'choice "{code}" of question "{question}": its question belongs to another bank version'
        for code, question in Choice.objects.filter(bank=bank)
        .exclude(question__bank=bank)
        .values_list("code", "question__code")
    ]
    return problems


@transaction.atomic
def bank_import_document(
    *, data, user=None, status=QuestionBank.Status.DRAFT, as_next=False, source=""
):
    """Create a bank version from a document; `as_next` numbers it after the newest version."""
    bank = data.get("bank") if isinstance(data, dict) else None
    slug = bank.get("slug") if isinstance(bank, dict) else None
    version = next_version(slug) if as_next and isinstance(slug, str) else None
    bank = bank_import(data, status=status, version=version)
    _log(user, bank, ADDITION, f"Imported{' from ' + source if source else ''} as {bank}.")
    return bank


@transaction.atomic
def bank_new_draft(*, bank, user=None):
    """A deep copy of a version as the next draft version of the same bank."""
    bank = _locked(bank)
    if bank.is_draft:
        raise BankError([f"{bank} is a draft already: edit it directly."])
    draft = bank_import(
        bank_export(bank), status=QuestionBank.Status.DRAFT, version=next_version(bank.slug)
    )
    _log(user, draft, ADDITION, f"Created as a new draft from version {bank.version}.")
    return draft


@transaction.atomic
def bank_publish(*, bank, user=None):
    """Publish a draft after checking it; raises BankError listing every problem at once."""
    bank = _locked(bank)
    if not bank.is_draft:
        raise BankError([f"{bank} is not a draft, so it cannot be published again."])
    problems = publish_problems(bank)
    if problems:
        raise BankError(problems)
    bank.status = QuestionBank.Status.PUBLISHED
    bank.published_at = timezone.now()
    bank.save(update_fields=["status", "published_at"])
    # Published definitions are cached by id; start from a clean slate in this process.
    clear_bank_cache()
    _log(user, bank, CHANGE, f"Published version {bank.version}.")
    return bank


@transaction.atomic
def bank_retire(*, bank, user=None):
    """Hide a published version from new assessments; assessments on it keep it."""
    bank = _locked(bank)
    if not bank.is_published:
        raise BankError([f"{bank} is not published, so it cannot be retired."])
    bank.status = QuestionBank.Status.RETIRED
    bank.save(update_fields=["status"])
    clear_bank_cache()
    _log(user, bank, CHANGE, f"Retired version {bank.version}.")
    return bank
