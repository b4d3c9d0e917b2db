"""The rules on their own: plain data in, plain data out, no database.

TINY has one question per dimension, five levels each (0, 25, 50, 75, 100). Its appetite
questions S (sharing) and K (public commitments) are answered alike by `tiny_answers` unless
a test sets them apart, so the older one-tolerance cases still read as they did."""

import dataclasses

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess import rules, vocabulary

T = rules.Thresholds(
    operational_capacity=40,
    operational_capacity_threatened=25,
    threat_high=60,
    contributing_capacity=65,
    contributing_sharing_tolerance=45,
    normative_exposure=55,
    normative_commitment_tolerance=40,
    signatory_exposure=75,
    signatory_commitment_tolerance=60,
    geopolitical_high=60,
    geopolitical_override_commitment_tolerance=70,
    commitment_tolerance_low=35,
    min_known_share=50,
    min_answered_share=60,
)
LEVELS = ["l0", "l1", "l2", "l3", "l4"]  # 0, 25, 50, 75, 100 on the question's dimension


def _question(code, dim, tags_at=None, section=""):
    tags_at = tags_at or {}
    return rules.Question(
        code=code,
        text=f"{dim}?",
        section=section,
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


QUESTIONS = (
    _question("C", "capacity", section="cap"),
    _question("S", "sharing_tolerance", section="share"),
    _question("TH", "threat"),
    _question("E", "exposure"),
    _question("K", "commitment_tolerance"),
    _question("G", "geopolitical_exposure"),
)
TINY = rules.Bank(
    slug="tiny",
    version=1,
    name="Tiny",
    thresholds=T,
    questions=QUESTIONS,
    plans=rules.plans_from_document(
        {
            "hygiene_first": [{"window": "Days 1-30", "action": "Turn on MFA", "owner": "cio"}],
            "operational_receive": [{"window": "Days 1-30", "action": "Join", "owner": "ciso"}],
        }
    ),
    who_knows={"cap": "The SOC lead", "share": "Legal counsel"},
)


def tiny_answers(c, r, e, g, *, th=0, s=None, k=None):
    return {
        "C": (f"l{c}",),
        "S": (f"l{r if s is None else s}",),
        "TH": (f"l{th}",),
        "E": (f"l{e}",),
        "K": (f"l{r if k is None else k}",),
        "G": (f"l{g}",),
    }


def bank_with(**changes):
    fields = {f: getattr(TINY, f) for f in TINY.__dataclass_fields__}
    return rules.Bank(**dict(fields, **changes))


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
        # High geopolitics narrows the pledge to a broad statement, as a supporter.
        ((1, 2, 4, 3), "normative", None, "supporter"),
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
    result = rules.evaluate(TINY, tiny_answers(1, 2, 3, 4, th=1, k=0)).as_dict()
    assert [result["scores"][d]["score"] for d in vocabulary.DIMENSIONS] == [25, 50, 25, 75, 0, 100]


BOUNDARIES = [
    ("operational_capacity", {"capacity": None}, lambda d: d.operational_depth is not None),
    (
        "operational_capacity_threatened",
        {"capacity": None, "threat": 90},
        lambda d: d.operational_depth is not None,
    ),
    (
        "threat_high",
        {"capacity": 30, "threat": None},
        lambda d: d.operational_depth is not None,
    ),
    (
        "contributing_capacity",
        {"capacity": None, "sharing_tolerance": 90},
        lambda d: d.operational_depth == "contribute",
    ),
    (
        "contributing_sharing_tolerance",
        {"capacity": 90, "sharing_tolerance": None},
        lambda d: d.operational_depth == "contribute",
    ),
    (
        "normative_exposure",
        {"exposure": None, "commitment_tolerance": 50},
        lambda d: d.normative_depth is not None,
    ),
    (
        "normative_commitment_tolerance",
        {"exposure": 90, "commitment_tolerance": None},
        lambda d: d.normative_depth is not None,
    ),
    (
        "signatory_exposure",
        {"exposure": None, "commitment_tolerance": 90},
        lambda d: d.normative_depth == "signatory",
    ),
    (
        "signatory_commitment_tolerance",
        {"exposure": 90, "commitment_tolerance": None},
        lambda d: d.normative_depth == "signatory",
    ),
    (
        "geopolitical_high",
        {"exposure": 90, "commitment_tolerance": 50, "geopolitical_exposure": None},
        lambda d: not d.geopolitical_block,
    ),
    (
        "geopolitical_override_commitment_tolerance",
        {"exposure": 90, "commitment_tolerance": None, "geopolitical_exposure": 90},
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
    answers = tiny_answers(1, 1, 1, 0)  # capacity 25
    assert rules.evaluate(TINY, answers).outcome == "hygiene_first"
    assert rules.evaluate(bank_with(thresholds=lower), answers).outcome == "operational"


def test_thresholds_report_every_problem():
    problems = rules.Thresholds.problems({"operational_capacity": 140, "bogus": 1})
    assert any("operational_capacity" in p and "between 0 and 100" in p for p in problems)
    assert any("contributing_capacity is missing" in p for p in problems)
    assert any("Unknown threshold bogus" in p for p in problems)
    with pytest.raises(ValueError):
        rules.Thresholds.from_dict({"operational_capacity": 40})
    upside_down = dict(T.as_dict(), operational_capacity_threatened=50)
    assert any("must not be above" in p for p in rules.Thresholds.problems(upside_down))


def test_dont_know_counts_as_missing_not_zero():
    answers = dict(tiny_answers(3, 2, 2, 2), C=("unknown",))
    result = rules.evaluate(TINY, answers).as_dict()
    assert result["scores"]["capacity"]["score"] is None
    assert result["scores"]["capacity"]["confidence"] == 0
    assert result["unknown"] == 1
    assert result["confidence"] == 0  # the least-known dimension


def test_too_little_known_says_so():
    result = rules.evaluate(TINY, {"C": ("l4",)}).as_dict()
    assert result["provisional"] is True
    assert result["headline"].startswith("Provisional")
    assert result["caveats"][0]["code"] == "insufficient"
    full = rules.evaluate(TINY, tiny_answers(4, 4, 4, 0)).as_dict()
    assert full["provisional"] is False


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
        when=rules.When(countries_any=frozenset({"US"}), tracks_any=frozenset({"operational"})),
    )
    bank = bank_with(caveats=(caveat,))
    us = rules.Profile(countries=frozenset({"US"}))
    codes = lambda r: [c["code"] for c in r.as_dict()["caveats"]]  # noqa: E731
    assert "us_law" in codes(rules.evaluate(bank, tiny_answers(3, 1, 1, 0), us))
    assert "us_law" not in codes(rules.evaluate(bank, tiny_answers(1, 1, 1, 0), us))
    assert "us_law" not in codes(rules.evaluate(bank, tiny_answers(3, 1, 1, 0), rules.Profile()))
    # The headquarters counts as a country the organisation is in.
    hq = rules.Profile(headquarters="US")
    assert "us_law" in codes(rules.evaluate(bank, tiny_answers(3, 1, 1, 0), hq))


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
    assert {x["outcome"] for x in result["sensitivity"]} == {"operational", "normative", "both"}


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
        recommended, _related, _excluded = rules.match_alliances(
            default_catalogue, decision, profile, frozenset(tags)
        )
        return {a["slug"] for a in recommended}

    plain = names(set())
    assert {"fs-isac", "gb-cisp", "uk-fsccc"} <= plain
    assert not {"cta", "first", "tech-accord"} & plain
    assert "cta" in names({"security_vendor", "produces_intel"})
    assert "first" in names({"has_irt", "has_peer_sponsors"})
    assert "first" not in names({"has_irt"})
    assert "tech-accord" in names({"tech_company"})
    assert "fs-isac" not in names(
        set(), rules.Profile(sector="retail", countries=frozenset({"GB"}))
    )
    assert "gb-cisp" not in names(
        set(), rules.Profile(sector="financial_services", countries=frozenset({"FR"}))
    )
    assert "fs-isac" not in names({"no_membership_budget"})
    receive_only = rules.Decision("operational", "receive", None, False)
    assert "cta" not in names({"security_vendor", "produces_intel"}, decision=receive_only)


def test_suppliers_of_a_sector_match_its_body_only_where_it_admits_them(default_catalogue):
    """An OT maker whose customers are energy operators is matched with the European energy
    ISAC (which admits suppliers), not with a body that admits operators only."""
    decision = rules.Decision("operational", "receive", None, False)
    maker = rules.Profile(sector="manufacturing", countries=frozenset({"DE"}), headquarters="DE")
    by_slug = {a.slug: a for a in default_catalogue}
    assert by_slug["ee-isac"].suppliers and not by_slug["energysec-isao"].suppliers

    def slugs(tags):
        recommended, _, _x = rules.match_alliances(
            default_catalogue, decision, maker, frozenset(tags)
        )
        return {a["slug"] for a in recommended}

    assert "ee-isac" in slugs({"serves_energy", "industrial_supply_chain"})
    assert "ee-isac" not in slugs({"industrial_supply_chain"})
    entry = next(
        a
        for a in rules.match_alliances(
            default_catalogue, decision, maker, frozenset({"serves_energy"})
        )[0]
        if a["slug"] == "ee-isac"
    )
    assert "open to suppliers of its sector" in entry["why"]


def test_size_bands_and_any_of_tags_limit_an_entry():
    decision = rules.Decision("operational", "receive", None, False)
    sme_only = rules.Alliance(
        slug="sme",
        name="SME help",
        kind="GOV",
        track="operational",
        level="receive",
        size_bands=frozenset({"micro", "small"}),
    )
    ci_only = rules.Alliance(
        slug="ci",
        name="CI circle",
        kind="GOV",
        track="operational",
        level="receive",
        requires_any_tags=frozenset({"critical_infrastructure", "nis2_in_scope"}),
    )

    def slugs(size, tags=()):
        recommended, _, _x = rules.match_alliances(
            [sme_only, ci_only], decision, rules.Profile(size_band=size), frozenset(tags)
        )
        return {a["slug"] for a in recommended}

    assert slugs("micro") == {"sme"}
    assert slugs("enterprise") == set()
    assert slugs("enterprise", {"nis2_in_scope"}) == {"ci"}


def test_hygiene_first_offers_only_free_one_way_starting_points(default_catalogue):
    decision = rules.Decision("hygiene_first", None, None, False)
    recommended, _, _x = rules.match_alliances(
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
        assert alliance.free and entry["free"]


def test_hygiene_first_never_offers_a_body_whose_cost_is_not_stated():
    decision = rules.Decision("hygiene_first", None, None, False)
    unstated = rules.Alliance(
        slug="quiet",
        name="Quiet",
        kind="GOV",
        track="operational",
        level="receive",
        cost="Not stated by the operator.",
    )
    stated = dataclasses.replace(unstated, slug="open", name="Open", cost="Free", free=True)
    recommended, _, _x = rules.match_alliances(
        [unstated, stated], decision, rules.Profile(), frozenset()
    )
    assert [(a["slug"], a["role"], a["free"]) for a in recommended] == [
        ("open", "starting_point", True)
    ]


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
    for d in vocabulary.DIMENSIONS:
        score = first["scores"][d]["score"]
        assert score is None or 0 <= score <= 100
        assert 0 <= first["scores"][d]["confidence"] <= 100
    assert first["outcome"] in vocabulary.OUTCOMES
    assert rules.evaluate(default_bank, answers).as_dict() == first


SCORE = st.integers(0, 100)


@given(c1=SCORE, c2=SCORE, s=SCORE, th=SCORE, e=SCORE, k=SCORE, g=SCORE)
def test_raising_capacity_never_lowers_the_operational_depth(c1, c2, s, th, e, k, g):
    rank = {None: 0, "receive": 1, "contribute": 2}
    low, high = sorted([c1, c2])
    scores = {
        "sharing_tolerance": s,
        "threat": th,
        "exposure": e,
        "commitment_tolerance": k,
        "geopolitical_exposure": g,
    }
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
        assert first["provisional"] and first["outcome"] == "hygiene_first"
        assert all(first["scores"][d]["score"] is None for d in vocabulary.DIMENSIONS)
    if kind == "maximum":
        assert first["outcome"] == "both" and not first["provisional"]
        assert all(first["scores"][d]["score"] == 100 for d in vocabulary.DIMENSIONS)
        assert (first["operational_depth"], first["normative_depth"]) == (
            "contribute",
            "signatory",
        )


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
    result = rules.evaluate(TINY, {"S": ("l4",), "K": ("l4",), "G": ("l0",)}).as_dict()
    codes = [r["code"] for r in result["reasons"]]
    assert "capacity_unknown" in codes and "capacity_short" not in codes
    assert "exposure_unknown" in codes and "exposure_low" not in codes
    assert all("scores —" not in r["text"] for r in result["reasons"])


def test_unknown_commitment_appetite_raises_no_low_tolerance_caveat():
    result = rules.evaluate(TINY, {"C": ("l3",), "E": ("l4",), "G": ("l4",)}).as_dict()
    assert result["scores"]["commitment_tolerance"]["score"] is None
    assert "geopolitical_low_tolerance" not in [c["code"] for c in result["caveats"]]
    assert result["normative_depth"] is None
    assert "commitment_tolerance" in result["open_dimensions"]


# --- Two appetites, threat pressure, gates --------------------------------------------------


def _depths(result):
    return (result["outcome"], result["operational_depth"], result["normative_depth"])


def test_each_track_weighs_its_own_appetite():
    """A bank that shares freely but avoids public positions contributes and pledges nothing;
    the reverse pledges and only receives."""
    sharer = rules.evaluate(TINY, tiny_answers(4, 0, 4, 0, s=4, k=0)).as_dict()
    assert _depths(sharer) == ("operational", "contribute", None)
    pledger = rules.evaluate(TINY, tiny_answers(4, 0, 4, 0, s=0, k=4)).as_dict()
    assert _depths(pledger) == ("both", "receive", "signatory")


def test_high_threat_pressure_lowers_the_capacity_a_receive_only_member_needs():
    calm = rules.evaluate(TINY, tiny_answers(1, 1, 1, 0, th=1)).as_dict()  # capacity 25
    assert calm["outcome"] == "hygiene_first"
    pressed = rules.evaluate(TINY, tiny_answers(1, 1, 1, 0, th=3)).as_dict()
    assert (pressed["outcome"], pressed["operational_depth"]) == ("operational", "receive")
    assert "capacity_sufficient_under_threat" in [r["code"] for r in pressed["reasons"]]
    nobody = rules.evaluate(TINY, tiny_answers(0, 1, 1, 0, th=4)).as_dict()
    assert nobody["outcome"] == "hygiene_first"  # no capacity at all: nothing to act with


def _gate(code, question, choices, **limits):
    return rules.Gate(
        code=code,
        text=f"{code} applies",
        when=(rules.Condition(question, frozenset(choices)),),
        limits=limits,
    )


APPROVAL = rules.Question(
    code="AP",
    text="Approved to share?",
    choices=(
        rules.Choice("yes", "Yes"),
        rules.Choice("no", "No"),
        rules.Choice("unknown", "Don't know", is_unknown=True),
    ),
)
GATED = bank_with(
    questions=(*QUESTIONS, APPROVAL),
    gates=(
        _gate("board_opposed", "K", {"l0", "l1"}, normative="none"),
        _gate("light_only", "E", {"l3"}, normative="supporter"),
        _gate("no_approval", "AP", {"no"}, operational="receive"),
    ),
)


def test_a_gate_caps_its_track_whatever_the_scores():
    # No approval to share caps a strong, willing team at receive-only.
    answers = dict(tiny_answers(4, 4, 0, 0), AP=("no",))
    result = rules.evaluate(GATED, answers).as_dict()
    assert result["operational_depth"] == "receive"
    gate = next(r for r in result["reasons"] if r.get("gate") == "no_approval")
    assert gate["binding"] is True and gate["drivers"][0]["question"] == "AP"
    assert gate["drivers"][0]["answer"] == "No"
    approved = rules.evaluate(GATED, dict(answers, AP=("yes",))).as_dict()
    assert approved["operational_depth"] == "contribute"
    assert result["caps"]["operational"] == "receive"
    # Light statements only: a supporter at most.
    light = rules.evaluate(GATED, tiny_answers(1, 4, 3, 0)).as_dict()
    assert light["normative_depth"] == "supporter"


def test_a_gate_that_changes_nothing_is_shown_as_not_binding():
    result = rules.evaluate(GATED, tiny_answers(4, 4, 0, 0, k=1)).as_dict()  # exposure 0
    gate = next(g for g in result["gates"] if g["code"] == "board_opposed")
    assert gate["binding"] is False and result["normative_depth"] is None


def test_what_would_change_this_never_routes_around_a_gate():
    """Board opposed: the only route to a normative outcome changes the board's answer, and
    says it lifts the gate."""
    answers = tiny_answers(1, 1, 4, 0, k=1)
    result = rules.evaluate(GATED, answers).as_dict()
    assert result["normative_depth"] is None
    for entry in result["sensitivity"]:
        if entry["outcome"] in ("normative", "both") and entry["reachable"]:
            k_change = next(c for c in entry["changes"] if c["question"] == "K")
            assert k_change["lifts_gates"] == ["board_opposed"]
            changed = dict(
                answers, **{c["question"]: tuple(c["to_codes"]) for c in entry["changes"]}
            )
            assert rules.evaluate(GATED, changed).outcome == entry["outcome"]


def test_sensitivity_moves_one_step_at_a_time_and_never_changes_a_fact():
    fact_e = rules.Question(code="E", text="designated?", fact=True, choices=QUESTIONS[3].choices)
    bank = bank_with(questions=(*QUESTIONS[:3], fact_e, *QUESTIONS[4:]))
    result = rules.evaluate(bank, tiny_answers(0, 1, 0, 0)).as_dict()
    for entry in result["sensitivity"]:
        for change in entry["changes"]:
            assert change["question"] != "E"
            q = bank.question(change["question"])
            codes = [c.code for c in q.choices if not c.is_unknown]
            before = codes.index(tiny_answers(0, 1, 0, 0)[change["question"]][0])
            assert abs(codes.index(change["to_codes"][0]) - before) == 1
    normative = next(x for x in result["sensitivity"] if x["outcome"] == "normative")
    assert not normative["reachable"]  # exposure is a fact here


def test_sensitivity_never_proposes_an_answer_implausible_for_the_size():
    big_team = rules.Choice("l4", "More than 20", {"capacity": 4}, sizes=frozenset({"large"}))
    c = rules.Question(code="C", text="team?", choices=(*QUESTIONS[0].choices[:4], big_team))
    bank = bank_with(questions=(c, *QUESTIONS[1:]))
    answers = tiny_answers(3, 1, 0, 0)
    micro = rules.evaluate(bank, answers, rules.Profile(size_band="micro")).as_dict()
    rules.evaluate(bank, answers, rules.Profile(size_band="large")).as_dict()

    def proposed(result):
        return {
            tuple(ch["to_codes"])
            for x in result["sensitivity"]
            for ch in x["changes"]
            if ch["question"] == "C"
        }

    assert ("l4",) not in proposed(micro)
    contribute = rules.evaluate(bank, dict(answers, C=("l4",), S=("l4",))).as_dict()
    assert contribute["operational_depth"] == "contribute"  # l4 would have helped


# --- Uncertainty ------------------------------------------------------------------------------


def test_a_deciding_dimension_mostly_unknown_makes_the_result_provisional():
    two_capacity = bank_with(
        questions=(*QUESTIONS, _question("C2", "capacity", section="cap")),
    )
    answers = dict(tiny_answers(2, 1, 1, 0), C2=("unknown",), C=("unknown",))
    answers["C"] = ("l2",)  # one of two capacity questions known: 50% known
    strict = bank_with(
        questions=two_capacity.questions,
        thresholds=rules.Thresholds(**dict(T.as_dict(), min_known_share=60)),
    )
    result = rules.evaluate(strict, answers).as_dict()
    assert result["open_dimensions"] == ["capacity"]
    assert result["provisional"] and result["provisional_dimensions"] == ["capacity"]
    assert result["headline"].startswith("Provisional: too little is known about security capacity")
    # Inside a sentence the dimension is named as a phrase, in every language.
    with translation.override("fr"):
        french = rules.evaluate(strict, answers).as_dict()["headline"]
    assert "capacité de sécurité" in french and "Capacité de sécurité" not in french, french

    assert result["find_out"][0] == {
        "question": "C2",
        "text": "capacity?",
        "section": "cap",
        "who_knows": "The SOC lead",
        "dimensions": ["Security capacity"],
    }
    # The same unknown on a dimension that cannot change the outcome is only reported.
    settled = rules.evaluate(strict, dict(answers, C=("l4",))).as_dict()
    assert settled["open_dimensions"] == [] and not settled["provisional"]


def test_an_unknown_gate_answer_that_could_change_the_result_is_named():
    answers = dict(tiny_answers(4, 4, 0, 0), AP=("unknown",))
    result = rules.evaluate(GATED, answers).as_dict()
    assert result["operational_depth"] == "contribute"
    assert result["open_gates"] == ["no_approval"]
    assert result["find_out"][0]["question"] == "AP"


# --- One number everywhere ----------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_every_number_a_reason_quotes_is_a_shown_score_or_a_threshold(default_bank, data):
    import re

    answers = data.draw(answer_sets(default_bank))
    result = rules.evaluate(default_bank, answers, with_sensitivity=False).as_dict()
    allowed = {str(v["score"]) for v in result["scores"].values() if v["score"] is not None}
    allowed |= {str(vocabulary.shown(v)) for v in result["thresholds"].values()}
    for reason in result["reasons"]:
        for number in re.findall(r"\b\d+\b", reason["text"]):
            assert number in allowed, (number, reason["text"])


def test_scores_are_whole_numbers_rounded_half_up_as_the_pages_show_them():
    assert [vocabulary.shown(x) for x in (29.5, 38.5, 54.49, None)] == [30, 39, 54, None]
    three = rules.Question(
        code="C",
        text="c",
        choices=tuple(rules.Choice(f"l{i}", "x", {"capacity": i}) for i in range(4)),
    )
    eight = rules.Question(
        code="C2",
        text="c",
        choices=tuple(rules.Choice(f"l{i}", "x", {"capacity": i}) for i in range(5)),
    )
    bank = bank_with(questions=(three, eight, *QUESTIONS[1:]))
    # (1 + 2) / (3 + 4) = 42.857..., shown 43; the decision uses 43 too.
    result = rules.evaluate(bank, {"C": ("l1",), "C2": ("l2",)}).as_dict()
    assert result["scores"]["capacity"]["score"] == 43


# --- The plan fitted to the company --------------------------------------------------------


def test_the_plan_keeps_what_is_done_drops_what_does_not_apply_and_names_owners_by_size():
    plans = rules.plans_from_document(
        {
            "operational_receive": [
                {
                    "window": "Days 1-30",
                    "action": "Get sign-off to share",
                    "owner": "legal",
                    "done_if": [{"question": "S", "choices": ["l3", "l4"]}],
                    "keep": "Keep the sign-off current",
                },
                {
                    "window": "Days 1-30",
                    "action": "Tell the NIS2 authority",
                    "owner": "legal",
                    "only_if": {"tags_any": ["nis2_in_scope"]},
                },
                {"window": "Days 31-60", "action": "Brief the board", "owner": "board"},
                {
                    "window": "Days 31-60",
                    "action": "Start sharing",
                    "owner": "soc_lead",
                    "done_if": [{"question": "S", "choices": ["l4"]}],
                },
            ]
        }
    )
    bank = bank_with(plans=plans)
    answers = tiny_answers(2, 1, 0, 0, s=4)
    small = rules.evaluate(bank, answers, rules.Profile(size_band="micro")).as_dict()["plan"]
    assert [(p["action"], p["status"], p["owner"]) for p in small] == [
        ("Keep the sign-off current", "keep", "External legal adviser"),
        ("Brief the board", "do", "Managing director"),
    ]
    large = rules.evaluate(
        bank, tiny_answers(2, 1, 0, 0, s=0), rules.Profile(size_band="enterprise")
    ).as_dict()["plan"]
    assert [(p["action"], p["owner"]) for p in large] == [
        ("Get sign-off to share", "Legal counsel"),
        ("Brief the board", "Board"),
        ("Start sharing", "SOC lead"),
    ]


# --- Monotone gates on the default bank -----------------------------------------------------

OP_RANK = {None: 0, "receive": 1, "contribute": 2}
NORM_RANK = {None: 0, "supporter": 1, "signatory": 2}


def _ordered(default_bank, code, key):
    q = default_bank.question(code)
    return sorted((c for c in q.choices if not c.is_unknown), key=key)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_a_more_opposed_board_never_adds_a_normative_recommendation(default_bank, data):
    answers = data.draw(answer_sets(default_bank))
    for code in ("RSK-01", "RSK-02"):
        choices = _ordered(default_bank, code, lambda c: c.points.get("commitment_tolerance", 0))
        lo, hi = sorted(
            data.draw(st.lists(st.integers(0, len(choices) - 1), min_size=2, max_size=2))
        )
        opposed = rules.evaluate(
            default_bank, dict(answers, **{code: (choices[lo].code,)}), with_sensitivity=False
        ).as_dict()
        open_ = rules.evaluate(
            default_bank, dict(answers, **{code: (choices[hi].code,)}), with_sensitivity=False
        ).as_dict()
        assert NORM_RANK[opposed["normative_depth"]] <= NORM_RANK[open_["normative_depth"]]
        if choices[lo].code in ("against", "avoid"):
            assert opposed["normative_depth"] is None


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_withdrawing_approval_to_share_never_deepens_operational_membership(default_bank, data):
    answers = data.draw(answer_sets(default_bank))
    choices = _ordered(default_bank, "SHR-01", lambda c: c.points.get("sharing_tolerance", 0))
    lo, hi = sorted(data.draw(st.lists(st.integers(0, len(choices) - 1), min_size=2, max_size=2)))
    withdrawn = rules.evaluate(
        default_bank, dict(answers, **{"SHR-01": (choices[lo].code,)}), with_sensitivity=False
    ).as_dict()
    approved = rules.evaluate(
        default_bank, dict(answers, **{"SHR-01": (choices[hi].code,)}), with_sensitivity=False
    ).as_dict()
    assert OP_RANK[withdrawn["operational_depth"]] <= OP_RANK[approved["operational_depth"]]
    if choices[lo].code == "none":
        assert withdrawn["operational_depth"] != "contribute"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_suggested_route_is_one_a_gate_forbids(default_bank, data):
    answers = data.draw(answer_sets(default_bank))
    result = rules.evaluate(default_bank, answers).as_dict()
    for entry in result["sensitivity"]:
        if entry["reachable"]:
            changed = _apply(answers, entry["changes"])
            assert (
                rules.evaluate(default_bank, changed, with_sensitivity=False).outcome
                == entry["outcome"]
            )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_reason_argues_for_more_than_the_result_gives(default_bank, data):
    """Where a gate cuts a track short its own reason says why; no other reason speaks for
    the deeper depth the scores alone would give."""
    answers = data.draw(answer_sets(default_bank))
    result = rules.evaluate(default_bank, answers, with_sensitivity=False).as_dict()
    codes = {r["code"] for r in result["reasons"]}
    if result["operational_depth"] != "contribute":
        assert "can_contribute" not in codes
    if result["operational_depth"] is None:
        assert not codes & {
            "capacity_sufficient",
            "capacity_sufficient_under_threat",
            "threat_high",
            "receive_only",
        }
    if result["normative_depth"] != "signatory":
        assert "signatory" not in codes
    if result["normative_depth"] is None:
        assert not codes & {"normative_fit", "normative_fit_despite_geopolitics", "supporter"}
    for gate in result["gates"]:
        if gate["binding"]:
            assert f"gate:{gate['code']}" in codes


def test_a_binding_gate_replaces_the_reasons_for_the_deeper_depth():
    answers = dict(tiny_answers(4, 4, 0, 0), AP=("no",))
    result = rules.evaluate(GATED, answers).as_dict()
    codes = [r["code"] for r in result["reasons"]]
    assert "can_contribute" not in codes and "receive_only" not in codes
    assert "gate:no_approval" in codes


def test_a_list_in_a_sentence_is_joined_as_each_language_joins_it():
    from assess.vocabulary import and_list

    assert and_list([]) == "" and and_list(["a"]) == "a"
    assert and_list(["a", "b", "c"]) == "a, b and c"
    with translation.override("fr"):
        assert and_list(["a", "b"]) == "a et b"
    with translation.override("de"):
        assert and_list(["a", "b"]) == "a und b"
