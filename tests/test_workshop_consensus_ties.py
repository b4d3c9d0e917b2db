"""The consensus page and the board: ties are marked and left for the facilitator to choose,
disputed questions come first, and a "disputed only" filter works without JavaScript."""

import re

import pytest

from assess.selectors import answer_codes, answers_of, bank_view
from tests.conftest import signed_in
from tests.workshop_helpers import SPLIT, team_workshop


@pytest.fixture
def split(org, owner, bank):
    workshop, _people = team_workshop(org, owner, SPLIT)
    return workshop


def _legends(page):
    return re.findall(r"<legend>([A-Z]+-\d+)\.", page)


def _checked(page, code):
    return re.findall(rf'id="k-{code}-([^"]+)" value="[^"]+" checked', page)


def _every_answer_but(view, skip=()):
    """POST data giving the first known choice to every unconditional single question."""
    data = {}
    for q in view.questions:
        if q.kind == "single" and not q.show_if_code and q.code not in skip:
            data[f"q_{q.code}"] = next(c.code for c in q.choice_list if not c.is_unknown)
    return data


def test_a_three_way_split_is_marked_as_a_tie_and_left_unset(client, owner, split):
    signed_in(client, owner)
    page = client.get(f"/workshops/{split.assessment.code}/consensus/").text
    assert _checked(page, "PRO-03") == []  # not prefilled with the first option
    assert "Tie: your choice" in page
    assert "Split evenly between" in page and "differ from the most common" not in page
    # The page says up front which questions need a choice, with a link to each.
    assert "1 question is tied, so it is left blank" in page
    assert 'href="#q-PRO-03"' in page
    # Questions with a single most common answer are still prefilled with it.
    assert _checked(page, "THR-01") == ["confirmed"] and _checked(page, "THR-02") == ["few"]
    assert "2 of 3 chose" in page


def test_saving_with_a_tie_unset_saves_nothing_and_keeps_what_was_entered(client, owner, split):
    signed_in(client, owner)
    code = split.assessment.code
    view = bank_view(split.assessment.bank)
    data = _every_answer_but(view, skip={"PRO-03"})
    data["q_THR-01"] = "repeated"  # the facilitator overrides the prefill ...
    data["c_THR-01"] = "Agreed after a long talk"  # ... and notes why
    response = client.post(f"/workshops/{code}/consensus/", data)
    assert response.status_code == 200
    page = response.text
    assert "Nothing was saved yet: 1 tied question still needs your choice." in page
    assert 'href="#q-PRO-03"' in page
    assert "The team is split evenly here: choose the answer the team settles on." in page
    assert _checked(page, "THR-01") == ["repeated"]
    assert "Agreed after a long talk</textarea>" in page
    assert answers_of(split.assessment, view) == {}

    data["q_PRO-03"] = "customers"
    response = client.post(f"/workshops/{code}/consensus/", data)
    assert response.url == f"/a/{code}/review/"
    saved = answer_codes(answers_of(split.assessment, view))
    assert saved["PRO-03"] == ("customers",) and saved["THR-01"] == ("repeated",)


def test_a_tie_on_a_question_the_consensus_hides_needs_no_choice(client, owner, org, bank):
    workshop, _people = team_workshop(
        org,
        owner,
        {
            "Ann": {"PRO-05": "yes", "PRO-06": "important"},
            "Ben": {"PRO-05": "yes", "PRO-06": "essential"},
            "Cat": {"PRO-05": "no"},
        },
    )
    signed_in(client, owner)
    view = bank_view(workshop.assessment.bank)
    url = f"/workshops/{workshop.assessment.code}/consensus/"
    data = _every_answer_but(view)
    data["q_PRO-05"] = "no"  # PRO-06 asks only when PRO-05 is "yes"
    assert client.post(url, data).status_code == 302
    data["q_PRO-05"] = "yes"
    response = client.post(url, data)
    assert response.status_code == 200 and "still needs your choice" in response.text
    assert 'href="#q-PRO-06"' in response.text


def test_disputed_questions_come_first_and_the_filter_needs_no_javascript(client, owner, split):
    signed_in(client, owner)
    url = f"/workshops/{split.assessment.code}/consensus/"
    everything = client.get(url).text
    assert _legends(everything)[:2] == ["PRO-03", "THR-01"]  # the tie, then the 2-to-1
    assert len(_legends(everything)) == len(bank_view(split.assessment.bank).questions)
    assert f'href="{url}?disputed=1"' in everything and "Disputed only (2)" in everything
    disputed = client.get(url + "?disputed=1").text
    assert _legends(disputed) == ["PRO-03", "THR-01"]
    assert f'action="{url}?disputed=1"' in disputed
    assert re.search(rf'href="{url}"[^>]*>All \d+ questions', disputed)


def test_the_first_save_from_the_disputed_list_keeps_the_agreed_answers(client, owner, split):
    signed_in(client, owner)
    code = split.assessment.code
    url = f"/workshops/{code}/consensus/?disputed=1"
    response = client.post(url, {"q_PRO-03": "sector", "q_THR-01": "none"})
    assert response.url == f"/a/{code}/review/"
    view = bank_view(split.assessment.bank)
    saved = answer_codes(answers_of(split.assessment, view))
    assert saved == {"PRO-03": ("sector",), "THR-01": ("none",), "THR-02": ("few",)}
    # A later save from the list changes only what it shows.
    client.post(url, {"q_PRO-03": "customers", "q_THR-01": "none"})
    saved = answer_codes(answers_of(split.assessment, view))
    assert saved == {"PRO-03": ("customers",), "THR-01": ("none",), "THR-02": ("few",)}


def test_the_board_marks_ties_and_filters_disputed_questions(client, owner, split):
    signed_in(client, owner)
    url = f"/workshops/{split.assessment.code}/"
    page = client.get(url).text
    assert (
        "Split evenly between “Mostly to us; customers could switch or wait”, “A number of our "
        "customers would be seriously disrupted” and “A whole sector or region would feel it”."
    ) in page
    assert "differ from the most common answer" not in page
    articles = re.findall(r'<h3 class="h6 mb-1">([A-Z]+-\d+)\.', page)
    assert articles == ["PRO-03", "THR-01", "THR-02"]
    disputed = client.get(url + "?disputed=1").text
    assert re.findall(r'<h3 class="h6 mb-1">([A-Z]+-\d+)\.', disputed) == ["PRO-03", "THR-01"]
    # The page's script refreshes the filtered list, not the whole one.
    assert f'data-refresh-url="{url}?fragment=1&amp;disputed=1"' in disputed
    fragment = client.get(url + "?fragment=1&disputed=1").text
    assert "THR-02." not in fragment and "PRO-03." in fragment


def test_the_consensus_page_takes_a_fixed_number_of_queries(
    client, owner, org, bank, django_assert_num_queries
):
    few, _people = team_workshop(org, owner, SPLIT)
    signed_in(client, owner)
    client.get(f"/workshops/{few.assessment.code}/consensus/")  # warms the bank cache
    with django_assert_num_queries(7):
        client.get(f"/workshops/{few.assessment.code}/consensus/")
    many, _people = team_workshop(
        org, owner, {f"P{i}": SPLIT["Ann"] for i in range(12)}, roles=["other"] * 12
    )
    client.get(f"/workshops/{many.assessment.code}/consensus/")
    with django_assert_num_queries(7):
        client.get(f"/workshops/{many.assessment.code}/consensus/?disputed=1")


def test_the_filtered_board_takes_as_many_queries_as_the_whole_one(
    client, owner, split, django_assert_num_queries
):
    signed_in(client, owner)
    url = f"/workshops/{split.assessment.code}/"
    client.get(url)
    # The first read kept what it computed from each participant's answers; nobody saved
    # since, so neither refresh reads answers (issue #34).
    with django_assert_num_queries(4):
        client.get(url + "?fragment=1&disputed=1")
    with django_assert_num_queries(4):
        client.get(url + "?fragment=1")
