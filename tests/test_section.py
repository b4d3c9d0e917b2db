"""The questionnaire page: one section per page, saving on every move."""

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assess import vocabulary
from assess.banks.store import bank_import
from assess.models import Answer, Assessment, Question
from assess.selectors import bank_view, clear_bank_cache
from tests.conftest import section_post, signed_in


def url(assessment, number):
    return f"/a/{assessment.code}/s/{number}/"


def saved(assessment):
    view = bank_view(assessment.bank)
    from assess.selectors import answers_of

    return {code: (a.choice_codes, a.comment) for code, a in answers_of(assessment, view).items()}


def test_it_shows_a_section_with_progress_and_fieldsets(owner_client, assessment):
    response = owner_client.get(url(assessment, 3))
    assert response.status_code == 200
    assert "Section 3 of 6" in response.text
    assert response.text.count("<fieldset") == len(
        bank_view(assessment.bank).section(3).question_list
    )
    assert "<legend>" in response.text
    assert "Don&#x27;t know" in response.text or "Don't know" in response.text
    assert "Save and finish later" in response.text


def test_next_saves_and_moves_on(owner_client, assessment):
    view = bank_view(assessment.bank)
    data = section_post(view, 1, comment="We run a payments platform")
    response = owner_client.post(url(assessment, 1), data)
    assert response.status_code == 302 and response.url == url(assessment, 2)
    answers = saved(assessment)
    first = view.section(1).question_list[0]
    assert answers[first.code] == ([data[f"q_{first.code}"]], "We run a payments platform")
    assessment.refresh_from_db()
    assert assessment.last_section == 1


def test_back_also_saves(owner_client, assessment):
    view = bank_view(assessment.bank)
    data = dict(section_post(view, 2), action="back")
    response = owner_client.post(url(assessment, 2), data)
    assert response.url == url(assessment, 1)
    assert set(saved(assessment)) == {q.code for q in view.section(2).question_list}


def test_save_and_finish_later_goes_to_the_dashboard_and_resume_returns(
    owner_client, assessment, org
):
    view = bank_view(assessment.bank)
    owner_client.post(url(assessment, 1), section_post(view, 1))
    response = owner_client.post(url(assessment, 2), dict(section_post(view, 2), action="later"))
    assert response.url == f"/orgs/{org.code}/"
    assert "Your answers are saved" in owner_client.get(response.url).text
    # Days later: the dashboard's Continue link goes back to where they stopped.
    assert owner_client.get(f"/a/{assessment.code}/").url == url(assessment, 2)
    page = owner_client.get(url(assessment, 1)).text
    q = view.section(1).question_list[0]
    chosen = section_post(view, 1)[f"q_{q.code}"]
    assert f'id="q-{q.code}-{chosen}" value="{chosen}" checked' in page


def test_the_last_section_goes_to_review(owner_client, assessment):
    view = bank_view(assessment.bank)
    last = len(view.sections)
    response = owner_client.post(
        url(assessment, last), dict(section_post(view, last), action="review")
    )
    assert response.url == f"/a/{assessment.code}/review/"


def test_leaving_a_question_blank_is_allowed_and_clears_it(owner_client, assessment):
    view = bank_view(assessment.bank)
    owner_client.post(url(assessment, 1), section_post(view, 1))
    q = view.section(1).question_list[0]
    data = section_post(view, 1)
    del data[f"q_{q.code}"]
    assert owner_client.post(url(assessment, 1), data).status_code == 302
    assert q.code not in saved(assessment)


def test_an_unknown_choice_is_refused_with_a_message_and_nothing_is_lost(owner_client, assessment):
    view = bank_view(assessment.bank)
    data = section_post(view, 1, comment="keep me")
    q = view.section(1).question_list[0]
    data[f"q_{q.code}"] = "forged-choice"
    response = owner_client.post(url(assessment, 1), data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert "everything you typed is still here" in response.text
    assert response.text.count(">keep me</textarea>") == len(view.section(1).question_list)
    other = view.section(1).question_list[1]
    chosen = data[f"q_{other.code}"]
    assert f'id="q-{other.code}-{chosen}" value="{chosen}" checked' in response.text
    assert saved(assessment) == {}


def test_a_question_from_another_section_or_bank_is_ignored(owner_client, assessment):
    view = bank_view(assessment.bank)
    data = section_post(view, 1)
    foreign = view.section(2).question_list[0]
    data[f"q_{foreign.code}"] = foreign.choice_list[0].code
    data["q_NOT-IN-ANY-BANK"] = "yes"
    assert owner_client.post(url(assessment, 1), data).status_code == 302
    assert foreign.code not in saved(assessment)
    # PRO-02 is shown only if PRO-01 is "security", which "high" does not pick: not kept.
    assert set(saved(assessment)) == {q.code for q in view.section(1).question_list} - {"PRO-02"}


def test_nul_characters_in_a_comment_are_refused_with_a_message(owner_client, assessment):
    view = bank_view(assessment.bank)
    q = view.section(1).question_list[0]
    data = dict(section_post(view, 1), **{f"c_{q.code}": "bad\x00comment"})
    response = owner_client.post(url(assessment, 1), data)
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.text
    assert not Answer.objects.exists()


def test_an_overlong_comment_is_refused_and_kept_on_the_page(owner_client, assessment):
    view = bank_view(assessment.bank)
    q = view.section(1).question_list[0]
    data = dict(section_post(view, 1), **{f"c_{q.code}": "x" * 4001})
    response = owner_client.post(url(assessment, 1), data)
    assert response.status_code == 200
    assert "at most 4000 characters" in response.text
    assert not Answer.objects.exists()


def test_megabytes_of_text_get_a_clear_400_page(owner_client, assessment):
    view = bank_view(assessment.bank)
    q = view.section(1).question_list[0]
    data = dict(section_post(view, 1), **{f"c_{q.code}": "x" * 2_000_000})
    response = owner_client.post(url(assessment, 1), data)
    assert response.status_code == 400
    assert "too large" in response.text
    assert not Answer.objects.exists()


def test_dont_know_cannot_be_combined_in_a_multi_choice_question(owner_client, assessment):
    view = bank_view(assessment.bank)
    number, q = next(
        (n, q)
        for n, s in enumerate(view.sections, start=1)
        for q in s.question_list
        if q.kind == "multi"
    )
    exclusive = next(c for c in q.choice_list if c.is_unknown or c.code == "none")
    other = next(
        c for c in q.choice_list if c is not exclusive and not c.is_unknown and c.code != "none"
    )
    data = dict(section_post(view, number), **{f"q_{q.code}": [exclusive.code, other.code]})
    response = owner_client.post(url(assessment, number), data)
    assert response.status_code == 200
    assert f"“{exclusive.label}” cannot be combined" in html.unescape(response.text)


@pytest.mark.parametrize(
    ("lang", "label", "alone", "both"),
    [
        (
            "fr",
            "Aucun de ces outils",
            "«\xa0Aucun de ces outils\xa0» ne peut pas",
            "«\xa0Aucun de ces outils\xa0» et «\xa0Je ne sais pas\xa0»",
        ),
        (
            "de",
            "Keines davon",
            "„Keines davon“ lässt sich nicht",
            "„Keines davon“ und „Weiß nicht“",
        ),
    ],
)
def test_the_stand_alone_error_quotes_the_labels_on_the_page(
    owner_client, assessment, lang, label, alone, both
):
    # CAP-03 asks about tools: its "None of these" says so, and the error quotes that very
    # label (it once quoted « Aucune de ces réponses », which no question shows).
    view = bank_view(assessment.bank)
    number = next(
        n
        for n, s in enumerate(view.sections, start=1)
        for q in s.question_list
        if q.code == "CAP-03"
    )
    pages = [
        html.unescape(
            owner_client.post(
                url(assessment, number),
                dict(section_post(view, number), **{"q_CAP-03": picked}),
                HTTP_ACCEPT_LANGUAGE=lang,
            ).text
        )
        for picked in (["none", "edr"], ["none", "unknown"])
    ]
    assert alone in pages[0] and both in pages[1]
    assert f">{label}</label>" in pages[0]


def test_a_missing_section_is_a_404(owner_client, assessment):
    assert owner_client.get(url(assessment, 0)).status_code == 404
    assert owner_client.get(url(assessment, 99)).status_code == 404


def test_a_submitted_assessment_refuses_new_answers(owner_client, assessment, owner):
    from assess.services import assessment_submit

    view = bank_view(assessment.bank)
    owner_client.post(url(assessment, 1), section_post(view, 1, pick="low"))
    assessment_submit(assessment=assessment, user=owner)
    before = saved(assessment)
    response = owner_client.post(url(assessment, 1), section_post(view, 1, pick="high"))
    assert response.status_code == 302 and response.url.endswith("/result/")
    assert saved(assessment) == before


def test_a_conditional_question_appears_only_when_its_condition_holds(client, owner, org):
    bank = _bank_with_sections([1, 1])
    view = bank_view(bank)
    source, dependent = view.section(1).question_list[0], view.section(2).question_list[0]
    # A published bank refuses edits, so add the condition behind the model's back.
    Question.objects.filter(pk=dependent.pk).update(show_if_question=source, show_if_choices=["b"])
    clear_bank_cache()
    assessment = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    signed_in(client, owner)
    client.post(url(assessment, 1), {f"q_{source.code}": "a", "action": "next"})
    assert f'id="q-{dependent.code}"' not in client.get(url(assessment, 2)).text
    client.post(url(assessment, 1), {f"q_{source.code}": "b", "action": "next"})
    assert f'id="q-{dependent.code}"' in client.get(url(assessment, 2)).text


def test_a_same_page_condition_is_marked_for_the_script(owner_client, assessment):
    view = bank_view(assessment.bank)
    dependent = next(
        q
        for q in view.questions
        if q.show_if_question_id and view.by_id[q.show_if_question_id].section_id == q.section_id
    )
    number = next(i for i, s in enumerate(view.sections, 1) if s.id == dependent.section_id)
    page = owner_client.get(url(assessment, number)).text
    assert f'data-show-if-question="{view.by_id[dependent.show_if_question_id].code}"' in page
    assert "Only applies given your answer" in page  # readable without JavaScript


def _bank_with_sections(sizes):
    def question(s, i):
        return {
            "code": f"Q{s}-{i}",
            "text": f"Question {s}.{i}?",
            "choices": [
                {
                    "code": "a",
                    "label": "A",
                    "points": dict.fromkeys(vocabulary.DIMENSIONS, 1),
                },
                {"code": "b", "label": "B", "points": {"capacity": 4}},
                {"code": "unknown", "label": "Don't know", "is_unknown": True},
            ],
        }

    from assess.banks.format import DATA_DIR, load_json

    thresholds = load_json(DATA_DIR / "default_bank.json")["bank"]["thresholds"]
    return bank_import(
        {
            "format": "alliance-bank",
            "format_version": 1,
            "bank": {
                "slug": "sizes",
                "name": "Sizes",
                "version": 1,
                "thresholds": thresholds,
                "sections": [
                    {
                        "code": f"s{s}",
                        "title": f"Section {s}",
                        "questions": [question(s, i) for i in range(n)],
                    }
                    for s, n in enumerate(sizes, start=1)
                ],
            },
        }
    )


@pytest.mark.parametrize("warm", [False, True])
def test_the_query_count_does_not_depend_on_the_section_size(client, owner, org, warm):
    bank = _bank_with_sections([2, 12])
    assessment = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    signed_in(client, owner)
    counts = []
    for number in (1, 2):
        clear_bank_cache()
        if warm:
            client.get(url(assessment, number))
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url(assessment, number)).status_code == 200
        counts.append(len(ctx.captured_queries))
    # session, user, assessment, the answers; +3 to load the bank when not cached
    assert counts == [4, 4] if warm else counts == [7, 7]


def test_a_background_save_answers_204_with_the_next_page(owner_client, assessment, org):
    view = bank_view(assessment.bank)
    data = dict(section_post(view, 1), action="later")
    response = owner_client.post(url(assessment, 1), data, headers={"X-Save-Mode": "background"})
    assert response.status_code == 204
    assert response["X-Next"] == f"/orgs/{org.code}/"
    assert len(saved(assessment)) == len(view.section(1).question_list) - 1  # PRO-02 hidden
    # The message is still there for the page the script then opens.
    assert "Your answers are saved" in owner_client.get(response["X-Next"]).text


def test_a_background_save_to_a_submitted_assessment_is_refused_in_words(
    owner_client, assessment, owner
):
    from assess.services import assessment_submit

    view = bank_view(assessment.bank)
    assessment_submit(assessment=assessment, user=owner)
    response = owner_client.post(
        url(assessment, 1), section_post(view, 1), headers={"X-Save-Mode": "background"}
    )
    assert response.status_code == 409
    assert "can no longer change" in response.text
    assert saved(assessment) == {}
