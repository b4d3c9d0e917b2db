"""PURE: where one organisation stands among its peers, computed so that no single peer's
score can be worked out from what is shown (the reasoning is in docs/peer-comparison.md).

- Scores are read in bands of twenty points; nothing finer about a peer is used, so nothing
  shown can narrow a peer's score below its band, whichever views are compared.
- A group is computed over a stable sample: its members ordered by a random key each keeps
  for good, cut to a multiple of k. One organisation joining or leaving swaps one member of
  the sample for another, or changes it by k members at once; never by one alone.
- A group is shown only with at least k members in its sample, and not when its members, or
  its sample's, differ from a group already shown by between 1 and k-1 organisations.
- Positions are whole tenths rounded down, outcome shares multiples of 10%."""

from dataclasses import dataclass
from operator import attrgetter
from typing import NamedTuple

BAND = 20  # points per band: 0-19, 20-39, 40-59, 60-79, 80-100
BANDS = 100 // BAND


class Peer(NamedTuple):  # a tuple: thousands are made for each comparison
    org: int  # identifies the organisation to compare groups; never shown
    key: int  # its stable random sample key
    scores: dict  # dimension -> whole score 0-100
    outcome: str


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
    size: int  # the sample's size, a multiple of k
    standings: tuple  # Standing per dimension
    shares: dict  # outcome -> share in percent, a multiple of 10
    members: frozenset = (
        frozenset()
    )  # the sample's organisations: to tell groups apart, never shown


def band(score):
    return min(int(score) // BAND, BANDS - 1)


def stable_sample(peers, k):
    ordered = sorted(peers, key=attrgetter("key", "org"))
    return ordered[: len(ordered) // k * k]


def standing(score, sample, dimension):
    mine = band(score)
    lo, hi = mine * BAND, (mine + 1) * BAND if mine < BANDS - 1 else 101
    values = [p.scores[dimension] for p in sample]
    n = len(values)
    below = sum(1 for v in values if v < lo)  # scores in a lower band
    above = sum(1 for v in values if v >= hi)
    return Standing(dimension, below * 10 // n, above * 10 // n)


def outcome_shares(sample, outcomes):
    n = len(sample)
    counts = dict.fromkeys(outcomes, 0)
    for p in sample:
        if p.outcome in counts:
            counts[p.outcome] += 1
    # Nearest multiple of 10%, halves up, in integers.
    return {o: (200 * c + 10 * n) // (20 * n) * 10 for o, c in counts.items()}


def _differ_by_few(a, b, k):
    return 0 < len(a ^ b) < k


def visible_groups(groups, k, samples=None):
    """The names of the groups that may be shown, from (name, peers) pairs. Taken largest
    first, a group is left out below k, or when it differs from one already kept by fewer
    than k organisations (in its members or in its sample), which would let the two be
    subtracted. samples: each group's stable_sample, if already made."""
    samples = samples or {name: stable_sample(peers, k) for name, peers in groups}
    kept = []
    for name, peers in sorted(groups, key=lambda g: -len(g[1])):
        sample = samples[name]
        if len(sample) < k:
            continue
        members = frozenset(p.org for p in peers)
        sampled = frozenset(p.org for p in sample)
        if any(_differ_by_few(members, m, k) or _differ_by_few(sampled, s, k) for _n, m, s in kept):
            continue
        kept.append((name, members, sampled))
    return [name for name, _m, _s in kept]


def comparison(scores, groups, *, k, dimensions, outcomes):
    """GroupView for each group that may be shown, in the order given.

    scores: the organisation's own scores by dimension; groups: (name, peers) pairs, the
    organisation itself not among the peers."""
    if any(scores.get(d) is None for d in dimensions):
        return []
    samples = {name: stable_sample(peers, k) for name, peers in groups}
    shown = set(visible_groups(groups, k, samples))
    views = []
    for name, _peers in groups:
        if name not in shown:
            continue
        sample = samples[name]
        views.append(
            GroupView(
                name=name,
                size=len(sample),
                standings=tuple(standing(scores[d], sample, d) for d in dimensions),
                shares=outcome_shares(sample, outcomes),
                members=frozenset(p.org for p in sample),
            )
        )
    return views
