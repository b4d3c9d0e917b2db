"""PURE: where one organisation stands among its peers, computed so that no single peer's
score can be worked out from what is shown, and when a peer group's frozen cohort may be
replaced (the reasoning is in docs/peer-comparison.md).

- Scores are read in bands of twenty points; nothing finer about a peer is used, so nothing
  shown can narrow a peer's score below its band, whichever views are compared.
- A group's figures come from a release: its cohort frozen when it was cut. A new release
  is cut only when at least k organisations (and at least a share of the group) have
  joined, left or re-submitted since the current one, and never when it would differ from
  any release kept, of any group, by between 1 and k-1 organisations.
- A group is shown only when at least k of its members are strangers to the viewer (share
  no person with it), and not when it differs from a group already shown by between 1
  and k-1 organisations.
- Positions are whole tenths rounded down, outcome shares multiples of 10%."""

import math
from dataclasses import dataclass
from typing import NamedTuple

BAND = 20  # points per band: 0-19, 20-39, 40-59, 60-79, 80-100
BANDS = 100 // BAND


class Peer(NamedTuple):  # a tuple: thousands are made for each comparison
    org: int  # identifies the organisation to compare groups; never shown
    assessment: int  # the submitted assessment its scores come from
    scores: dict  # dimension -> whole score 0-100
    outcome: str


class Cohort(NamedTuple):
    """A release as the checks see it: its (organisation, assessment) pairs, and the size
    it had when cut (more than the pairs when members were purged since)."""

    pairs: frozenset
    size: int


@dataclass(frozen=True)
class Standing:
    dimension: str
    below: int  # tenths of the peers in a lower band, rounded down
    above: int  # tenths of the peers in a higher band, rounded down

    @property
    def same(self):
        return 10 - self.below - self.above


@dataclass(frozen=True)
class GroupView:
    name: str
    size: int  # the number of organisations compared
    standings: tuple  # Standing per dimension
    shares: dict  # outcome -> share in percent, a multiple of 10
    members: frozenset = frozenset()  # (organisation, assessment) pairs: never shown


def band(score):
    return min(int(score) // BAND, BANDS - 1)


def standing(score, peers, dimension):
    mine = band(score)
    lo, hi = mine * BAND, (mine + 1) * BAND if mine < BANDS - 1 else 101
    values = [p.scores[dimension] for p in peers]
    n = len(values)
    below = sum(1 for v in values if v < lo)  # scores in a lower band
    above = sum(1 for v in values if v >= hi)
    return Standing(dimension, below * 10 // n, above * 10 // n)


def outcome_shares(peers, outcomes):
    n = len(peers)
    counts = dict.fromkeys(outcomes, 0)
    for p in peers:
        if p.outcome in counts:
            counts[p.outcome] += 1
    # Nearest multiple of 10%, halves up, in integers.
    return {o: (200 * c + 10 * n) // (20 * n) * 10 for o, c in counts.items()}


# --- Releases: when a group's cohort may change ------------------------------------------


def changes(a, b):
    """How many organisations two cohorts differ by: those in one and not the other, those
    in both with a different assessment (a re-submission), and members purged since either
    was cut (counted from its size)."""
    orgs = {org for org, _assessment in a.pairs ^ b.pairs}
    return len(orgs) + (a.size - len(a.pairs)) + (b.size - len(b.pairs))


def change_needed(size, k, share):
    """The organisations that must change before a group of `size` gets a new release: k,
    or the share of the group if larger (a large group's figures move little anyway)."""
    return max(k, math.ceil(size * share))


def may_cut(candidate, current, kept, *, k, share):
    """Whether `candidate` (a Cohort of the group as it is now) may replace `current` (the
    group's current release, or None) as the group's release. `kept`: every release kept,
    of any group, current ones among them."""
    if len(candidate.pairs) < k:
        return False
    if current is not None and changes(candidate, current) < change_needed(current.size, k, share):
        return False
    return all(not 0 < changes(candidate, other) < k for other in kept)


# --- Views: what one organisation is shown -------------------------------------------------


def _differ_by_few(a, b, k):
    return 0 < len({org for org, _assessment in a ^ b}) < k


def members_of(peers):
    """The (organisation, assessment) pairs of these peers: what tells two groups apart."""
    return frozenset((p.org, p.assessment) for p in peers)


def visible_groups(groups, k, members=None):
    """The names of the groups that may be shown, from (name, peers, strangers) triples:
    `strangers` counts the peers who share no person with the viewer. Taken largest first,
    a group is left out with fewer than k strangers, or when it differs from one already
    kept by between 1 and k-1 organisations, which would let the two be subtracted.
    members: each group's `members_of`, if already made."""
    members = members or {name: members_of(peers) for name, peers, _s in groups}
    kept = []
    for name, _peers, strangers in sorted(groups, key=lambda g: -len(g[1])):
        if strangers < k:
            continue
        if any(_differ_by_few(members[name], m, k) for _n, m in kept):
            continue
        kept.append((name, members[name]))
    return [name for name, _m in kept]


def comparison(scores, groups, *, k, dimensions, outcomes):
    """GroupView for each group that may be shown, in the order given.

    scores: the organisation's own scores by dimension; groups: (name, peers, strangers)
    triples, the organisation itself not among the peers."""
    if any(scores.get(d) is None for d in dimensions):
        return []
    members = {name: members_of(peers) for name, peers, _strangers in groups}
    shown = set(visible_groups(groups, k, members))
    return [
        GroupView(
            name=name,
            size=len(peers),
            standings=tuple(standing(scores[d], peers, d) for d in dimensions),
            shares=outcome_shares(peers, outcomes),
            members=members[name],
        )
        for name, peers, _strangers in groups
        if name in shown
    ]
