"""What would change this: for each other outcome, a short list of plausible answer changes
that reaches it, found greedily.

Plausible means: never a fact the company does not decide (its line of business, a
designation, attacks suffered); one step along a question's scale at a time (not from "one
person" to "more than 20"); never an answer the bank marks implausible for the
organisation's size; never "Don't know". Gates hold on every trial, so a route a gate
forbids is never proposed; a change that lifts a gate is marked with that gate's code.

Facts are never levers, but a company wants to know when one fact would change the result on
its own (a designation under NIS2 that may come next year): `facts` lists, for each other
outcome, the single one-step fact changes that reach it, apart from the levers."""

from __future__ import annotations

from math import floor

from assess.rules.decision import _distance, caps_of, decide
from assess.rules.scoring import (
    answer_text,
    chosen,
    contribution,
    is_visible,
    score_totals,
)
from assess.vocabulary import DIMENSIONS, OUTCOMES, outcome_labels

MAX_CHANGES = 6
POOL = 6  # candidate changes per dimension and direction


def _is_exclusive(choice):
    """ "Don't know" and "None of these" stand alone in a multi-choice answer."""
    return choice.is_unknown or choice.code == "none"


def _plausible(choice, size_band):
    return not choice.sizes or not size_band or size_band in choice.sizes


def candidates(question, current, size_band=""):
    """Other answers one could plausibly give, one change each."""
    known = [c for c in question.choices if not c.is_unknown]
    current_codes = {c.code for c in current}
    if question.kind == "multi":
        base = {c.code for c in current if not _is_exclusive(c)}
        out = []
        for c in known:
            if not _plausible(c, size_band) and c.code not in base:
                continue
            if _is_exclusive(c):
                new = {c.code}
            elif c.code in base:
                new = base - {c.code}
            else:
                new = base | {c.code}
            if new and new != current_codes:
                out.append(tuple(sorted(new)))
        return out
    if len(current) == 1 and not current[0].is_unknown:
        at = known.index(current[0])
        steps = [known[i] for i in (at - 1, at + 1) if 0 <= i < len(known)]
    else:
        steps = known  # unanswered or "Don't know": any known answer is one step
    return [(c.code,) for c in steps if _plausible(c, size_band)]


def _dependents(bank):
    deps = {}
    for q in bank.questions:
        if q.show_if:
            deps.setdefault(q.show_if[0], []).append(q)
    return deps


def _families(bank, deps):
    """Each question code -> itself, the questions it depends on and those depending on it."""
    family = {q.code: {q.code} for q in bank.questions}
    for q in bank.questions:
        stack = list(deps.get(q.code, ()))
        while stack:
            dep = stack.pop()
            family[q.code].add(dep.code)
            family.setdefault(dep.code, {dep.code}).add(q.code)
            stack.extend(deps.get(dep.code, ()))
    return family


def _delta(bank, deps, answers, question, new_codes):
    """(earned, reachable) changes per dimension when `question` is answered `new_codes`
    instead, including questions whose visibility that flips."""
    old = contribution(question, answers.get(question.code))
    new = contribution(question, new_codes)
    earned = [a - b for a, b in zip(new.earned, old.earned, strict=True)]
    reachable = [a - b for a, b in zip(new.reachable, old.reachable, strict=True)]
    stack = list(deps.get(question.code, ()))
    new_answers = dict(answers, **{question.code: new_codes}) if stack else answers
    while stack:
        dep = stack.pop()
        before = is_visible(dep, bank, answers)
        after = is_visible(dep, bank, new_answers)
        if before != after:
            part = contribution(dep, answers.get(dep.code))
            sign = 1 if after else -1
            for i in range(len(earned)):
                earned[i] += sign * part.earned[i]
                reachable[i] += sign * part.reachable[i]
        stack.extend(deps.get(dep.code, ()))
    return earned, reachable


def _scores(earned, reachable):
    """shown(ratio(e, r)) or 0 per dimension, written out: the search calls it for every
    trial, some 300 times a submit."""
    out = []
    for e, r in zip(earned, reachable, strict=True):
        if r <= 0:
            out.append(0)
            continue
        x = 100.0 * e / r
        out.append(floor((0.0 if x < 0.0 else 100.0 if x > 100.0 else x) + 0.5))
    return out


class _Gates:
    """The gates that hold for a trial answer set; only gate questions are looked at."""

    def __init__(self, bank, answers, family):
        self.bank = bank
        self.answers = answers
        self.family = family
        self.questions = {c.question for g in bank.gates for c in g.when}
        # Gate questions and the questions linked to them by a condition: only changes to
        # these can make a gate hold or stop holding.
        self.relevant = set().union(*(family.get(q, {q}) for q in self.questions))
        self._visible = {
            code
            for code in self.questions
            if (q := bank.question(code)) is not None and is_visible(q, bank, answers)
        }
        self._base = {g.code: g.holds(answers, self._visible) for g in bank.gates}
        self._holding = {}
        self._caps = {}

    def _key(self, changed):
        return tuple(sorted((q, c) for q, c in changed.items() if q in self.relevant))

    def holding(self, changed):
        """The gates that hold with these changes; the search asks for the same few sets again
        and again."""
        key = self._key(changed)
        found = self._holding.get(key)
        if found is None:
            found = self._holding[key] = self._compute(dict(key))
        return found

    def _compute(self, changed):
        """Only the gates whose questions, or the questions deciding whether those apply,
        were changed are looked at again; the others hold as they do without changes."""
        if not changed:
            return [g for g in self.bank.gates if self._base[g.code]]
        touched = set().union(*(self.family.get(q, {q}) for q in changed))
        trial = dict(self.answers, **changed)
        visible = set(self._visible)
        for code in self.questions & touched:
            q = self.bank.question(code)
            if q is not None and is_visible(q, self.bank, trial):
                visible.add(code)
            else:
                visible.discard(code)
        return [
            g
            for g in self.bank.gates
            if (
                g.holds(trial, visible)
                if any(c.question in touched for c in g.when)
                else self._base[g.code]
            )
        ]

    def caps(self, changed):
        key = self._key(changed)
        found = self._caps.get(key)
        if found is None:
            found = self._caps[key] = caps_of(self.holding(dict(key)))
        return found

    def lifted(self, before, after):
        return sorted(
            {g.code for g in self.holding(before)} - {g.code for g in self.holding(after)}
        )


def _fact_routes(bank, deps, answers, base, gates, t, question, size_band, now):
    """Each one-step change of a fact question that, on its own, gives another outcome than
    `now`."""
    current = chosen(question, answers)
    if not current or any(c.is_unknown for c in current):
        return []  # an unknown fact is already named under "what to find out"
    moves_gate = question.code in gates.relevant
    base_caps = gates.caps({})
    routes = []
    for codes in candidates(question, current, size_band):
        d_earned, d_reachable = _delta(bank, deps, answers, question, codes)
        if not moves_gate and not any(d_earned) and not any(d_reachable):
            continue
        after = _scores(
            [a + b for a, b in zip(base.earned, d_earned, strict=True)],
            [a + b for a, b in zip(base.reachable, d_reachable, strict=True)],
        )
        caps = gates.caps({question.code: codes}) if moves_gate else base_caps
        outcome = decide(dict(zip(DIMENSIONS, after, strict=True)), t, caps).outcome
        if outcome != now:
            routes.append(
                {
                    "outcome": outcome,
                    "question": question.code,
                    "text": question.text,
                    "from": answer_text(current),
                    "to": answer_text([question.choice(c) for c in codes]),
                    "to_codes": list(codes),
                }
            )
    return routes


def sensitivity(bank, answers, visible, current_outcome, size_band=""):
    """What would change the outcome: for every other outcome, the fewest answer changes (at
    most MAX_CHANGES, chosen greedily from the changes that move a score towards it or move a
    gate) that reach it, and the single changes of a fact that do."""
    t = bank.thresholds
    deps = _dependents(bank)
    family = _families(bank, deps)
    gates = _Gates(bank, answers, family)
    base = score_totals(bank, answers, visible)
    n = len(DIMENSIONS)
    base_scores = _scores(base.earned, base.reachable)
    options, fact_routes = _options(
        bank, deps, answers, base, base_scores, gates, visible, current_outcome, size_band
    )
    ranked = {
        (i, sign): [
            o
            for o in sorted(options, key=lambda o, i=i, sign=sign: -sign * o[4][i])
            if sign * o[4][i] > 0
        ][:POOL]
        for i in range(n)
        for sign in (1, -1)
    }
    base_caps = gates.caps({})
    # Changes that lift or add a gate are always worth a try: a gate's effect is not a score.
    gate_options = [
        o
        for o in options
        if o[0].code in gates.relevant and gates.caps({o[0].code: o[1]}) != base_caps
    ]
    results = []
    for target in OUTCOMES:
        if target == current_outcome:
            continue
        distance = _distance(target, *base_scores, t, base_caps)
        pool, seen = list(gate_options), {id(o) for o in gate_options}
        for (i, sign), best in ranked.items():
            nudged = list(base_scores)
            nudged[i] = max(0, min(100, nudged[i] + sign * 10))
            if _distance(target, *nudged, t, base_caps) < distance:
                for o in best:
                    if id(o) not in seen:
                        seen.add(id(o))
                        pool.append(o)
        steps, reached = _greedy_route(target, distance, pool, answers, base, gates, family, t)
        results.append(
            {
                "outcome": target,
                "label": outcome_labels()[target],
                "reachable": reached,
                "changes": steps if reached else [],
                "facts": fact_routes.get(target, []),
            }
        )
    return results


def _options(bank, deps, answers, base, base_scores, gates, visible, current_outcome, size_band):
    """Every single answer change worth considering, as (question, codes, earned delta,
    reachable delta, score change per dimension), and the fact changes that alone reach
    another outcome, by outcome."""
    t = bank.thresholds
    options = []
    fact_routes = {}
    for q in visible:
        if q.fact:
            routes = _fact_routes(
                bank, deps, answers, base, gates, t, q, size_band, current_outcome
            )
            for route in routes:
                fact_routes.setdefault(route.pop("outcome"), []).append(route)
            continue
        for codes in candidates(q, chosen(q, answers), size_band):
            d_earned, d_reachable = _delta(bank, deps, answers, q, codes)
            after = _scores(
                [a + b for a, b in zip(base.earned, d_earned, strict=True)],
                [a + b for a, b in zip(base.reachable, d_reachable, strict=True)],
            )
            moved = [a - b for a, b in zip(after, base_scores, strict=True)]
            options.append((q, codes, d_earned, d_reachable, moved))
    return options, fact_routes


def _greedy_route(target, distance, pool, answers, base, gates, family, t):
    """From the answers as they are, take the change from `pool` that brings `target` nearest,
    again and again (at most MAX_CHANGES): the steps taken, and whether they reach it."""
    n = len(DIMENSIONS)
    earned, reachable = list(base.earned), list(base.reachable)
    used, steps, changed = set(), [], {}
    caps = gates.caps({})
    while distance > 0 and len(steps) < MAX_CHANGES:
        best = None
        for o in pool:
            if o[0].code in used:
                continue
            trial_changed = dict(changed, **{o[0].code: o[1]})
            # A change moves a gate through its own question, or through a question that
            # decides whether a gate's question applies.
            moves_gate = o[0].code in gates.relevant
            trial_caps = gates.caps(trial_changed) if moves_gate else caps
            trial = _scores(
                [earned[i] + o[2][i] for i in range(n)],
                [reachable[i] + o[3][i] for i in range(n)],
            )
            d = _distance(target, *trial, t, trial_caps)
            if d < distance and (best is None or d < best[0]):
                best = (d, o, trial_caps)
        if best is None:
            break
        distance, (q, codes, d_earned, d_reachable, _moved), new_caps = best
        lifted = gates.lifted(changed, dict(changed, **{q.code: codes}))
        changed[q.code] = codes
        caps = new_caps
        for i in range(n):
            earned[i] += d_earned[i]
            reachable[i] += d_reachable[i]
        # Deltas were computed against the original answers, so a question linked to a
        # changed one by a condition (either way) is not changed as well.
        used |= family[q.code]
        steps.append(
            {
                "question": q.code,
                "text": q.text,
                "from": answer_text(chosen(q, answers)),
                "to": answer_text([q.choice(c) for c in codes]),
                "to_codes": list(codes),
                "lifts_gates": lifted,
            }
        )
    final = dict(zip(DIMENSIONS, _scores(earned, reachable), strict=True))
    reached = distance == 0 and decide(final, t, caps).outcome == target
    return steps, reached


def reworded(bank, answers, results):
    """`sensitivity`'s results with their words (question texts, answers, outcome labels) in
    the active language: the search runs once at submit, its words are frozen per language."""

    def change(step):
        q = bank.question(step["question"])
        return dict(
            step,
            text=q.text,
            **{
                "from": answer_text(chosen(q, answers)),
                "to": answer_text([q.choice(c) for c in step["to_codes"]]),
            },
        )

    return [
        dict(
            s,
            label=outcome_labels()[s["outcome"]],
            changes=[change(step) for step in s["changes"]],
            facts=[change(step) for step in s["facts"]],
        )
        for s in results
    ]
