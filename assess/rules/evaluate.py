"""The whole evaluation: one answer set -> the result snapshot stored at submit."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from assess.rules import explain
from assess.rules.catalogue import _level_fits, gate_rules_out, match_alliances, open_pledges
from assess.rules.decision import active_gates, caps_of, decide
from assess.rules.inputs import Profile
from assess.rules.scoring import answer_tags, chosen, score_totals, visible_questions
from assess.rules.sensitivity import sensitivity
from assess.rules.uncertainty import find_out, open_dimensions, open_gates
from assess.vocabulary import DIMENSIONS, dimension_phrases

# Bump when a change in this package could give a different result for the same answers.
RULES_VERSION = "2026.12.3"


@dataclass(frozen=True)
class Result:
    data: dict

    def as_dict(self):
        return self.data

    @property
    def outcome(self):
        return self.data["outcome"]


def evaluate(bank, answers, profile=None, catalogue=(), *, with_sensitivity=True):
    """The full recommendation for one answer set. Same input, same output.

    Long on purpose: it is the one place that lists what a result holds, key by key, in the
    order the snapshot reads them; every value comes from a named function of this package."""
    profile = profile or Profile()
    t = bank.thresholds
    visible = visible_questions(bank, answers)
    visible_codes = {q.code for q in visible}
    totals = score_totals(bank, answers, visible)
    scores = totals.scores()
    known = totals.known_shares()
    tags = answer_tags(visible, answers)
    # The pledge gates as the bank states them: the reasons a pledge is ruled out, even where
    # a gate ends up capping the whole track.
    pledge_gates = [g for g in active_gates(bank, answers, visible_codes) if g.pledges_with]
    bank = fitted_pledge_gates(bank, catalogue, profile, tags)

    gates = active_gates(bank, answers, visible_codes)
    caps = caps_of(gates)
    decision = decide(scores, t, caps)
    if (
        decision.normative_depth
        and any(g.pledges_with for g in gates)
        and not any(_level_fits(a, decision) for a in open_pledges(catalogue, profile, tags, gates))
    ):
        # The pledges the gates leave open do not fit the depth: they cap the track.
        bank = replace(bank, gates=tuple(replace(g, pledges_with=frozenset()) for g in bank.gates))
        gates = active_gates(bank, answers, visible_codes)
        caps = caps_of(gates)
        decision = decide(scores, t, caps)

    answered = unknown = 0
    for q in visible:
        picked = chosen(q, answers)
        if picked:
            answered += 1
            unknown += any(c.is_unknown for c in picked)
    answered_share = 100.0 * answered / len(visible) if visible else 0.0
    open_dims = open_dimensions(totals, scores, t, caps, decision)
    gates_open = open_gates(bank, answers, visible, gates, t, scores, decision)
    phrases = dimension_phrases()  # inside a sentence: lower case in English and French
    provisional_dims = [d for d in DIMENSIONS if d in open_dims and known[d] < t.min_known_share]
    too_few = answered_share < t.min_answered_share
    provisional = bool(provisional_dims) or too_few
    gate_questions = {code for _g, codes in gates_open for code in codes}
    geo_high = t.is_geopolitics_high(scores["geopolitical_exposure"])
    gates = [_ruling_out(g, catalogue, profile, tags) for g in gates]
    recommended, related, excluded = match_alliances(
        catalogue, decision, profile, tags, pledge_gates, geo_high=geo_high
    )
    facts = explain.Facts(
        s=scores,
        t=t,
        decision=decision,
        threat_high=t.is_threat_high(scores["threat"]),
        geo_high=geo_high,
    )
    data = {
        "rules_version": RULES_VERSION,
        "bank": {"slug": bank.slug, "version": bank.version, "name": bank.name},
        "thresholds": t.as_dict(),
        "scores": {
            d: {
                "score": scores[d],
                "confidence": round(known[d], 1),
                "low": totals.bounds(i)[0],
                "high": totals.bounds(i)[1],
                "earned": round(totals.earned[i], 3),
                "reachable": round(totals.reachable[i], 3),
            }
            for i, d in enumerate(DIMENSIONS)
        },
        "confidence": round(min(known[d] for d in DIMENSIONS), 1),
        "answered": answered,
        "unknown": unknown,
        "visible": len(visible),
        "missing_required": [q.code for q in visible if q.required and not chosen(q, answers)],
        "provisional": provisional,
        "provisional_dimensions": provisional_dims,
        "open_dimensions": [d for d in DIMENSIONS if d in open_dims],
        "open_gates": [g.code for g, _codes in gates_open],
        "find_out": find_out(
            bank, visible, answers, list(open_dims), gate_questions, first=provisional_dims
        )
        if (open_dims or gate_questions)
        else [],
        "outcome": decision.outcome,
        "operational_depth": decision.operational_depth,
        "normative_depth": decision.normative_depth,
        "caps": caps,
        "gates": explain.gate_dicts(gates, decision),
        "headline": explain.headline(
            decision, [phrases[d] for d in provisional_dims], too_few=too_few
        ),
        "reasons": explain.hedged(
            explain.reasons(facts, gates, visible, answers), known, t.min_known_share
        ),
        "caveats": explain.caveats(scores, decision, t, tags, profile, bank),
        "alliances": recommended,
        "related": related,
        "excluded": excluded,
        "plan": explain.plan(bank, decision, answers, visible, tags, profile),
        "tags": sorted(tags),
        "sensitivity": (
            sensitivity(bank, answers, visible, decision.outcome, profile.size_band)
            if with_sensitivity
            else []
        ),
    }
    if too_few:
        data["caveats"].insert(
            0,
            {
                "code": "insufficient",
                "text": _(
                    "Only %(known)s of the %(visible)s questions that apply have a known answer. "
                    "Answer the questions marked “Don't know” or left blank before "
                    "relying on this result."
                )
                % {"known": answered - unknown, "visible": len(visible)},
                "source": "",
                "as_of": "",
            },
        )
    return Result(data)


def fitted_pledge_gates(bank, catalogue, profile, tags):
    """The bank with each pledge gate (`pledges_with`) fitted to this organisation: it acts
    on the pledges it concerns one by one while some pledge open to the organisation is free
    of them; when none is, it caps the normative track like any other gate."""
    if not any(g.pledges_with for g in bank.gates):
        return bank
    fitted = []
    for gate in bank.gates:
        if gate.pledges_with and not any(
            not (gate.pledges_with & a.friction) for a in open_pledges(catalogue, profile, tags, ())
        ):
            gate = replace(gate, pledges_with=frozenset())
        fitted.append(gate)
    return replace(bank, gates=tuple(fitted))


def _ruling_out(gate, catalogue, profile, tags):
    """A holding pledge gate with the names of the bodies it rules out."""
    if not gate.pledges_with:
        return gate
    names = tuple(
        a.name for a in open_pledges(catalogue, profile, tags, ()) if gate_rules_out(gate, a)
    )
    return replace(gate, rules_out=names)
