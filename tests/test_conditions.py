"""A question hidden by its condition is not asked, not listed and not scored, end to end."""

from assess.models import Assessment
from assess.selectors import bank_view
from tests.conftest import section_post

HIDDEN = ("PRO-06", "PRO-07")  # shown only when PRO-05 is "yes"


def _answer_all(client, assessment, *, gate, answer_hidden):
    view = bank_view(assessment.bank)
    for number in range(1, len(view.sections) + 1):
        data = section_post(view, number, "high")
        if "q_PRO-05" in data:
            data["q_PRO-05"] = gate
            for code in HIDDEN:
                if answer_hidden:
                    # The in-scope answers, which carry the NIS2 and DORA tags.
                    data[f"q_{code}"] = view.by_code[code].choice_list[2].code
                else:
                    data.pop(f"q_{code}", None)
        assert client.post(f"/a/{assessment.code}/s/{number}/", data).status_code == 302


def _submitted(client, org, bank, owner, **kwargs):
    assessment = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    _answer_all(client, assessment, **kwargs)
    review = client.get(f"/a/{assessment.code}/review/").text
    client.post(f"/a/{assessment.code}/submit/")
    assessment.refresh_from_db()
    return assessment, review


def test_answers_to_hidden_questions_do_not_count(owner_client, org, bank, owner):
    with_hidden, review = _submitted(owner_client, org, bank, owner, gate="no", answer_hidden=True)
    without, _review = _submitted(owner_client, org, bank, owner, gate="no", answer_hidden=False)
    assert with_hidden.result["scores"] == without.result["scores"]
    assert with_hidden.result["outcome"] == without.result["outcome"]
    assert with_hidden.result["visible"] == without.result["visible"]
    assert with_hidden.result["tags"] == without.result["tags"]
    assert not {"nis2_in_scope", "dora_in_scope"} & set(with_hidden.result["tags"])
    for code in HIDDEN:
        assert f"{code}. " not in review
        assert f"#q-{code}" not in review


def test_the_same_answers_count_once_the_condition_holds(owner_client, org, bank, owner):
    shown, review = _submitted(owner_client, org, bank, owner, gate="yes", answer_hidden=True)
    hidden, _review = _submitted(owner_client, org, bank, owner, gate="no", answer_hidden=True)
    assert shown.result["visible"] == hidden.result["visible"] + len(HIDDEN)
    # Shown, the same answers count: their tags bring the NIS2 and DORA facts in.
    assert {"nis2_in_scope", "dora_in_scope"} <= set(shown.result["tags"])
    assert not {"nis2_in_scope", "dora_in_scope"} & set(hidden.result["tags"])
    for code in HIDDEN:
        assert f"{code}. " in review
