"""The rules module on its own: plain data in, plain data out, no database."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess import rules

T = rules.Thresholds(
    operational_capacity=40,
    contributing_capacity=65,
    contributing_risk_tolerance=45,
    normative_exposure=55,
    normative_risk_tolerance=40,
    signatory_exposure=75,
    signatory_risk_tolerance=60,
    geopolitical_high=60,
    geopolitical_override_risk_tolerance=70,
    risk_tolerance_low=35,
    min_confidence=50,
    min_answered_share=60,
)
LEVELS = ["l0", "l1", "l2", "l3", "l4"]  # 0, 25, 50, 75, 100 on the question's dimension


def _question(code, dim, tags_at=None):
    tags_at = tags_at or {}
    return rules.Question(
        code=code,
        text=f"{dim}?",
        choices=tuple(
            rules.Choice(
                code=f"l{i}",
                label=f"level {i}",
                points={dim: i},
                tags=frozenset(tags_at.get(i, ())),
            )
            for i in range(5)
        )
        + (rules.Choice(code="unknown", label="Don't know", is_unknown=True),),
    )


TINY = rules.Bank(
    slug="tiny",
    version=1,
    name="Tiny",
    thresholds=T,
    questions=(
        _question("C", "capacity"),
        _question("R", "risk_tolerance"),
        _question("E", "exposure"),
        _question("G", "geopolitical_exposure"),
    ),
    plans={
        "hygiene_first": [{"window": "Days 1-30", "action": "Turn on MFA", "owner": "CIO"}],
        "operational_receive": [{"window": "Days 1-30", "action": "Join", "owner": "CISO"}],
    },
)


def tiny_answers(c, r, e, g):
    return {"C": (f"l{c}",), "R": (f"l{r}",), "E": (f"l{e}",), "G": (f"l{g}",)}


@pytest.mark.parametrize(
    ("levels", "outcome", "op_depth", "norm_depth"),
    [
        ((1, 1, 1, 0), "hygiene_first", None, None),
        ((2, 1, 1, 0), "operational", "receive", None),
        ((3, 2, 1, 0), "operational", "contribute", None),
        ((3, 1, 1, 0), "operational", "receive", None),  # capacity enough, risk too low
        ((1, 2, 3, 0), "normative", None, "supporter"),
        ((1, 3, 3, 0), "normative", None, "signatory"),
        ((2, 2, 3, 0), "both", "receive", "supporter"),
        ((4, 3, 4, 0), "both", "contribute", "signatory"),
        ((1, 2, 4, 3), "hygiene_first", None, None),  # high geopolitics blocks the pledge
        ((1, 3, 4, 3), "normative", None, "signatory"),  # tolerance 75 overrides geopolitics
        ((0, 0, 0, 0), "hygiene_first", None, None),
        ((4, 4, 4, 4), "both", "contribute", "signatory"),
    ],
)
def test_it_gives_each_outcome_and_depth(levels, outcome, op_depth, norm_depth):
    result = rules.evaluate(TINY, tiny_answers(*levels)).as_dict()
    assert (result["outcome"], result["operational_depth"], result["normative_depth"]) == (
        outcome,
        op_depth,
        norm_depth,
    )
    assert result["rules_version"] == rules.RULES_VERSION


def test_scores_are_points_over_reachable_points():
    result = rules.evaluate(TINY, tiny_answers(1, 2, 3, 4)).as_dict()
    assert [result["scores"][d]["score"] for d in rules.DIMENSIONS] == [25, 50, 75, 100]


BOUNDARIES = [
    ("operational_capacity", {"capacity": None}, lambda d: d.operational_depth is not None),
    (
        "contributing_capacity",
        {"capacity": None, "risk_tolerance": 90},
        lambda d: d.operational_depth == "contribute",
    ),
    (
        "contributing_risk_tolerance",
        {"capacity": 90, "risk_tolerance": None},
        lambda d: d.operational_depth == "contribute",
    ),
    (
        "normative_exposure",
        {"exposure": None, "risk_tolerance": 50},
        lambda d: d.normative_depth is not None,
    ),
    (
        "normative_risk_tolerance",
        {"exposure": 90, "risk_tolerance": None},
        lambda d: d.normative_depth is not None,
    ),
    (
        "signatory_exposure",
        {"exposure": None, "risk_tolerance": 90},
        lambda d: d.normative_depth == "signatory",
    ),
    (
        "signatory_risk_tolerance",
        {"exposure": 90, "risk_tolerance": None},
        lambda d: d.normative_depth == "signatory",
    ),
    (
        "geopolitical_high",
        {"exposure": 90, "risk_tolerance": 50, "geopolitical_exposure": None},
        lambda d: not d.geopolitical_block,
    ),
    (
        "geopolitical_override_risk_tolerance",
        {"exposure": 90, "risk_tolerance": None, "geopolitical_exposure": 90},
        lambda d: not d.geopolitical_block,
    ),
]


@pytest.mark.parametrize(("name", "scores", "holds"), BOUNDARIES, ids=[b[0] for b in BOUNDARIES])
def test_each_threshold_is_a_sharp_boundary(name, scores, holds):
    cut = getattr(T, name)
    base = {"capacity": 0, "risk_tolerance": 0, "exposure": 0, "geopolitical_exposure": 0}
    (dim,) = [d for d, v in scores.items() if v is None]
    at = rules.decide({**base, **scores, dim: cut}, T)
    below = rules.decide({**base, **scores, dim: cut - 0.1}, T)
    if name == "geopolitical_high":  # reaching the cut switches the block on
        assert holds(below) and not holds(at)
    else:
        assert holds(at) and not holds(below)


def test_thresholds_come_from_the_bank():
    lower = rules.Thresholds(**dict(T.as_dict(), operational_capacity=20))
    bank = rules.Bank(
        slug="tiny", version=2, name="Tiny", questions=TINY.questions, thresholds=lower
    )
    answers = tiny_answers(1, 1, 1, 0)  # capacity 25
    assert rules.evaluate(TINY, answers).outcome == "hygiene_first"
    assert rules.evaluate(bank, answers).outcome == "operational"


def test_thresholds_report_every_problem():
    problems = rules.Thresholds.problems({"operational_capacity": 140, "bogus": 1})
    assert any("operational_capacity" in p and "between 0 and 100" in p for p in problems)
    assert any("contributing_capacity is missing" in p for p in problems)
    assert any("Unknown threshold bogus" in p for p in problems)
    with pytest.raises(ValueError):
        rules.Thresholds.from_dict({"operational_capacity": 40})


def test_dont_know_counts_as_missing_not_zero():
    answers = dict(tiny_answers(3, 2, 2, 2), C=("unknown",))
    result = rules.evaluate(TINY, answers).as_dict()
    assert result["scores"]["capacity"]["score"] is None
    assert result["scores"]["capacity"]["confidence"] == 0
    assert result["unknown"] == 1
    assert result["confidence"] == 75


def test_too_little_known_says_so():
    result = rules.evaluate(TINY, {"C": ("l4",)}).as_dict()
    assert result["insufficient"] is True
    assert result["headline"].startswith("Too little is known")
    assert result["caveats"][0]["code"] == "insufficient"
    full = rules.evaluate(TINY, tiny_answers(4, 4, 4, 0)).as_dict()
    assert full["insufficient"] is False


def test_reasons_name_the_answers_that_drove_them():
    result = rules.evaluate(TINY, tiny_answers(1, 1, 1, 0)).as_dict()
    by_code = {r["code"]: r for r in result["reasons"]}
    assert "capacity_short" in by_code
    driver = by_code["capacity_short"]["drivers"][0]
    assert driver["question"] == "C" and driver["answer"] == "level 1"
    assert (driver["points"], driver["of"]) == (1, 4)


def test_geopolitical_caveat_fires_for_high_exposure_and_low_tolerance():
    result = rules.evaluate(TINY, tiny_answers(2, 1, 3, 4)).as_dict()
    assert "geopolitical_low_tolerance" in [c["code"] for c in result["caveats"]]
    calm = rules.evaluate(TINY, tiny_answers(2, 1, 3, 0)).as_dict()
    assert "geopolitical_low_tolerance" not in [c["code"] for c in calm["caveats"]]


def test_bank_caveats_match_tags_countries_and_tracks():
    caveat = rules.Caveat(
        code="us_law",
        text="Check the law",
        countries_any=frozenset({"US"}),
        tracks_any=frozenset({"operational"}),
    )
    bank = rules.Bank(
        slug="t", version=1, name="t", questions=TINY.questions, thresholds=T, caveats=(caveat,)
    )
    us = rules.Profile(countries=frozenset({"US"}))
    codes = lambda r: [c["code"] for c in r.as_dict()["caveats"]]  # noqa: E731
    assert "us_law" in codes(rules.evaluate(bank, tiny_answers(3, 1, 1, 0), us))
    assert "us_law" not in codes(rules.evaluate(bank, tiny_answers(1, 1, 1, 0), us))
    assert "us_law" not in codes(rules.evaluate(bank, tiny_answers(3, 1, 1, 0), rules.Profile()))


def test_conditional_questions_count_only_when_shown():
    source = _question("S", "capacity")
    hidden = rules.Question(
        code="H",
        text="only if S is l4",
        show_if=("S", frozenset({"l4"})),
        choices=(rules.Choice("a", "a", {"capacity": 0}), rules.Choice("b", "b", {"capacity": 4})),
    )
    bank = rules.Bank(slug="c", version=1, name="c", questions=(source, hidden), thresholds=T)
    shown = rules.evaluate(bank, {"S": ("l4",), "H": ("a",)}).as_dict()
    not_shown = rules.evaluate(bank, {"S": ("l2",), "H": ("a",)}).as_dict()
    assert shown["scores"]["capacity"]["score"] == 50  # (4 + 0) / (4 + 4)
    assert not_shown["scores"]["capacity"]["score"] == 50  # 2 / 4: H ignored
    assert not_shown["visible"] == 1 and shown["visible"] == 2


def test_sensitivity_finds_the_single_change_that_moves_the_outcome():
    result = rules.evaluate(TINY, tiny_answers(1, 1, 1, 0)).as_dict()
    to_operational = next(s for s in result["sensitivity"] if s["outcome"] == "operational")
    assert to_operational["reachable"]
    assert [c["question"] for c in to_operational["changes"]] == ["C"]
    assert {s["outcome"] for s in result["sensitivity"]} == {"operational", "normative", "both"}


def _apply(answers, changes):
    return dict(answers, **{change["question"]: tuple(change["to_codes"]) for change in changes})


@pytest.mark.parametrize("level", [0, 1, 2, 3, 4])
def test_every_suggested_change_set_really_reaches_its_outcome(default_bank, level):
    answers = {}
    for q in default_bank.questions:
        known = [c for c in q.choices if not c.is_unknown and c.code != "none"]
        answers[q.code] = (known[min(level, len(known) - 1)].code,)
    result = rules.evaluate(default_bank, answers).as_dict()
    assert result["sensitivity"], "there are always three other outcomes to consider"
    for entry in result["sensitivity"]:
        if entry["reachable"]:
            changed = _apply(answers, entry["changes"])
            assert rules.evaluate(default_bank, changed).outcome == entry["outcome"]


def test_alliances_match_on_sector_country_tags_and_depth(default_catalogue):
    decision = rules.Decision("both", "contribute", "signatory", False)
    profile = rules.Profile(sector="financial_services", countries=frozenset({"GB"}))

    def names(tags, profile=profile, decision=decision):
        recommended, _related = rules.match_alliances(
            default_catalogue, decision, profile, frozenset(tags)
        )
        return {a["slug"] for a in recommended}

    plain = names(set())
    cta = next(a.slug for a in default_catalogue if "security_vendor" in a.requires_tags)
    first = next(a.slug for a in default_catalogue if "has_peer_sponsors" in a.requires_tags)
    accord = next(
        a.slug
        for a in default_catalogue
        if a.requires_tags == {"tech_company"} and a.track == "normative"
    )
    fs_isac = next(a.slug for a in default_catalogue if a.sectors == {"financial_services"})
    cisp = next(a.slug for a in default_catalogue if a.countries == {"GB"})
    assert fs_isac in plain and cisp in plain
    assert cta not in plain and first not in plain and accord not in plain
    assert cta in names({"security_vendor", "produces_intel"})
    assert first in names({"has_irt", "has_peer_sponsors"})
    assert first not in names({"has_irt"})
    assert accord in names({"tech_company"})
    assert fs_isac not in names(set(), rules.Profile(sector="retail", countries=frozenset({"GB"})))
    assert cisp not in names(
        set(), rules.Profile(sector="financial_services", countries=frozenset({"FR"}))
    )
    assert fs_isac not in names({"no_membership_budget"})
    receive_only = rules.Decision("operational", "receive", None, False)
    assert cta not in names({"security_vendor", "produces_intel"}, decision=receive_only)


def test_hygiene_first_offers_only_free_one_way_starting_points(default_catalogue):
    decision = rules.Decision("hygiene_first", None, None, False)
    recommended, _ = rules.match_alliances(
        default_catalogue,
        decision,
        rules.Profile(sector="retail", countries=frozenset({"GB"})),
        frozenset(),
    )
    assert recommended
    by_slug = {a.slug: a for a in default_catalogue}
    for entry in recommended:
        alliance = by_slug[entry["slug"]]
        assert entry["role"] == "starting_point"
        assert alliance.level == "receive" and not alliance.is_paid


def test_plan_follows_the_outcome():
    result = rules.evaluate(TINY, tiny_answers(1, 1, 1, 0)).as_dict()
    assert [s["action"] for s in result["plan"]] == ["Turn on MFA"]
    result = rules.evaluate(TINY, tiny_answers(2, 1, 1, 0)).as_dict()
    assert [s["action"] for s in result["plan"]] == ["Join"]


# --- Properties -------------------------------------------------------------------------------


def answer_sets(bank):
    """Any mix of answered, don't-know and skipped questions, including invalid combos."""
    per_question = []
    for q in bank.questions:
        codes = [c.code for c in q.choices]
        if q.kind == "multi":
            per_question.append(
                st.one_of(st.none(), st.lists(st.sampled_from(codes), unique=True, max_size=3))
            )
        else:
            per_question.append(st.one_of(st.none(), st.sampled_from(codes).map(lambda c: [c])))
    return st.tuples(*per_question).map(
        lambda picks: {q.code: tuple(p) for q, p in zip(bank.questions, picks, strict=True) if p}
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_scores_stay_within_0_and_100_and_results_repeat(default_bank, data):
    answers = data.draw(answer_sets(default_bank))
    first = rules.evaluate(default_bank, answers).as_dict()
    for d in rules.DIMENSIONS:
        score = first["scores"][d]["score"]
        assert score is None or 0 <= score <= 100
        assert 0 <= first["scores"][d]["confidence"] <= 100
    assert first["outcome"] in rules.OUTCOMES
    assert rules.evaluate(default_bank, answers).as_dict() == first


@given(
    c1=st.floats(0, 100),
    c2=st.floats(0, 100),
    r=st.floats(0, 100),
    e=st.floats(0, 100),
    g=st.floats(0, 100),
)
def test_raising_capacity_never_lowers_the_operational_depth(c1, c2, r, e, g):
    rank = {None: 0, "receive": 1, "contribute": 2}
    low, high = sorted([c1, c2])
    scores = {"risk_tolerance": r, "exposure": e, "geopolitical_exposure": g}
    assert (
        rank[rules.decide(dict(scores, capacity=low), T).operational_depth]
        <= rank[rules.decide(dict(scores, capacity=high), T).operational_depth]
    )


def _capacity_only_questions(bank):
    dependents = {q.show_if[0] for q in bank.questions if q.show_if}
    return [
        q
        for q in bank.questions
        if q.code not in dependents
        and q.kind == "single"
        and all(set(c.points) <= {"capacity"} for c in q.choices)
        and any(c.points.get("capacity") for c in q.choices)
    ]


@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_a_better_capacity_answer_never_lowers_the_depth(default_bank, data):
    answers = data.draw(answer_sets(default_bank))
    q = data.draw(st.sampled_from(_capacity_only_questions(default_bank)))
    known = sorted(
        (c for c in q.choices if not c.is_unknown), key=lambda c: c.points.get("capacity", 0)
    )
    lo, hi = sorted(data.draw(st.lists(st.integers(0, len(known) - 1), min_size=2, max_size=2)))
    rank = {None: 0, "receive": 1, "contribute": 2}
    worse = rules.evaluate(
        default_bank, dict(answers, **{q.code: (known[lo].code,)}), with_sensitivity=False
    ).as_dict()
    better = rules.evaluate(
        default_bank, dict(answers, **{q.code: (known[hi].code,)}), with_sensitivity=False
    ).as_dict()
    assert rank[worse["operational_depth"]] <= rank[better["operational_depth"]]


@pytest.mark.parametrize("kind", ["unknown", "skipped", "maximum"])
def test_extreme_answer_sets_give_a_deterministic_result(default_bank, default_catalogue, kind):
    answers = {}
    for q in default_bank.questions:
        known = [c for c in q.choices if not c.is_unknown]
        unknown = [c for c in q.choices if c.is_unknown]
        if kind == "unknown" and unknown:
            answers[q.code] = (unknown[0].code,)
        elif kind == "maximum":
            best = max(known, key=lambda c: sum(c.points.values()))
            answers[q.code] = (
                tuple(c.code for c in known if c.code != "none")
                if q.kind == "multi"
                else (best.code,)
            )
    profile = rules.Profile(sector="information_technology", countries=frozenset({"US"}))
    first = rules.evaluate(default_bank, answers, profile, default_catalogue).as_dict()
    again = rules.evaluate(default_bank, answers, profile, default_catalogue).as_dict()
    assert first == again
    if kind == "skipped":
        assert first["insufficient"] and first["outcome"] == "hygiene_first"
        assert all(first["scores"][d]["score"] is None for d in rules.DIMENSIONS)
    if kind == "maximum":
        assert first["outcome"] == "both" and not first["insufficient"]
        assert all(first["scores"][d]["score"] == 100 for d in rules.DIMENSIONS)


def test_eu_regulatory_status_does_not_move_the_scores(default_bank):
    """Being outside NIS2 or DORA must not score lower than having no EU presence at all."""
    base = {}
    for q in default_bank.questions:
        known = [c for c in q.choices if not c.is_unknown and c.code != "none"]
        base[q.code] = (known[len(known) // 2].code,)
    outside_eu = dict(base, **{"PRO-05": ("no",)})
    in_eu = dict(base, **{"PRO-05": ("yes",), "PRO-06": ("out",), "PRO-07": ("no",)})
    essential = dict(in_eu, **{"PRO-06": ("essential",), "PRO-07": ("yes",)})
    scores = [
        rules.evaluate(default_bank, a, with_sensitivity=False).as_dict()["scores"]
        for a in (outside_eu, in_eu, essential)
    ]
    assert scores[0] == scores[1] == scores[2]


def test_an_unknown_dimension_is_called_unknown_not_low():
    result = rules.evaluate(TINY, {"R": ("l4",), "G": ("l0",)}).as_dict()
    codes = [r["code"] for r in result["reasons"]]
    assert "capacity_unknown" in codes and "capacity_short" not in codes
    assert "exposure_unknown" in codes and "exposure_low" not in codes
    assert all("scores —" not in r["text"] for r in result["reasons"])


def test_unknown_risk_tolerance_is_called_unknown_and_raises_no_low_tolerance_caveat():
    result = rules.evaluate(TINY, {"C": ("l3",), "E": ("l4",), "G": ("l4",)}).as_dict()
    assert result["scores"]["risk_tolerance"]["score"] is None
    assert "geopolitical_low_tolerance" not in [c["code"] for c in result["caveats"]]
    assert any("unknown" in r["text"] for r in result["reasons"])
