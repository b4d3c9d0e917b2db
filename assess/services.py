"""Writes that touch several objects: `<entity>_<action>`, keyword-only, atomic."""

from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assess import rules, snapshot, vocabulary
from assess.holdings import held
from assess.holdings.prefill import answers as prefill_answers
from assess.models import (
    Answer,
    Assessment,
    Membership,
    Organization,
    Participant,
    QuestionBank,
    Workshop,
    new_short_code,
    new_token,
)
from assess.questionnaire import agreement
from assess.selectors import (
    SavedAnswer,
    answer_codes,
    answer_sheet,
    answers_of,
    applicable,
    bank_view,
    catalogue,
    catalogue_rows,
    participant_answers,
)
from assess.tasks import peer_releases_queue, report_pdf_queue


class ServiceError(Exception):
    """A write refused for a reason the person can act on; the message says what to do."""


@transaction.atomic
def organization_create(*, user, name, sector, size_band, countries, headquarters=""):
    org = Organization(
        name=name,
        sector=sector,
        size_band=size_band,
        countries=countries,
        headquarters=headquarters,
    )
    org.full_clean()
    org.save()
    Membership.objects.create(user=user, organization=org, role=Membership.Role.OWNER)
    return org


def assessment_start(*, organization, user, bank=None, prefill=True):
    """A new draft; with `prefill`, the answers the organisation's recorded memberships
    already give (holdings/prefill.py) are filled in."""
    bank = bank or QuestionBank.objects.current()
    if bank is None:
        raise ServiceError(
            _(
                "No question bank is published yet. Ask an administrator to "
                "publish one (make setup loads the default bank)."
            )
        )
    assessment = Assessment.objects.create(organization=organization, bank=bank, created_by=user)
    if prefill and (values := prefill_answers(held.rows(organization), bank_view(bank))):
        answers_save(assessment=assessment, values=values)
    return assessment


def _lock_draft(assessment):
    """Re-read the assessment under a lock; refuse if it was submitted meanwhile."""
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if not locked.is_draft:
        raise ServiceError(
            _(
                "This assessment was submitted, so its answers can no longer "
                "change. Copy it into a new draft to re-assess."
            )
        )
    return locked


def _lock_participant(participant, assessment):
    """Re-read a participant under a lock (two tabs saving at once take turns) and its
    workshop under a lock that the workshop's other savers share; refuse if the workshop was
    closed or the assessment submitted meanwhile.

    On PostgreSQL, one query: the participant FOR NO KEY UPDATE, the workshop FOR SHARE. The
    workshop's row is what guards the end of saving: closing it is an UPDATE, and submit
    takes it FOR UPDATE before the assessment (`assessment_submit`), so both wait for the
    saves under way and every later save reads it closed. The savers never wait for each
    other (issue #34: a lock on the assessment that conflicted with itself made the 25
    participants of a workshop save one at a time)."""
    if connection.vendor == "postgresql":
        locked = next(
            iter(
                Participant.objects.raw(
                    "SELECT p.*, w.status AS workshop_status FROM assess_participant p "
                    "JOIN assess_workshop w ON w.id = p.workshop_id WHERE p.id = %s "
                    "FOR NO KEY UPDATE OF p FOR SHARE OF w",
                    [participant.pk],
                )
            )
        )
        is_open = locked.workshop_status == Workshop.Status.OPEN
    else:  # SQLite: one writer at a time, so no row locks to take
        locked = (
            Participant.objects.select_for_update()
            .select_related("workshop")
            .get(pk=participant.pk)
        )
        is_open = locked.workshop.is_open
    if not is_open or not assessment.is_draft:
        raise ServiceError(vocabulary.workshop_closed())
    return locked


@dataclass
class HeldAnswers:
    """Answers read under the save's locks (`answers_hold`): the page validates its form on
    them and `answers_save` writes from them, so a save reads its answers once."""

    assessment: Assessment
    participant: Participant | None
    answers: dict  # question code -> SavedAnswer, as `selectors.answers_of` gives them
    rows: dict  # question id -> (answer id, comment, frozenset of choice ids)


def answers_hold(*, assessment, view, participant=None):
    """Take the locks a save needs and read the answers under them, inside the caller's
    transaction (`transaction.atomic`): the assessment's own answers lock the assessment
    (FOR UPDATE, as submit does); a participant's lock the participant and share the
    workshop (`_lock_participant`). Refuses with a ServiceError once saving has ended."""
    if participant is None:
        locked = _lock_draft(assessment)
    else:
        locked = assessment
        participant = _lock_participant(participant, assessment)
    rows, answers = {}, {}
    found = Answer.objects.filter(assessment=locked, participant=participant).values_list(
        "id", "question_id", "comment", "choices"
    )
    for answer_id, question_id, comment, choice_id in found:
        q = view.by_id.get(question_id)
        if q is None:
            continue
        _id, _comment, chosen = rows.setdefault(question_id, (answer_id, comment, set()))
        if view.choice_by_id.get(choice_id) is not None:
            chosen.add(choice_id)
    for question_id, (answer_id, comment, chosen) in rows.items():
        q = view.by_id[question_id]
        picked = [c.code for c in q.choice_list if c.id in chosen]
        answers[q.code] = SavedAnswer(picked, comment)
        rows[question_id] = (answer_id, comment, frozenset(chosen))
    return HeldAnswers(locked, participant, answers, rows)


def answers_save(
    *, assessment, values, section_number=None, participant=None, view=None, held=None
):
    """Save answers: values maps question code -> (choice codes, comment).

    With a section number, only that section's questions may be in values; without one (the
    workshop consensus) any question of the bank may. With a participant, the answers are
    that participant's own; otherwise they are the assessment's. A question left blank with
    no comment is removed rather than stored empty; questions not in values are untouched;
    an answer whose choices and comment stay the same is not written.

    `held` is `answers_hold`'s answers, read under its locks in the caller's transaction
    (the questionnaire's page validates its form on them): the save writes in that
    transaction. Without it, the save takes the locks and reads in a transaction of its
    own."""
    view = view or bank_view(assessment.bank)
    if held is not None:
        return _answers_write(view, held, values, section_number, assessment)
    with transaction.atomic():
        held = answers_hold(assessment=assessment, view=view, participant=participant)
        return _answers_write(view, held, values, section_number, assessment)


def _answers_write(view, held, values, section_number, assessment):
    locked, participant = held.assessment, held.participant
    if section_number is None:
        questions = view.questions
    else:
        questions = view.section(section_number).question_list
    unknown = set(values) - {q.code for q in questions}
    if unknown:
        raise ServiceError(_("Some answers belong to questions that are not in this section."))
    values, hidden = _applicable_values(view, held.answers, values)
    questions = [q for q in questions if q.code in values]
    existing = held.rows
    through = Answer.choices.through
    now = timezone.now()
    to_create, to_update, to_delete, relinked, links = [], [], [], [], []
    for q in questions:
        chosen, comment = values[q.code]
        choice_ids = [c.id for c in q.choice_list if c.code in set(chosen)]
        old = existing.get(q.id)
        if not choice_ids and not comment:
            if old:
                to_delete.append(old[0])
            continue
        if old is None:
            answer = Answer(assessment=locked, question=q, participant=participant, comment=comment)
            to_create.append(answer)
            links.append((answer, choice_ids))
            continue
        answer_id, old_comment, old_choices = old
        if old_comment == comment and old_choices == frozenset(choice_ids):
            continue
        to_update.append(Answer(id=answer_id, comment=comment, updated=now))
        if old_choices != frozenset(choice_ids):
            relinked.append(answer_id)
            links.append((to_update[-1], choice_ids))
    to_delete += [existing[qid][0] for qid in hidden if qid in existing]
    if to_delete:
        Answer.objects.filter(id__in=to_delete).delete()
    if to_create:
        Answer.objects.bulk_create(to_create)
    if to_update:
        Answer.objects.bulk_update(to_update, ["comment", "updated"])
    if relinked:
        through.objects.filter(answer_id__in=relinked).delete()
    new_links = [through(answer_id=a.id, choice_id=cid) for a, ids in links for cid in ids]
    if new_links:
        through.objects.bulk_create(new_links)
    if participant is not None:
        # Always written, so `updated` says when the participant's answers last changed:
        # the board keeps what it computed from a participant's answers until then.
        if section_number is not None:
            participant.last_section = section_number
        participant.save(update_fields=["last_section", "updated"])
    elif section_number is not None:
        locked.last_section = section_number
        locked.save(update_fields=["last_section", "updated"])
        assessment.last_section = section_number
    return locked


def _applicable_values(view, current, values):
    """(values without the questions that the answers, as they will be after this save, hide;
    the ids of every hidden question). Those answers are never stored: a question hidden by
    a condition has no answer, whichever questionnaire (self-assessment, participant,
    preview, consensus) sent one, and an answer stored before it was hidden is removed."""
    merged = answer_codes(current)
    for code, (chosen, _comment) in values.items():
        merged[code] = tuple(chosen)
    shown = applicable(view, {code: c for code, c in merged.items() if c})
    hidden = {
        q.id
        for q in view.questions
        if not rules.is_visible(view.definition.question(q.code), view.definition, shown)
    }
    hidden_codes = {view.by_id[qid].code for qid in hidden}
    return {c: v for c, v in values.items() if c not in hidden_codes}, hidden


def assessment_evaluate(
    assessment, *, with_sensitivity=True, view=None, answers=None, alliances=None
):
    """The result for the current answers, without saving anything. `alliances`: the
    catalogue's rows when already read."""
    view = view or bank_view(assessment.bank)
    if answers is None:
        answers = answers_of(assessment, view)
    return rules.evaluate(
        view.definition,
        answer_codes(answers),
        assessment.organization.profile(),
        catalogue(rows=alliances),
        with_sensitivity=with_sensitivity,
    )


@transaction.atomic
def assessment_submit(*, assessment, user):
    if assessment.kind == Assessment.Kind.WORKSHOP:
        # The workshop's row before the assessment's: its participants' saves hold it
        # shared (`_lock_participant`), so the submit waits for the saves under way, and
        # the saves that come after it find the workshop closed. In this order a save,
        # whose foreign keys take the assessment's row at COMMIT, never waits for a submit
        # that waits for it.
        Workshop.objects.select_for_update(of=("self",)).filter(assessment_id=assessment.pk).first()
    locked = _lock_draft(assessment)
    locked.organization = assessment.organization
    locked.result = assessment_snapshot(locked, user).to_dict()
    locked.status = Assessment.Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.submitted_by = user
    locked.full_clean()
    locked.save()
    if locked.kind == Assessment.Kind.WORKSHOP:
        workshop = Workshop.objects.filter(assessment=locked).first()
        if workshop is not None and workshop.is_open:
            workshop_close(workshop=workshop)
    # The PDF is made by a worker; the queued task commits with the submission.
    report_pdf_queue(locked)
    peer_releases_queue(locked.organization)
    return locked


def assessment_snapshot(assessment, user):
    """The frozen result (`assess.snapshot`): the rules' result with the organisation, the
    answers as shown, the workshop's disagreement and the map's regions, its words in the
    active language and in every other language the site offers. The rules' search for what
    would change the result runs once, and the database is read once: the answers, the
    catalogue and the workshop's participants; only the words are written again per language
    (the rules' pure evaluation, without the search, runs again for its reasons' words)."""
    main = translation.get_language() or settings.LANGUAGE_CODE
    view = bank_view(assessment.bank)
    answers = answers_of(assessment, view)
    reads = {
        "answers": answers,
        "alliances": catalogue_rows(),
        "team": _workshop_reads(assessment, view)
        if assessment.kind == Assessment.Kind.WORKSHOP
        else None,
    }
    data = _snapshot_words(assessment, user, reads, with_sensitivity=True)
    data["map"] = rules.frozen_map(data).to_dict()
    # Matching reads no words: the other languages word only the bodies the result named
    # (recommended, related or absent with a reason), not the whole catalogue again.
    named = {a["slug"] for part in ("alliances", "related", "excluded") for a in data[part]}
    reads["alliances"] = [a for a in reads["alliances"] if a.slug in named]
    data["texts"] = {}
    for code, _name in settings.LANGUAGES:
        if code == main:
            continue
        with translation.override(code):
            words = _snapshot_words(assessment, user, reads, with_sensitivity=False)
            view = bank_view(assessment.bank)
            words["sensitivity"] = rules.reworded(
                view.definition, answer_codes(answers), data["sensitivity"]
            )
        data["texts"][code] = {part: words[part] for part in snapshot.TEXT_PARTS}
    data.update(version=snapshot.VERSION, language=main)
    return snapshot.Snapshot.from_dict(data)


def _snapshot_words(assessment, user, reads, *, with_sensitivity):
    """The rules' result and everything else the snapshot says, in the active language, from
    what `assessment_snapshot` read."""
    view = bank_view(assessment.bank)
    answers = reads["answers"]
    result = assessment_evaluate(
        assessment,
        view=view,
        answers=answers,
        alliances=reads["alliances"],
        with_sensitivity=with_sensitivity,
    ).as_dict()
    org = assessment.organization
    result["organization"] = {
        "name": org.name,
        "sector": org.sector,
        "sector_label": str(org.get_sector_display()),
        "size_band": org.size_band,
        "size_label": str(org.get_size_band_display()),
        "countries": [c.code for c in org.countries],
        "country_names": [str(c.name) for c in org.countries],
    }
    result["submitted_by"] = user.get_full_name() or user.email or user.get_username()
    result["kind"] = assessment.kind
    # Answers cannot change after submit, but the bank's wording could be edited in a draft
    # clone; freezing them here keeps the report's appendix as it was answered.
    result["answers"] = answer_sheet(view, answers)
    result["workshop"] = (
        _workshop_snapshot(reads["team"], view, answers) if reads["team"] is not None else None
    )
    return result


def _workshop_reads(assessment, view):
    """What the workshop's part of the snapshot needs of the database and of the agreement
    count, none of it worded: read once at submit, whatever the number of languages."""
    codes, comments = participant_answers(assessment, view)
    workshop = Workshop.objects.filter(assessment=assessment).first()
    everyone = list(Participant.objects.filter(workshop__assessment=assessment))
    # People who joined but answered nothing did not take part.
    participants = [p for p in everyone if p.id in codes]
    return {
        "comments": comments,
        "show_names": workshop is None or workshop.show_names,
        "everyone": everyone,
        "participants": participants,
        "ranked": agreement.ranked_questions(
            view.definition, {p.id: codes.get(p.id, {}) for p in participants}
        ),
    }


def _workshop_snapshot(team, view, consensus):
    """Who took part, where they disagreed and what they wrote, frozen with the workshop's
    result: the report reads this, never the participants' live answers. Names are frozen as
    the board showed them at submit (numbered when the facilitator hid them)."""
    comments, show_names = team["comments"], team["show_names"]
    participants, ranked = team["participants"], team["ranked"]
    names = vocabulary.participant_names(team["everyone"], show_names=show_names)

    def quoted(code):
        return [{"by": names[pid], "text": text} for pid, text in comments.get(code, [])]

    disagreements, agreed_comments = [], []
    for row in ranked:
        q = view.by_code[row.code]
        if row.disagreement <= 0:
            if comments.get(q.code):
                agreed_comments.append(
                    {"question": q.code, "text": q.text, "comments": quoted(q.code)}
                )
            continue
        definition = view.definition.question(q.code)
        chosen = set(consensus[q.code].choice_codes) if q.code in consensus else set()
        disagreements.append(
            {
                "question": q.code,
                "text": q.text,
                "disagreement": round(100 * row.disagreement),
                "answered": row.answered,
                "unknown": row.unknown,
                "top": row.top,
                "leaders": [agreement.answer_label(definition, key) for key in row.leaders],
                "distribution": agreement.distribution(q.choice_list, row),
                "consensus": "; ".join(c.label for c in q.choice_list if c.code in chosen),
                "comments": quoted(q.code),
            }
        )
    roles = {}
    for p in participants:
        label = str(p.get_role_display())
        roles[label] = roles.get(label, 0) + 1
    return {
        "participants": len(participants),
        "roles": roles,
        "names_shown": show_names,
        "disagreements": disagreements,
        "agreed_comments": agreed_comments,
    }


@transaction.atomic
def assessment_copy(*, assessment, user):
    """A new draft for the same organisation on the current bank, with every answer whose
    question and choices still exist copied across."""
    bank = QuestionBank.objects.current(assessment.bank.slug) or assessment.bank
    new = Assessment.objects.create(
        organization=assessment.organization, bank=bank, created_by=user, copied_from=assessment
    )
    old_view, new_view = bank_view(assessment.bank), bank_view(bank)
    through = Answer.choices.through
    links = []
    for code, old in answers_of(assessment, old_view).items():
        q = new_view.by_code.get(code)
        if q is None:
            continue
        answer = Answer.objects.create(assessment=new, question=q, comment=old.comment)
        wanted = set(old.choice_codes)
        links += [
            through(answer_id=answer.id, choice_id=c.id) for c in q.choice_list if c.code in wanted
        ]
    through.objects.bulk_create(links)
    return new


@transaction.atomic
def workshop_start(*, organization, user, bank=None):
    """A workshop assessment for an organisation, facilitated by `user`."""
    # Not pre-filled: the team answers the workshop together.
    assessment = assessment_start(organization=organization, user=user, bank=bank, prefill=False)
    assessment.kind = Assessment.Kind.WORKSHOP
    assessment.save(update_fields=["kind"])
    return Workshop.objects.create(assessment=assessment, facilitator=user)


def participant_join(*, workshop, name, role):
    if not workshop.is_open:
        raise ServiceError(_("This workshop is closed and takes no new participants."))
    participant = Participant(workshop=workshop, name=name, role=role)
    participant.full_clean()
    participant.save()
    return participant


def workshop_close(*, workshop):
    workshop.status = Workshop.Status.CLOSED
    workshop.closed_at = timezone.now()
    workshop.save(update_fields=["status", "closed_at"])


def workshop_reopen(*, workshop):
    if not workshop.assessment.is_draft:
        raise ServiceError(_("The consensus was submitted, so the workshop stays closed."))
    workshop.status = Workshop.Status.OPEN
    workshop.closed_at = None
    workshop.save(update_fields=["status", "closed_at"])


def workshop_new_link(*, workshop):
    """Revoke the invite link and code: a new pair replaces them; participants who joined
    keep their own links."""
    workshop.join_token = new_token()
    workshop.short_code = new_short_code()
    workshop.save(update_fields=["join_token", "short_code"])
