"""The peer statistics, pure: positions, shares, when a group may be shown, when a group's
release may be replaced, and that no single organisation's score can be worked out by
comparing what two views show."""

import itertools
import random

import pytest

from assess.insights.peer_stats import (
    Cohort,
    GroupView,
    Peer,
    band,
    change_needed,
    changes,
    comparison,
    may_cut,
    outcome_shares,
    standing,
    visible_groups,
)

DIMS = ("capacity", "sharing_tolerance", "exposure", "commitment_tolerance")
OUTCOMES = ("operational", "normative", "both", "hygiene_first")
K = 10


def peer(org, score, outcome="operational", assessment=None):
    return Peer(org, org if assessment is None else assessment, dict.fromkeys(DIMS, score), outcome)


def group(name, peers, strangers=None):
    return (name, peers, len(peers) if strangers is None else strangers)


def compare(mine, groups, k=K):
    return comparison(dict.fromkeys(DIMS, mine), groups, k=k, dimensions=DIMS, outcomes=OUTCOMES)


def cohort(orgs, size=None, resubmitted=()):
    """A release of these organisations, each with assessment = its id (or -id if it
    re-submitted)."""
    pairs = frozenset((o, -o if o in resubmitted else o) for o in orgs)
    return Cohort(pairs, len(pairs) if size is None else size)


def test_scores_are_read_in_bands_of_twenty_with_100_in_the_top_band():
    assert [band(s) for s in (0, 19, 20, 55, 79, 80, 99, 100)] == [0, 0, 1, 2, 3, 4, 4, 4]


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
    groups = [group("sector", [peer(i, 50) for i in range(9)])]
    assert compare(50, groups) == []
    groups = [group("sector", [peer(i, 50) for i in range(10)])]
    [view] = compare(50, groups)
    assert isinstance(view, GroupView) and view.size == 10


def test_peers_who_share_a_person_with_the_viewer_do_not_count_towards_k():
    """Twelve peers, three of them run by the viewer's people: nine strangers are too few."""
    peers = [peer(i, 50) for i in range(12)]
    assert compare(50, [group("all", peers, strangers=9)]) == []
    [view] = compare(50, [group("all", peers, strangers=10)])
    assert view.size == 12  # they still count in the figures: the viewer knows their results


def test_the_threshold_is_a_parameter():
    groups = [group("all", [peer(i, 50) for i in range(5)])]
    assert compare(50, groups, k=5) and not compare(50, groups, k=6)


def test_a_result_without_every_main_score_is_not_compared():
    groups = [group("all", [peer(i, 50) for i in range(10)])]
    scores = dict.fromkeys(DIMS, 50) | {"exposure": None}
    assert comparison(scores, groups, k=K, dimensions=DIMS, outcomes=OUTCOMES) == []


def test_a_group_that_differs_from_a_larger_one_by_fewer_than_k_is_left_out():
    everyone = [peer(i, 10 * (i % 10)) for i in range(25)]
    sector = everyone[:24]  # one organisation short of "all"
    assert visible_groups([group("sector", sector), group("all", everyone)], K) == ["all"]
    sector = everyone[:15]  # ten short: subtracting gives ten organisations, not one
    assert visible_groups([group("sector", sector), group("all", everyone)], K) == [
        "all",
        "sector",
    ]
    # The same organisations, one of them with a newer result in "all": still one apart.
    moved = [*everyone[:24], peer(24, 0, assessment=-24)]
    assert len(visible_groups([group("sector", everyone), group("all", moved)], K)) == 1


def test_two_groups_with_the_same_members_may_both_be_shown():
    everyone = [peer(i, 10 * (i % 10)) for i in range(12)]
    names = visible_groups([group("sector", list(everyone)), group("all", everyone)], K)
    assert sorted(names) == ["all", "sector"]
    # ...and they show the same thing, so comparing them tells nothing.
    a, b = compare(40, [group("sector", list(everyone)), group("all", everyone)])
    assert (a.standings, a.shares) == (b.standings, b.shares)


def _what_is_shown(views):
    return tuple((v.name, v.size, v.standings, tuple(sorted(v.shares.items()))) for v in views)


def _others(n, seed):
    rng = random.Random(seed)
    return [
        Peer(i, i, {d: rng.randrange(101) for d in DIMS}, rng.choice(OUTCOMES))
        for i in range(1, n + 1)
    ]


def _candidates(observe, mine):
    """What two views show for each score the target could have: score -> (view, view)."""
    seen = {}
    for score in range(101):
        target = Peer(0, 0, dict.fromkeys(DIMS, score), "both")
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
        return _what_is_shown(compare(mine, [group("sector", others), group("all", everyone)]))

    for mine in (5, 35, 55, 95):
        seen = _candidates(observe, mine=mine)
        for score, shown in seen.items():
            assert all(name != "sector" for name, *_rest in shown)
            assert len(_consistent(seen, shown)) >= AT_LEAST, (mine, score)


def test_when_both_groups_are_shown_they_differ_by_at_least_k_organisations():
    rng = random.Random(7)
    for _ in range(200):
        everyone = _others(rng.randrange(K, 4 * K), rng.randrange(1000))
        sector = [p for p in everyone if rng.random() < 0.7]
        size = [p for p in everyone if rng.random() < 0.5]
        groups = [group("sector", sector), group("size", size), group("all", everyone)]
        shown = {name: peers for name, peers, _strangers in groups}
        names = visible_groups(groups, K)
        for a, b in itertools.combinations(names, 2):
            members = {p.org for p in shown[a]} ^ {p.org for p in shown[b]}
            assert len(members) in (0, *range(K, 1000))


# --- Releases: a group's cohort changes by k organisations or not at all -------------------


def test_changes_count_organisations_joined_left_re_submitted_and_purged():
    before = cohort(range(12))
    assert changes(before, before) == 0
    assert changes(cohort(range(13)), before) == 1  # one joined
    assert changes(cohort(range(11)), before) == 1  # one left
    assert changes(cohort(range(12), resubmitted={3}), before) == 1  # one re-submitted
    purged = cohort(range(11), size=12)  # the release lost a member to a purge since
    assert changes(cohort(range(11)), purged) == 1


def test_a_release_is_replaced_only_when_k_organisations_have_changed():
    current = cohort(range(20))
    for changed in range(1, K):
        leaving = cohort(range(changed, 20))
        assert not may_cut(leaving, current, [current], k=K, share=0.1), changed
        re_submitted = cohort(range(20), resubmitted=set(range(changed)))
        assert not may_cut(re_submitted, current, [current], k=K, share=0.1), changed
    assert may_cut(cohort(range(K, 30)), current, [current], k=K, share=0.1)


def test_a_large_group_waits_for_a_share_of_it_to_change():
    assert change_needed(40, K, 0.1) == K and change_needed(1000, K, 0.1) == 100
    current = cohort(range(1000))
    kept = [current]
    assert not may_cut(cohort(range(1099)), current, kept, k=K, share=0.1)
    assert may_cut(cohort(range(1100)), current, kept, k=K, share=0.1)


def test_no_release_is_cut_below_k():
    assert not may_cut(cohort(range(K - 1)), None, [], k=K, share=0.1)
    assert may_cut(cohort(range(K)), None, [], k=K, share=0.1)


def test_no_release_is_cut_within_k_of_any_release_kept_of_any_group():
    """ "all" once held exactly the sector and one more organisation. However much "all"
    has grown since, the sector's first release must not be the old "all" less one."""
    old_all = cohort(range(21))
    sector = cohort(range(20))
    assert not may_cut(sector, None, [old_all], k=K, share=0.1)
    # Twenty organisations later, it may: nothing kept is within k of it.
    assert may_cut(cohort(range(40)), None, [old_all], k=K, share=0.1)


def test_a_withdrawal_then_k_changes_never_yields_two_releases_one_apart():
    """The attack in issue 30: an organisation the attacker runs under another name leaves
    and comes back, again and again, while strangers come and go. Every pair of releases
    ever cut, of every group, differs by no organisation or by at least k."""
    rng = random.Random(30)
    pools = {"all": set(range(30)), "sector": set(range(20))}
    resubmits = {}
    kept, cut = [], {}
    attacker = 0
    for _step in range(600):
        event = rng.random()
        if event < 0.3:  # the attacker toggles its consent
            for pool in pools.values():
                pool.symmetric_difference_update({attacker})
        elif event < 0.6:  # a stranger joins or leaves
            org = rng.randrange(1, 60)
            pools["all"].symmetric_difference_update({org})
            if org < 30:
                pools["sector"].symmetric_difference_update({org})
        else:  # somebody re-submits
            org = rng.randrange(60)
            resubmits[org] = resubmits.get(org, 0) + 1
        for name, pool in pools.items():
            candidate = Cohort(frozenset((o, (o, resubmits.get(o, 0))) for o in pool), len(pool))
            if candidate == cut.get(name):
                continue
            if may_cut(candidate, cut.get(name), kept, k=K, share=0.1):
                kept.append(candidate)
                cut[name] = candidate
    assert len(kept) > 10  # the figures did move over time
    for a, b in itertools.combinations(kept, 2):
        assert changes(a, b) == 0 or changes(a, b) >= K
