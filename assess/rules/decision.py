"""Scores and gates -> the outcome. Each track reads its own dimensions; gates cap a track
whatever the scores say. docs/decision-model.md is the same model in words."""

from __future__ import annotations

from dataclasses import dataclass

from assess.vocabulary import DIMENSIONS, TRACK_DEPTHS

_EPSILON = 0.01
NO_CAPS = {"operational": "contribute", "normative": "signatory"}


@dataclass(frozen=True)
class Decision:
    outcome: str
    operational_depth: str | None  # "receive" or "contribute"
    normative_depth: str | None  # "supporter" or "signatory"
    geopolitical_block: bool
    # What the scores alone would give, before any gate capped it.
    operational_by_scores: str | None = None
    normative_by_scores: str | None = None
    # High geopolitical exposure with an appetite under the raised cut: of the pledges read
    # as a position on state behaviour, only a broad, low-commitment statement fits (as a
    # supporter); pledges about how products are secured are judged on the ordinary cuts.
    broad_only: bool = False
    # Exposure enough for a full member's role, whatever the appetite for public commitments:
    # what a pledge that takes no position on state behaviour asks of a full member.
    signatory_exposure: bool = False


def active_gates(bank, answers, visible_codes):
    return [g for g in bank.gates if g.holds(answers, visible_codes)]


def caps_of(gates):
    """The tightest cap on each track over the gates that hold."""
    caps = dict(NO_CAPS)
    for gate in gates:
        if gate.pledges_with:
            continue  # acts on the pledges it concerns, one by one (rules.catalogue)
        for track, depth in gate.limits.items():
            order = TRACK_DEPTHS[track]
            if order.index(depth) < order.index(caps[track]):
                caps[track] = depth
    return caps


def _cap(depth, cap, order):
    if depth is None:
        return None
    capped = order[min(order.index(depth), order.index(cap))]
    return None if capped == "none" else capped


def _values(scores):
    return [scores.get(d) or 0.0 for d in DIMENSIONS]


def decide(scores, t, caps=None):
    """The outcome for the dimension scores (None counts as 0) under thresholds t and the
    gates' caps."""
    caps = caps or NO_CAPS
    c, s, th, e, k, g = _values(scores)
    op = None
    if c >= t.operational_cut(th):
        contribute = c >= t.contributing_capacity and s >= t.contributing_sharing_tolerance
        op = "contribute" if contribute else "receive"
    geo_block = g >= t.geopolitical_high and k < t.normative_cut(g)
    norm = None
    # The raised cut is about pledges read as a position on state behaviour by a government
    # the company depends on; it narrows those to a broad statement many peers support
    # (rules.catalogue), and leaves the depth to the ordinary cuts.
    broad_only = geo_block
    if e >= t.normative_exposure and k >= t.normative_commitment_tolerance:
        signatory = e >= t.signatory_exposure and k >= t.signatory_commitment_tolerance
        norm = "signatory" if signatory else "supporter"
    op_depth = _cap(op, caps["operational"], TRACK_DEPTHS["operational"])
    norm_depth = _cap(norm, caps["normative"], TRACK_DEPTHS["normative"])
    if op_depth and norm_depth:
        outcome = "both"
    elif op_depth:
        outcome = "operational"
    elif norm_depth:
        outcome = "normative"
    else:
        outcome = "hygiene_first"
    return Decision(
        outcome,
        op_depth,
        norm_depth,
        geo_block and e >= t.normative_exposure,
        op,
        norm,
        broad_only and norm_depth is not None,
        e >= t.signatory_exposure,
    )


def _distance(outcome, c, s, th, e, k, g, t, caps):
    """How far (in score points) the scores are from the region where `outcome` applies;
    0 exactly when decide() gives it, infinite when a gate forbids it. Guides the search."""
    wants_op = outcome in ("operational", "both")
    wants_norm = outcome in ("normative", "both")
    if (wants_op and caps["operational"] == "none") or (wants_norm and caps["normative"] == "none"):
        return float("inf")
    op_cut = t.operational_cut(th)
    if wants_op:
        first = max(0.0, op_cut - c)
    elif caps["operational"] == "none":
        first = 0.0
    else:
        first = max(0.0, c - op_cut + _EPSILON)
    norm_cut = t.normative_commitment_tolerance  # a broad statement is open from here (decide)
    if wants_norm:
        second = max(0.0, t.normative_exposure - e) + max(0.0, norm_cut - k)
    elif caps["normative"] == "none":
        second = 0.0
    else:
        second = min(
            max(0.0, e - t.normative_exposure + _EPSILON),
            max(0.0, k - norm_cut + _EPSILON),
        )
    return first + second


def outcome_at(scores, thresholds, caps=None):
    """A function (capacity, commitment tolerance) -> outcome at the other scores, for the
    map; the gates hold everywhere on it."""

    def at(capacity, commitment_tolerance):
        point = dict(scores, capacity=capacity, commitment_tolerance=commitment_tolerance)
        return decide(point, thresholds, caps).outcome

    return at
