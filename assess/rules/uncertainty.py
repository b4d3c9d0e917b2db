"""How much of the decision rests on what is not known.

A dimension is *open* when its unanswered or "Don't know" questions could, answered one way
or the other, change the outcome or a depth; a gate is open when an unknown answer would
make it hold and it would then change the result. An open dimension whose known share is
under the bank's `min_known_share` makes the result provisional."""

from __future__ import annotations

from assess.rules.decision import caps_of, decide
from assess.rules.scoring import is_known
from assess.vocabulary import DIMENSIONS, dimension_labels


def _key(decision):
    return (decision.outcome, decision.operational_depth, decision.normative_depth)


def open_dimensions(totals, scores, t, caps, decision):
    """{dimension: the outcome keys it could lead to} for each dimension whose unknowns
    could change the result."""
    out = {}
    current = _key(decision)
    for i, d in enumerate(DIMENSIONS):
        if totals.open_reach[i] <= 0:
            continue
        reachable = set()
        for value in totals.bounds(i):
            trial = decide(dict(scores, **{d: value}), t, caps)
            if _key(trial) != current:
                reachable.add(_key(trial))
        if reachable:
            out[d] = reachable
    return out


def open_gates(bank, answers, visible, gates, t, scores, decision):
    """Gates that do not hold now but would if an unknown answer went their way, and would
    then change the result."""
    visible_codes = {q.code for q in visible}
    by_code = {q.code: q for q in visible}
    holding = {g.code for g in gates}
    out = []
    for gate in bank.gates:
        if gate.code in holding or not gate.when:
            continue
        unknown = [
            c
            for c in gate.when
            if c.question in by_code and not is_known(by_code[c.question], answers)
        ]
        others = [c for c in gate.when if c not in unknown]
        if not unknown or not all(c.holds(answers, visible_codes) for c in others):
            continue
        trial = decide(scores, t, caps_of([*gates, gate]))
        if _key(trial) != _key(decision):
            out.append((gate, [c.question for c in unknown]))
    return out


def find_out(bank, visible, answers, dims, gate_questions, first=(), limit=6):
    """The questions to answer first: those without a known answer behind open gates and on
    the dimensions in `first` (those that make the result provisional), then on the other
    open dimensions, the heaviest first; each with who in the company usually knows."""
    rows = []
    for q in visible:
        if is_known(q, answers):
            continue
        weight = sum(q.weight * q.max_points(d) for d in dims)
        weight += 100 * sum(q.weight * q.max_points(d) for d in first)
        if q.code in gate_questions:
            weight += 10_000
        if weight > 0:
            rows.append((weight, q))
    rows.sort(key=lambda r: (-r[0], r[1].code))
    labels = dimension_labels()
    return [
        {
            "question": q.code,
            "text": q.text,
            "section": q.section,
            "who_knows": bank.who_knows.get(q.section, ""),
            "dimensions": [str(labels[d]) for d in dims if q.max_points(d) > 0],
        }
        for _w, q in rows[:limit]
    ]
