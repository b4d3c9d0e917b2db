"""Workshops: a facilitator's board and consensus, participants who answer without an
account (their link carries an unguessable token)."""

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from assess import vocabulary
from assess.access import get_org_for_user, get_participant, get_workshop_for_user
from assess.models import Assessment, Participant, Workshop
from assess.people import throttle
from assess.people.security import client_ip
from assess.questionnaire import workshop_room
from assess.questionnaire.forms import SectionForm
from assess.questionnaire.runner import (
    member_step,
    moves,
    refused_in_background,
    saving_in_background,
)
from assess.selectors import answers_of
from assess.services import (
    ServiceError,
    answers_save,
    participant_join,
    workshop_close,
    workshop_new_link,
    workshop_reopen,
    workshop_start,
)

# --- The facilitator's side: organisation members only ----------------------------------------


@login_required
@require_POST
def workshop_new(request, code):
    org = get_org_for_user(request, code)
    try:
        workshop = workshop_start(organization=org, user=request.user)
    except ServiceError as e:
        messages.error(request, str(e))
        return redirect(org)
    messages.success(request, _("Workshop ready. Share the link or the code with your team."))
    return redirect("workshop_board", workshop.assessment.code)


def _disputed_only(request):
    """The "disputed only" filter of the board and the consensus: a plain GET parameter, so
    it works without JavaScript (templates/assess/_workshop_filter.html)."""
    return request.GET.get("disputed") == "1"


def _join_url(request, workshop):
    return request.build_absolute_uri(reverse("workshop_join", args=[workshop.join_token]))


def _invitation(request, workshop):
    """The invite link, the full address of the code page and the link's QR code as an SVG
    that scales to the width its container gives it."""
    join_url = _join_url(request, workshop)
    code_path = reverse("workshop_code")
    code_url = request.build_absolute_uri(code_path)
    return {
        "join_url": join_url,
        "code_url": code_url,
        # The projector breaks a long address between the site and the path, if anywhere.
        "code_origin": code_url.removesuffix(code_path),
        "code_path": code_path,
        "qr_svg": segno.make_qr(join_url, error="m").svg_inline(
            scale=4, dark="#1a1a1a", omitsize=True
        ),
    }


@login_required
def board(request, code):
    workshop = get_workshop_for_user(request, code)
    disputed_only = _disputed_only(request)
    ctx = {
        "workshop": workshop,
        "assessment": workshop.assessment,
        "org": workshop.assessment.organization,
        **workshop_room.board(workshop, disputed_only=disputed_only),
    }
    if request.GET.get("fragment"):
        return render(request, "assess/workshop_board_live.html", ctx)
    if workshop.is_open:
        ctx.update(_invitation(request, workshop))
    return render(request, "assess/workshop_board.html", ctx)


@login_required
def presenter(request, code):
    """The invitation for a projector: the full join address, the code in large type, a
    large QR code and how many have joined, which refreshes by itself like the board."""
    workshop = get_workshop_for_user(request, code)
    ctx = {
        "workshop": workshop,
        "assessment": workshop.assessment,
        "org": workshop.assessment.organization,
        "joined": workshop.participants.count(),
    }
    if request.GET.get("fragment"):
        return render(request, "assess/workshop_presenter_live.html", ctx)
    if workshop.is_open:
        ctx.update(_invitation(request, workshop))
    return render(request, "assess/workshop_presenter.html", ctx)


@login_required
@require_POST
def workshop_action(request, code, action):
    workshop = get_workshop_for_user(request, code)
    try:
        if action == "close":
            workshop_close(workshop=workshop)
            messages.success(
                request,
                _("Closed: participants can no longer change answers. Every answer is kept."),
            )
        elif action == "reopen":
            workshop_reopen(workshop=workshop)
            messages.success(request, _("Open again: participants can change their answers."))
        elif action == "new-link":
            workshop_new_link(workshop=workshop)
            messages.success(
                request,
                _(
                    "The old link and code no longer work. Share the new "
                    "ones; people who joined keep their own links."
                ),
            )
        elif action == "names":
            workshop.show_names = not workshop.show_names
            workshop.save(update_fields=["show_names"])
        else:
            raise Http404
    except ServiceError as e:
        messages.error(request, str(e))
    return redirect("workshop_board", workshop.assessment.code)


@login_required
@require_http_methods(["GET", "POST"])
def consensus(request, code):
    """The facilitator settles the team's answer set, disagreement first, each question
    prefilled with the consensus saved so far or else the team's most common answer. A tied
    question is left blank until the facilitator chooses; saving refuses while one is."""
    workshop = get_workshop_for_user(request, code)
    assessment = workshop.assessment
    if not assessment.is_draft:
        return redirect("result", assessment.code)
    disputed_only = _disputed_only(request)
    room = workshop_room.Consensus(workshop, disputed_only=disputed_only)
    view, ranked, questions = room.view, room.ranked, room.questions
    current = answers_of(assessment, view)
    unsettled = []
    if request.method == "POST":
        form = SectionForm(request.POST, questions=questions)
        if form.is_valid():
            values = form.values()
            if disputed_only and not current:
                # The first save, from the filtered page: the questions everyone answered
                # alike, which it did not show, are saved as they would have been prefilled.
                values.update({r.code: (r.most_common, "") for r in ranked if r.disagreement <= 0})
            unsettled = room.unsettled_ties(current, values)
            for q in unsettled:
                form.add_error(
                    f"q_{q.code}",
                    _("The team is split evenly here: choose the answer the team settles on."),
                )
            if not unsettled:
                try:
                    answers_save(assessment=assessment, values=values)
                except ServiceError as e:
                    messages.error(request, str(e))
                    return redirect("workshop_board", assessment.code)
                messages.success(
                    request,
                    _(
                        "Consensus saved. Review it, then submit it to get the "
                        "workshop's result and report."
                    ),
                )
                return redirect("review", assessment.code)
    else:
        form = SectionForm(initial=room.initial(current), questions=questions)
    rows = room.rows(form.rows(), current)
    return render(
        request,
        "assess/workshop_consensus.html",
        {
            "workshop": workshop,
            "assessment": assessment,
            "org": assessment.organization,
            "form": form,
            "rows": rows,
            "unsettled": unsettled,
            "open_ties": [r["question"] for r in rows if r["open_tie"]],
            "other_errors": bool(form.is_bound and form.errors and not unsettled),
            "disputed_only": disputed_only,
            "disputed_count": sum(1 for r in ranked if r.disagreement > 0),
            "all_count": len(room.applying(current)),
        },
    )


# --- The participants' side: no account, an unguessable link -----------------------------------


class JoinForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ("name", "role")


CODE_TRIES = 20  # wrong codes one address may type ...
CODE_WINDOW = 600  # ... in this many seconds


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Workshop code"), max_length=12)

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper().replace(" ", "").replace("-", "")
        # Only open workshops answer to their code: a closed one's code can't be guessed.
        workshop = (
            Workshop.objects.filter(short_code=code, status=Workshop.Status.OPEN)
            .filter(assessment__organization__deletion__isnull=True)
            .first()
        )
        if workshop is None:
            raise forms.ValidationError(
                _(
                    "No open workshop has this code. Check it with the facilitator; codes "
                    "change when a new link is issued."
                )
            )
        self.workshop = workshop
        return code


def _invalid_link(request):
    return render(request, "assess/workshop_invalid.html", status=404)


@require_http_methods(["GET", "POST"])
def join_code(request):
    """Type the code shown in the room. Wrong codes are counted per address, so the short
    codes cannot be guessed by trying them all."""
    key = f"join-code-tries:{client_ip(request)}"
    # The try is counted before the code is looked at, atomically, so concurrent guesses
    # cannot all slip in under the limit; the right code gives its try back.
    if request.method == "POST" and not throttle.attempt(key, limit=CODE_TRIES, window=CODE_WINDOW):
        return render(
            request,
            "assess/workshop_code.html",
            {"form": CodeForm(), "throttled": True},
            status=429,
        )
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        throttle.give_back(key)
        return redirect("workshop_join", form.workshop.join_token)
    return render(request, "assess/workshop_code.html", {"form": form})


SESSION_PARTICIPANTS = "workshop_participants"


@require_http_methods(["GET", "POST"])
def join(request, token):
    workshop = (
        Workshop.objects.select_related("assessment__organization")
        .filter(join_token=token, assessment__organization__deletion__isnull=True)
        .first()
    )
    if workshop is None:
        return _invalid_link(request)
    # Someone who joined from this browser (and pressed Back) continues as themselves
    # instead of joining twice.
    joined = request.session.get(SESSION_PARTICIPANTS, {})
    mine = Participant.objects.filter(workshop=workshop, token=joined.get(str(workshop.pk)))
    existing = mine.first() if joined.get(str(workshop.pk)) else None
    if existing is not None and not request.GET.get("someone_else"):
        return render(
            request,
            "assess/workshop_join.html",
            {
                "workshop": workshop,
                "org": workshop.assessment.organization,
                "existing": existing,
            },
        )
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = participant_join(workshop=workshop, **form.cleaned_data)
        except ServiceError as e:
            messages.error(request, str(e))
        else:
            joined[str(workshop.pk)] = participant.token
            request.session[SESSION_PARTICIPANTS] = joined
            return redirect("participant_section", participant.token, 1)
    return render(
        request,
        "assess/workshop_join.html",
        {"workshop": workshop, "org": workshop.assessment.organization, "form": form},
    )


@require_http_methods(["GET", "POST"])
def participant_section(request, token, number):
    try:
        participant = get_participant(token)
    except Http404:
        return _invalid_link(request)
    workshop = participant.workshop
    assessment: Assessment = workshop.assessment
    closed = not workshop.is_open or not assessment.is_draft
    if closed and request.method == "POST":
        message = vocabulary.workshop_closed()
        if saving_in_background(request):
            return refused_in_background(message)
        messages.error(request, message)
        return redirect("participant_section", token, number)

    after = moves(
        number,
        section=lambda n: redirect("participant_section", token, n),
        done=lambda: redirect("participant_done", token),
    )
    return member_step(
        request,
        assessment=assessment,
        number=number,
        after=after,
        participant=participant,
        closed=closed,
        step_base=reverse("participant_section", args=[token, 1]).removesuffix("1/"),
    )


def participant_done(request, token):
    try:
        participant = get_participant(token)
    except Http404:
        return _invalid_link(request)
    assessment = participant.workshop.assessment
    answered, shown, missing = workshop_room.participant_progress(participant)
    return render(
        request,
        "assess/workshop_done.html",
        {
            "participant": participant,
            "workshop": participant.workshop,
            "org": assessment.organization,
            "answered": answered,
            "shown": shown,
            "missing": missing,
        },
    )
