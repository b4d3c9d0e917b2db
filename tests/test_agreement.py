"""Agreement among workshop participants: pure functions, no database."""

from assess import rules
from assess.questionnaire import agreement

Q = rules.Question(
    code="Q",
    text="How big is your team?",
    choices=(
        rules.Choice("small", "Small", {"capacity": 1}),
        rules.Choice("mid", "Medium", {"capacity": 2}),
        rules.Choice("big", "Big", {"capacity": 4}),
        rules.Choice("unknown", "Don't know", is_unknown=True),
    ),
)
M = rules.Question(
    code="M",
    kind="multi",
    text="Which tools?",
    choices=(
        rules.Choice("siem", "SIEM", {"capacity": 1}),
        rules.Choice("edr", "EDR", {"capacity": 1}),
        rules.Choice("none", "None of these"),
    ),
)


def test_full_agreement_is_zero_disagreement():
    a = agreement.question_agreement(Q, {1: {"Q": ("mid",)}, 2: {"Q": ("mid",)}})
    assert (a.disagreement, a.answered, a.most_common) == (0.0, 2, ("mid",))


def test_disagreement_is_the_share_that_differs_from_the_most_common_answer():
    answers = {1: {"Q": ("mid",)}, 2: {"Q": ("mid",)}, 3: {"Q": ("big",)}, 4: {"Q": ("small",)}}
    a = agreement.question_agreement(Q, answers)
    assert a.disagreement == 0.5
    assert a.counts == {"mid": 2, "big": 1, "small": 1}
    assert a.most_common == ("mid",)


def test_dont_know_and_blanks_are_not_positions():
    answers = {1: {"Q": ("big",)}, 2: {"Q": ("unknown",)}, 3: {}}
    a = agreement.question_agreement(Q, answers)
    assert (a.answered, a.unknown, a.disagreement) == (1, 1, 0.0)


def test_when_everyone_who_answered_does_not_know_that_is_the_prefill():
    answers = {1: {"Q": ("unknown",)}, 2: {"Q": ("unknown",)}, 3: {}}
    a = agreement.question_agreement(Q, answers)
    assert (a.answered, a.unknown, a.most_common, a.tied) == (0, 2, ("unknown",), False)
    assert agreement.describe_row(Q, a) == "All 2 participants who answered do not know."
    # One known answer outweighs any number of "don't know".
    answers[3] = {"Q": ("big",)}
    assert agreement.question_agreement(Q, answers).most_common == ("big",)


def test_nobody_answering_prefills_nothing():
    a = agreement.question_agreement(Q, {1: {}, 2: {}})
    assert (a.most_common, a.unknown) == ((), 0)
    assert agreement.describe_row(Q, a) == "Nobody gave a known answer yet."


def test_a_tie_has_no_most_common_answer_and_lists_the_leaders_in_choice_order():
    answers = {1: {"Q": ("big",)}, 2: {"Q": ("small",)}}
    a = agreement.question_agreement(Q, answers)
    assert a.most_common == () and a.tied
    assert a.leaders == (("small",), ("big",)) and a.top == 1


def test_multi_choice_answers_compare_as_sets():
    answers = {1: {"M": ("edr", "siem")}, 2: {"M": ("siem", "edr")}, 3: {"M": ("siem",)}}
    a = agreement.question_agreement(M, answers)
    assert a.most_common == ("edr", "siem")
    assert round(a.disagreement, 2) == 0.33


def test_questions_are_ranked_by_disagreement():
    bank = rules.Bank(
        slug="b",
        version=1,
        name="b",
        questions=(Q, M),
        thresholds=rules.Thresholds(**dict.fromkeys(rules.Thresholds.names(), 50)),
    )
    answers = {1: {"Q": ("mid",), "M": ("siem",)}, 2: {"Q": ("big",), "M": ("siem",)}}
    assert [r.code for r in agreement.ranked_questions(bank, answers)] == ["Q", "M"]


def test_spread_and_participant_standing():
    assert agreement.spread([None, 40, 10, 90]) == (10, 40, 90)
    assert agreement.spread([None]) is None
    bank = rules.Bank(
        slug="b",
        version=1,
        name="b",
        questions=(Q,),
        thresholds=rules.Thresholds(**dict.fromkeys(rules.Thresholds.names(), 50)),
    )
    standing = rules.participant_standing(bank, {"a": {"Q": ("big",)}, "b": {"Q": ("mid",)}})
    scores = {key: s for key, (s, _shown, _answered) in standing.items()}
    assert [q.code for q in standing["a"][1]] == ["Q"] and standing["a"][2] == 1
    assert scores["a"]["capacity"] == 100 and scores["b"]["capacity"] == 50
    assert scores["a"]["exposure"] is None


def test_the_distribution_counts_each_known_choice_in_the_questions_order():
    answers = {1: {"Q": ("big",)}, 2: {"Q": ("big",)}, 3: {"Q": ("unknown",)}, 4: {"Q": ("small",)}}
    row = agreement.question_agreement(Q, answers)
    assert agreement.distribution(Q.choices, row) == [
        {"label": "Small", "count": 1},
        {"label": "Medium", "count": 0},
        {"label": "Big", "count": 2},
    ]
