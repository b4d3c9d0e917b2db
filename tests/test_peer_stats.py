"""The peer statistics, pure: positions, shares, when a group may be shown, and that no single
organisation's score can be worked out by comparing what two groups show."""

import itertools
import random

import pytest

from assess.insights.peer_stats import (
    GroupView,
    Peer,
    band,
    comparison,
    outcome_shares,
    stable_sample,
    standing,
    visible_groups,
)

DIMS = ("capacity", "sharing_tolerance", "exposure", "commitment_tolerance")
OUTCOMES = ("operational", "normative", "both", "hygiene_first")
K = 10


def peer(org, score, outcome="operational", key=None):
    return Peer(org, org if key is None else key, dict.fromkeys(DIMS, score), outcome)


def compare(mine, groups, k=K):
    return comparison(dict.fromkeys(DIMS, mine), groups, k=k, dimensions=DIMS, outcomes=OUTCOMES)


def test_scores_are_read_in_bands_of_twenty_with_100_in_the_top_band():
    assert [band(s) for s in (0, 19, 20, 55, 79, 80, 99, 100)] == [0, 0, 1, 2, 3, 4, 4, 4]


def test_the_sample_is_a_multiple_of_k_in_key_order():
    peers = [peer(i, 50, key=100 - i) for i in range(27)]
    sample = stable_sample(peers, K)
    assert len(sample) == 20
    assert [p.org for p in sample] == list(range(26, 6, -1))
    assert stable_sample(peers[:9], K) == []


def test_the_position_counts_peers_in_lower_and_higher_bands_in_whole_tenths():
    sample = [peer(i, s) for i, s in enumerate([5, 15, 25, 35, 40, 52, 59, 65, 75, 85])]
    s = standing(55, sample, "capacity")
    assert (s.below, s.above, s.same) == (4, 3, 3)
    # Twenty peers: 11 below is 5.5 tenths, said as 5 (rounded down).
    sample = [peer(i, 10 if i < 11 else 90) for i in range(20)]
    assert standing(50, sample, "capacity").below == 5


def test_outcome_shares_are_multiples_of_ten_percent():
    sample = [peer(i, 50, "operational" if i < 7 else "both") for i in range(10)]
    assert outcome_shares(sample, OUTCOMES) == {
        "operational": 70,
        "normative": 0,
        "both": 30,
        "hygiene_first": 0,
    }
    sample = [peer(i, 50, "operational" if i < 13 else "normative") for i in range(20)]
    shares = outcome_shares(sample, OUTCOMES)  # 65% and 35%: halves go up
    assert shares["operational"] == 70 and shares["normative"] == 40


def test_a_group_below_k_is_never_shown():
    groups = [("sector", [peer(i, 50) for i in range(9)])]
    assert compare(50, groups) == []
    groups = [("sector", [peer(i, 50) for i in range(10)])]
    [view] = compare(50, groups)
    assert isinstance(view, GroupView) and view.size == 10


def test_the_threshold_is_a_parameter():
    groups = [("all", [peer(i, 50) for i in range(5)])]
    assert compare(50, groups, k=5) and not compare(50, groups, k=6)


def test_a_result_without_every_main_score_is_not_compared():
    groups = [("all", [peer(i, 50) for i in range(10)])]
    scores = dict.fromkeys(DIMS, 50) | {"exposure": None}
    assert comparison(scores, groups, k=K, dimensions=DIMS, outcomes=OUTCOMES) == []


def test_a_group_that_differs_from_a_larger_one_by_fewer_than_k_is_left_out():
    everyone = [peer(i, 10 * (i % 10)) for i in range(25)]
    sector = everyone[:24]  # one organisation short of "all"
    assert visible_groups([("sector", sector), ("all", everyone)], K) == ["all"]
    sector = everyone[:15]  # ten short: subtracting gives ten organisations, not one
    assert visible_groups([("sector", sector), ("all", everyone)], K) == ["all", "sector"]


def test_two_groups_with_the_same_members_may_both_be_shown():
    everyone = [peer(i, 10 * (i % 10)) for i in range(12)]
    names = visible_groups([("sector", list(everyone)), ("all", everyone)], K)
    assert sorted(names) == ["all", "sector"]
    # ...and they show the same thing, so comparing them tells nothing.
    a, b = compare(40, [("sector", list(everyone)), ("all", everyone)])
    assert (a.standings, a.shares) == (b.standings, b.shares)


def _what_is_shown(views):
    return tuple((v.name, v.size, v.standings, tuple(sorted(v.shares.items()))) for v in views)


def _others(n, seed):
    rng = random.Random(seed)
    return [
        Peer(i, rng.randrange(1 << 30), {d: rng.randrange(101) for d in DIMS}, rng.choice(OUTCOMES))
        for i in range(1, n + 1)
    ]


def _candidates(observe, target_key, mine):
    """What two views show for each score the target could have: score -> (view, view)."""
    seen = {}
    for score in range(101):
        target = Peer(0, target_key, dict.fromkeys(DIMS, score), "both")
        seen[score] = observe(target, mine)
    return seen


def _consistent(seen, observed):
    return [score for score, shown in seen.items() if shown == observed]


# Someone who knows every other contributor's result exactly (far more than anyone can) and
# sees both views still cannot narrow the target's score below 20 points.
AT_LEAST = 20


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("size", [K - 1, K, K + 4, 2 * K - 1])
def test_sector_against_all_never_singles_out_the_one_organisation_outside_the_sector(seed, size):
    """The sector is everyone but one organisation (the target): the two groups' difference
    is exactly its result, so the sector is never shown beside "all"."""
    others = _others(size, seed)

    def observe(target, mine):
        everyone = [*others, target]
        return _what_is_shown(compare(mine, [("sector", others), ("all", everyone)]))

    for mine in (5, 35, 55, 95):
        seen = _candidates(observe, target_key=random.Random(seed).randrange(1 << 30), mine=mine)
        for score, shown in seen.items():
            assert all(name != "sector" for name, *_rest in shown)
            assert len(_consistent(seen, shown)) >= AT_LEAST, (mine, score)


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("size", [K - 1, K, K + 1, 2 * K - 1, 2 * K])
def test_one_consent_change_never_gives_away_the_organisation_that_changed(seed, size):
    """Before and after the target withdraws: the group with it and without it."""
    others = _others(size, seed)
    rng = random.Random(seed + 100)

    def observe(target, mine):
        before = _what_is_shown(compare(mine, [("all", [*others, target])]))
        after = _what_is_shown(compare(mine, [("all", others)]))
        return before, after

    for mine, key in itertools.product(
        (15, 45, 75, 100), [rng.randrange(1 << 30) for _ in range(4)]
    ):
        seen = _candidates(observe, target_key=key, mine=mine)
        for score, shown in seen.items():
            assert len(_consistent(seen, shown)) >= AT_LEAST, (size, mine, key, score)


def test_when_both_groups_are_shown_they_differ_by_at_least_k_organisations():
    rng = random.Random(7)
    for _ in range(200):
        everyone = _others(rng.randrange(K, 4 * K), rng.randrange(1000))
        sector = [p for p in everyone if rng.random() < 0.7]
        size = [p for p in everyone if rng.random() < 0.5]
        groups = [("sector", sector), ("size", size), ("all", everyone)]
        shown = dict(groups)
        names = visible_groups(groups, K)
        for a, b in itertools.combinations(names, 2):
            members = {p.org for p in shown[a]} ^ {p.org for p in shown[b]}
            sampled = {p.org for p in stable_sample(shown[a], K)} ^ {
                p.org for p in stable_sample(shown[b], K)
            }
            assert len(members) in (0, *range(K, 1000)) and len(sampled) in (0, *range(K, 1000))


def test_a_consent_change_outside_the_sample_changes_nothing_shown():
    others = [peer(i, 10 * (i % 10), key=i) for i in range(1, 12)]  # 11: ten in the sample
    late = peer(99, 100, key=10**6)  # its key sorts it last: outside the sample
    with_it = compare(50, [("all", [*others, late])])
    assert _what_is_shown(with_it) == _what_is_shown(compare(50, [("all", others)]))


def test_a_consent_change_inside_the_sample_swaps_it_for_another_member_or_k_at_once():
    others = [peer(i, 50, key=i) for i in range(1, 12)]
    target = peer(0, 50, key=0)
    before = {p.org for p in stable_sample([*others, target], K)}
    after = {p.org for p in stable_sample(others, K)}
    assert len(before ^ after) == 2 and 0 in before - after  # swapped for one other
    others = others[:9]  # ten with the target: without it, the group falls below k
    assert len(stable_sample([*others, target], K)) == 10 and stable_sample(others, K) == []
