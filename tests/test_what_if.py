from assess.models import Answer
from assess.selectors import answer_codes, answers_of, bank_view
from tests.conftest import answer_everything, signed_in


def _posted(view, codes):
    data = {}
    for q in view.questions:
        picked = codes.get(q.code, ())
        if picked:
            data[f"q_{q.code}"] = list(picked) if q.kind == "multi" else picked[0]
    return data


def test_it_starts_from_the_saved_answers(owner_client, assessment):
    view = answer_everything(owner_client, assessment, pick="low")
    page = owner_client.get(f"/a/{assessment.code}/what-if/").text
    q = view.questions[0]
    chosen = answer_codes(answers_of(assessment, view))[q.code][0]
    assert f'id="w-{q.code}-{chosen}" value="{chosen}" checked' in page
    assert "With your saved answers:" in page and "Cyber hygiene first" in page


def test_changed_answers_show_another_outcome_and_save_nothing(owner_client, assessment):
    view = answer_everything(owner_client, assessment, pick="low")
    owner_client.post(f"/a/{assessment.code}/submit/")
    assessment.refresh_from_db()
    frozen, saved = assessment.result, answer_codes(answers_of(assessment, view))
    stored = Answer.objects.filter(assessment=assessment).count()
    capable = dict(saved)
    for q in view.questions:
        known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
        if q.section.code == "capacity":
            capable[q.code] = (known[-1].code,)
    response = owner_client.post(f"/a/{assessment.code}/what-if/", _posted(view, capable))
    assert response.status_code == 200
    assert "A different recommendation" in response.text
    assert "Operational alliances" in response.text
    assert "from <em>" in response.text
    assessment.refresh_from_db()
    assert assessment.result == frozen
    assert answer_codes(answers_of(assessment, view)) == saved
    assert Answer.objects.filter(assessment=assessment).count() == stored


def test_a_forged_choice_is_reported_in_the_page(owner_client, assessment):
    view = bank_view(assessment.bank)
    q = view.questions[0]
    response = owner_client.post(f"/a/{assessment.code}/what-if/", {f"q_{q.code}": "forged"})
    assert response.status_code == 200
    assert "not valid choices" in response.text


def test_outsiders_and_visitors_cannot_use_it(client, outsider, assessment):
    assert client.get(f"/a/{assessment.code}/what-if/").status_code == 302
    signed_in(client, outsider)
    assert client.get(f"/a/{assessment.code}/what-if/").status_code == 404
    assert client.post(f"/a/{assessment.code}/what-if/", {}).status_code == 404


def test_the_what_if_page_takes_a_fixed_number_of_queries(
    owner_client, assessment, django_assert_num_queries
):
    url = f"/a/{assessment.code}/what-if/"
    owner_client.get(url)  # loads the bank into the process's cache
    # session, user, assessment, answers: the verdict needs no catalogue
    with django_assert_num_queries(4):
        owner_client.get(url)
    answer_everything(owner_client, assessment)
    with django_assert_num_queries(4):
        owner_client.get(url)
    owner_client.post(f"/a/{assessment.code}/submit/")
    with django_assert_num_queries(4):
        owner_client.get(url)
