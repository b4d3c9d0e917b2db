"""How firm a result is and what would change it: levers apart from worsenings, facts apart
from levers, and the distance to the next outcome in words, on the page and in the PDF."""

from types import SimpleNamespace

from assess import vocabulary
from assess.report import presenter
from tests.test_profiles import _by_name, _evaluate, _through_the_pages


def _read(result):
    """The rules' result as the presenter reads a snapshot: by its fields."""
    return SimpleNamespace(**result)


def test_outcomes_are_ordered_by_engagement():
    assert vocabulary.outcome_direction("hygiene_first", "operational") == "up"
    assert vocabulary.outcome_direction("operational", "both") == "up"
    assert vocabulary.outcome_direction("both", "normative") == "down"
    assert vocabulary.outcome_direction("operational", "hygiene_first") == "down"
    assert vocabulary.outcome_direction("operational", "normative") == "across"


def test_one_weaker_answer_from_hygiene_first_is_said_in_words(default_bank, default_catalogue):
    """The Dutch logistics company is 100% known and still one answer from hygiene first:
    "confidence 100%" alone would read as certainty."""
    result = _evaluate(_by_name("Dutch logistics"), default_bank, default_catalogue)
    assert result["outcome"] == "operational" and result["confidence"] == 100
    firm = presenter.firmness(_read(result))
    assert firm["summary"] == "Close to a boundary: a single answer changes the outcome."
    assert firm["sentences"][0] == {
        "n": 1,
        "direction": "down",
        "text": "One answer from Cyber hygiene first, if answers got weaker.",
    }
    routes = presenter.routes(_read(result))
    # Going down is a warning, never listed among the levers.
    assert [s["outcome"] for s in routes["down"]] == ["hygiene_first"]
    assert routes["up"] == [] and routes["across"] == []
    assert set(routes["unreachable"]) == {
        "Normative alliances",
        "Operational and normative alliances",
    }


def test_levers_up_and_facts_are_kept_apart(default_bank, default_catalogue):
    """The Irish devices maker (hygiene first): moving up is a lever; facts it does not decide
    (a designation, how hard its sector is attacked) are listed apart, never as levers."""
    result = _evaluate(_by_name("Irish medical devices"), default_bank, default_catalogue)
    assert result["outcome"] == "hygiene_first"
    routes = presenter.routes(_read(result))
    assert [s["outcome"] for s in routes["up"]] == ["operational"]
    fact_codes = {q.code for q in default_bank.questions if q.fact}
    for group in ("up", "across", "down"):
        for s in routes[group]:
            assert not {c["question"] for c in s["changes"]} & fact_codes
    facts = {f["label"]: {c["question"] for c in f["changes"]} for f in routes["facts"]}
    assert "PRO-04" in facts["Normative alliances"]  # designated in one country
    assert "THR-06" in facts["Operational alliances"]  # sustained campaigns on its sector
    # Every fact route really gives that outcome on its own.
    company = _by_name("Irish medical devices")
    for s in result["sensitivity"]:
        for change in s["facts"]:
            again = _evaluate(
                company,
                default_bank,
                default_catalogue,
                **{change["question"]: tuple(change["to_codes"])},
            )
            assert again["outcome"] == s["outcome"], change


def test_a_firm_result_says_so(default_bank, default_catalogue):
    result = _evaluate(_by_name("Global security vendor"), default_bank, default_catalogue)
    assert not any(s["reachable"] for s in result["sensitivity"])
    assert presenter.firmness(_read(result))["summary"].startswith("Firm:")


def test_the_full_recommendation_names_its_depth():
    assert (
        presenter.recommendation_label(
            {"outcome": "both", "operational_depth": "receive", "normative_depth": "supporter"}
        )
        == "Operational and normative alliances, as a receive-only member and a supporter"
    )
    assert (
        presenter.recommendation_label(
            {"outcome": "hygiene_first", "operational_depth": None, "normative_depth": None}
        )
        == "Cyber hygiene first"
    )


def test_the_page_and_the_pdf_say_how_close_and_separate_worsenings(client, owner, bank):
    from assess.report.storage import render_pdf
    from tests.test_report import flat, pdf_text

    assessment = _through_the_pages(client, owner, _by_name("Dutch logistics"))
    page = client.get(f"/a/{assessment.code}/result/").text
    assert "Your recommendation: Operational alliances, as a receive-only member" in page
    assert "How firm:" in page
    assert "One answer from Cyber hygiene first, if answers got weaker." in page
    assert "What would bring it down" in page
    assert "Down to Cyber hygiene first if:" in page
    assert "To move up" not in page and "To reach" not in page
    # After submitting, "what if" is one click from the result.
    assert f'href="/a/{assessment.code}/what-if/"' in page
    _reader, text = pdf_text(render_pdf(assessment))
    text = flat(text)
    assert "Operational alliances, as a receive-only member" in text
    assert "One answer from Cyber hygiene first, if answers got weaker." in text
    assert "What would bring it down" in text
    # The summary says it before the reasons do.
    assert text.index("One answer from Cyber hygiene first") < text.index("The main reasons")
