"""Answers + bank definition -> scores -> recommendation with reasons.

Pure: plain data classes in, plain data out, no database. The views and services turn models
into these classes (`assess.selectors.bank_definition`) and store `Result.as_dict()` as the
assessment's frozen snapshot, so a report can be re-rendered identically years later.

Every number that decides an outcome is a bank threshold (admin-editable); the constants here
are only the vocabulary and the limits of the search for "what would change this".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _

# Bump when a change here could give a different result for the same answers.
RULES_VERSION = "2026.11.3"

DIMENSIONS = ("capacity", "risk_tolerance", "exposure", "geopolitical_exposure")
OUTCOMES = ("operational", "normative", "both", "hygiene_first")
MAX_POINTS = 4

# Limits of the greedy search for the fewest answer changes that move the outcome.
SENSITIVITY_MAX_CHANGES = 6
SENSITIVITY_POOL = 6  # candidate changes per dimension and direction
_EPSILON = 0.01


def dimension_labels():
    return {
        "capacity": _("Security capacity"),
        "risk_tolerance": _("Risk tolerance"),
        "exposure": _("Exposure"),
        "geopolitical_exposure": _("Geopolitical exposure"),
    }


def outcome_labels():
    return {
        "operational": _("Operational alliances"),
        "normative": _("Normative alliances"),
        "both": _("Operational and normative alliances"),
        "hygiene_first": _("Cyber hygiene first"),
    }


# --- Input data -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    points: Mapping[str, float] = field(default_factory=dict)
    tags: frozenset[str] = frozenset()
    is_unknown: bool = False


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    choices: tuple[Choice, ...]
    kind: str = "single"
    section: str = ""
    required: bool = True
    weight: float = 1.0
    # (code of an earlier question, choice codes that show this one)
    show_if: tuple[str, frozenset[str]] | None = None

    def __post_init__(self):
        # Frozen, so these derived lookups are computed once (the search calls them a lot).
        object.__setattr__(self, "_by_code", {c.code: c for c in self.choices})
        maxima = {}
        for dim in DIMENSIONS:
            known = [c.points.get(dim, 0) for c in self.choices if not c.is_unknown]
            if not known:
                maxima[dim] = 0
            elif self.kind == "multi":
                maxima[dim] = sum(p for p in known if p > 0)
            else:
                maxima[dim] = max(known)
        object.__setattr__(self, "_max", maxima)

    def choice(self, code):
        return self._by_code.get(code)

    def max_points(self, dimension):
        return self._max.get(dimension, 0)


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs on the 0-100 scores and on confidence; all come from the bank."""

    operational_capacity: float
    contributing_capacity: float
    contributing_risk_tolerance: float
    normative_exposure: float
    normative_risk_tolerance: float
    signatory_exposure: float
    signatory_risk_tolerance: float
    geopolitical_high: float
    geopolitical_override_risk_tolerance: float
    risk_tolerance_low: float
    min_confidence: float
    min_answered_share: float

    @classmethod
    def names(cls):
        return [f.name for f in fields(cls)]

    @classmethod
    def problems(cls, data):
        """Every problem with a thresholds mapping, in words; empty when it is usable."""
        if not isinstance(data, Mapping):
            return [_("Thresholds must be a mapping of name to number.")]
        problems = []
        for name in cls.names():
            value = data.get(name)
            if value is None:
                problems.append(_("Threshold %(name)s is missing.") % {"name": name})
            elif isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(_("Threshold %(name)s must be a number.") % {"name": name})
            elif not 0 <= value <= 100:
                problems.append(
                    _("Threshold %(name)s must be between 0 and 100, not %(value)s.")
                    % {"name": name, "value": value}
                )
        for name in sorted(set(data) - set(cls.names())):
            problems.append(_("Unknown threshold %(name)s.") % {"name": name})
        return problems

    @classmethod
    def from_dict(cls, data):
        problems = cls.problems(data)
        if problems:
            raise ValueError(" ".join(problems))
        return cls(**{name: float(data[name]) for name in cls.names()})

    def as_dict(self):
        return {name: getattr(self, name) for name in self.names()}


@dataclass(frozen=True)
class Caveat:
    """A fact-based caveat kept as bank data: shown when its conditions hold."""

    code: str
    text: str
    tags_any: frozenset[str] = frozenset()
    countries_any: frozenset[str] = frozenset()
    tracks_any: frozenset[str] = frozenset()
    source: str = ""
    as_of: str = ""


@dataclass(frozen=True)
class Bank:
    slug: str
    version: int
    name: str
    questions: tuple[Question, ...]
    thresholds: Thresholds
    plans: Mapping[str, Sequence[Mapping[str, str]]] = field(default_factory=dict)
    caveats: tuple[Caveat, ...] = ()

    def question(self, code):
        return self._by_code().get(code)

    def _by_code(self):
        cache = self.__dict__.get("_index")
        if cache is None:
            cache = {q.code: q for q in self.questions}
            object.__setattr__(self, "_index", cache)
        return cache


@dataclass(frozen=True)
class Profile:
    sector: str = ""
    countries: frozenset[str] = frozenset()
    size_band: str = ""


@dataclass(frozen=True)
class Alliance:
    slug: str
    name: str
    kind: str
    track: str
    level: str | None
    summary: str = ""
    sectors: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()
    requires_tags: frozenset[str] = frozenset()
    excludes_tags: frozenset[str] = frozenset()
    eligibility: str = ""
    cost: str = ""
    commitments: str = ""
    url: str = ""
    facts_as_of: str = ""
    confidence: str = ""
    sources: tuple[str, ...] = ()

    @property
    def is_paid(self):
        return "no_membership_budget" in self.excludes_tags


# --- Visibility and scoring -------------------------------------------------------------------


def _chosen(question, answers):
    codes = answers.get(question.code) or ()
    return [c for c in (question.choice(code) for code in codes) if c is not None]


def is_visible(question, bank, answers, _seen=None):
    """A question is shown when it has no condition, or its (visible) source was answered
    with one of the listed choices."""
    if question.show_if is None:
        return True
    source_code, wanted = question.show_if
    source = bank.question(source_code)
    if source is None:
        return False
    seen = _seen or set()
    if question.code in seen:  # a cycle is a bank error; treat it as hidden
        return False
    if not is_visible(source, bank, answers, seen | {question.code}):
        return False
    return any(c.code in wanted for c in _chosen(source, answers))


def visible_questions(bank, answers):
    return [q for q in bank.questions if is_visible(q, bank, answers)]


@dataclass
class _Totals:
    earned: list[float]
    reachable: list[float]
    known_w: list[float]
    possible_w: list[float]

    @classmethod
    def zero(cls):
        n = len(DIMENSIONS)
        return cls([0.0] * n, [0.0] * n, [0.0] * n, [0.0] * n)

    def add(self, other, sign=1):
        for attr in ("earned", "reachable", "known_w", "possible_w"):
            mine, theirs = getattr(self, attr), getattr(other, attr)
            for i in range(len(mine)):
                mine[i] += sign * theirs[i]

    def copy(self):
        return _Totals(
            list(self.earned), list(self.reachable), list(self.known_w), list(self.possible_w)
        )

    def scores(self):
        return [
            None if r <= 0 else max(0.0, min(100.0, 100.0 * e / r))
            for e, r in zip(self.earned, self.reachable, strict=True)
        ]


def _contribution(question, codes):
    """What one shown question adds to the totals, given the codes picked for it. Cached per
    question and answer: the sensitivity search asks for the same ones many times."""
    key = tuple(sorted(codes or ()))
    cache = question.__dict__.setdefault("_contributions", {})
    found = cache.get(key)
    if found is not None:
        return found
    chosen = [c for c in (question.choice(code) for code in key) if c is not None]
    totals = _Totals.zero()
    known = bool(chosen) and not any(c.is_unknown for c in chosen)
    for i, dim in enumerate(DIMENSIONS):
        reach = question.max_points(dim)
        if reach <= 0:
            continue
        totals.possible_w[i] = question.weight
        if known:
            totals.known_w[i] = question.weight
            totals.reachable[i] = question.weight * reach
            earned = sum(c.points.get(dim, 0) for c in chosen)
            totals.earned[i] = question.weight * max(0.0, min(reach, earned))
    cache[key] = totals
    return totals


def score_totals(bank, answers, visible):
    """Earned and reachable points per dimension over the shown questions."""
    totals = _Totals.zero()
    for q in visible:
        totals.add(_contribution(q, answers.get(q.code)))
    return totals


# --- The decision -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    outcome: str
    operational_depth: str | None  # "receive" or "contribute"
    normative_depth: str | None  # "supporter" or "signatory"
    geopolitical_block: bool


def decide(scores, t):
    """The outcome for four dimension scores (None counts as 0) under thresholds t."""
    c, r, e, g = (scores.get(d) or 0.0 for d in DIMENSIONS)
    operational = c >= t.operational_capacity
    geo_block = g >= t.geopolitical_high and r < t.geopolitical_override_risk_tolerance
    normative = e >= t.normative_exposure and r >= t.normative_risk_tolerance and not geo_block
    op_depth = None
    if operational:
        contribute = c >= t.contributing_capacity and r >= t.contributing_risk_tolerance
        op_depth = "contribute" if contribute else "receive"
    norm_depth = None
    if normative:
        signatory = e >= t.signatory_exposure and r >= t.signatory_risk_tolerance
        norm_depth = "signatory" if signatory else "supporter"
    if operational and normative:
        outcome = "both"
    elif operational:
        outcome = "operational"
    elif normative:
        outcome = "normative"
    else:
        outcome = "hygiene_first"
    return Decision(outcome, op_depth, norm_depth, geo_block)


def distance_to(outcome, scores, t):
    """How far (in score points) the scores are from the region where `outcome` applies;
    0 exactly when decide() gives that outcome. Guides the sensitivity search."""
    c, r, e, g = (scores.get(d) or 0.0 for d in DIMENSIONS)
    return _distance(outcome, c, r, e, g, t)


def _distance(outcome, c, r, e, g, t):
    op_gap = max(0.0, t.operational_capacity - c)
    if outcome in ("operational", "both"):
        first = op_gap
    else:
        first = max(0.0, c - t.operational_capacity + _EPSILON)
    if outcome in ("normative", "both"):
        not_blocked = min(
            max(0.0, g - t.geopolitical_high + _EPSILON),
            max(0.0, t.geopolitical_override_risk_tolerance - r),
        )
        second = (
            max(0.0, t.normative_exposure - e)
            + max(0.0, t.normative_risk_tolerance - r)
            + not_blocked
        )
    else:
        blocked = max(0.0, t.geopolitical_high - g) + max(
            0.0, r - t.geopolitical_override_risk_tolerance + _EPSILON
        )
        second = min(
            max(0.0, e - t.normative_exposure + _EPSILON),
            max(0.0, r - t.normative_risk_tolerance + _EPSILON),
            blocked,
        )
    return first + second


# --- Explanations -----------------------------------------------------------------------------


def _answer_text(chosen):
    return "; ".join(c.label for c in chosen) if chosen else _("(not answered)")


def _drivers(dim, visible, answers, *, high, limit=3):
    """The answers that moved `dim` most: up (high=True) or held it down (high=False)."""
    rows = []
    for q in visible:
        reach = q.max_points(dim)
        chosen = _chosen(q, answers)
        if reach <= 0 or not chosen or any(c.is_unknown for c in chosen):
            continue
        earned = min(reach, sum(c.points.get(dim, 0) for c in chosen))
        impact = q.weight * (earned if high else reach - earned)
        if impact > 0:
            rows.append((impact, q, chosen, earned, reach))
    rows.sort(key=lambda row: (-row[0], row[1].code))
    return [
        {
            "question": q.code,
            "text": q.text,
            "answer": _answer_text(chosen),
            "points": earned,
            "of": reach,
        }
        for _impact, q, chosen, earned, reach in rows[:limit]
    ]


def _fmt(x):
    return _("unknown") if x is None else f"{x:.0f}"


def _reasons(scores, decision, t, visible, answers):
    s = scores
    cap, risk, exp, geo = (s[d] for d in DIMENSIONS)
    reasons = []

    def add(code, text, dim, high):
        reasons.append(
            {
                "code": code,
                "text": text,
                "dimension": dim,
                "drivers": _drivers(dim, visible, answers, high=high),
            }
        )

    if decision.operational_depth:
        add(
            "capacity_sufficient",
            _(
                "Security capacity scores %(score)s, at or above the %(cut)s needed to act on "
                "shared threat data, so operational sharing would pay off."
            )
            % {"score": _fmt(cap), "cut": _fmt(t.operational_capacity)},
            "capacity",
            True,
        )
        if decision.operational_depth == "contribute":
            add(
                "can_contribute",
                _(
                    "Capacity (%(cap)s) and risk tolerance (%(risk)s) are both high enough "
                    "(%(cap_cut)s and %(risk_cut)s) to give intelligence back, not only receive it."
                )
                % {
                    "cap": _fmt(cap),
                    "risk": _fmt(risk),
                    "cap_cut": _fmt(t.contributing_capacity),
                    "risk_cut": _fmt(t.contributing_risk_tolerance),
                },
                "risk_tolerance",
                True,
            )
        else:
            short_dim = "capacity" if (cap or 0) < t.contributing_capacity else "risk_tolerance"
            add(
                "receive_only",
                _(
                    "Start as a receive-only member: contributing takes capacity of "
                    "%(cap_cut)s (you have %(cap)s) and risk tolerance of %(risk_cut)s "
                    "(you have %(risk)s)."
                )
                % {
                    "cap": _fmt(cap),
                    "risk": _fmt(risk),
                    "cap_cut": _fmt(t.contributing_capacity),
                    "risk_cut": _fmt(t.contributing_risk_tolerance),
                },
                short_dim,
                False,
            )
    elif cap is None:
        add(
            "capacity_unknown",
            _(
                "Security capacity is unknown: no question on it has a known answer. "
                "Operational sharing is not recommended until you can say what your team can "
                "take in and act on."
            ),
            "capacity",
            False,
        )
    else:
        add(
            "capacity_short",
            _(
                "Security capacity scores %(score)s, below the %(cut)s needed to sort through "
                "shared threat data and act on it; shared feeds would go unused."
            )
            % {"score": _fmt(cap), "cut": _fmt(t.operational_capacity)},
            "capacity",
            False,
        )

    if decision.normative_depth:
        add(
            "normative_fit",
            _(
                "Exposure scores %(exp)s (threshold %(exp_cut)s) and risk tolerance %(risk)s "
                "(threshold %(risk_cut)s): you are the kind of target or systemic player that "
                "public norms commitments protect, and you can bear their visibility."
            )
            % {
                "exp": _fmt(exp),
                "exp_cut": _fmt(t.normative_exposure),
                "risk": _fmt(risk),
                "risk_cut": _fmt(t.normative_risk_tolerance),
            },
            "exposure",
            True,
        )
        if decision.normative_depth == "signatory":
            add(
                "signatory",
                _(
                    "Exposure (%(exp)s) and risk tolerance (%(risk)s) reach %(exp_cut)s and "
                    "%(risk_cut)s: a full signatory role with public reporting fits."
                )
                % {
                    "exp": _fmt(exp),
                    "risk": _fmt(risk),
                    "exp_cut": _fmt(t.signatory_exposure),
                    "risk_cut": _fmt(t.signatory_risk_tolerance),
                },
                "risk_tolerance",
                True,
            )
        else:
            add(
                "supporter",
                _(
                    "A low-commitment supporter role fits better than a full signatory one, which "
                    "takes exposure of %(exp_cut)s and risk tolerance of %(risk_cut)s."
                )
                % {
                    "exp_cut": _fmt(t.signatory_exposure),
                    "risk_cut": _fmt(t.signatory_risk_tolerance),
                },
                "exposure",
                False,
            )
    elif decision.geopolitical_block:
        add(
            "geopolitical_block",
            _(
                "Geopolitical exposure scores %(geo)s (high from %(geo_cut)s) while risk tolerance "
                "is %(risk)s, under the %(risk_cut)s it takes to absorb friction with a "
                "government: a public norms pledge is not advised for now."
            )
            % {
                "geo": _fmt(geo),
                "geo_cut": _fmt(t.geopolitical_high),
                "risk": _fmt(risk),
                "risk_cut": _fmt(t.geopolitical_override_risk_tolerance),
            },
            "geopolitical_exposure",
            True,
        )
    elif exp is None:
        add(
            "exposure_unknown",
            _(
                "Exposure is unknown: no question on it has a known answer, so a public "
                "norms commitment is not recommended on this evidence."
            ),
            "exposure",
            False,
        )
    elif exp < t.normative_exposure:
        add(
            "exposure_low",
            _(
                "Exposure scores %(exp)s, under the %(cut)s at which normative alliances pay off: "
                "you are not systemically important or a prime target, so you can benefit from "
                "others' pledges without taking a public position."
            )
            % {"exp": _fmt(exp), "cut": _fmt(t.normative_exposure)},
            "exposure",
            False,
        )
    else:
        add(
            "risk_low_for_normative",
            _(
                "Exposure is high (%(exp)s) but risk tolerance (%(risk)s) is under the %(cut)s "
                "needed to make public commitments that may clash with a government."
            )
            % {"exp": _fmt(exp), "risk": _fmt(risk), "cut": _fmt(t.normative_risk_tolerance)},
            "risk_tolerance",
            False,
        )
    return reasons


def _caveats(scores, decision, t, tags, profile, bank):
    risk, geo = scores["risk_tolerance"], scores["geopolitical_exposure"] or 0.0
    caveats = []
    if geo >= t.geopolitical_high and risk is not None and risk < t.risk_tolerance_low:
        caveats.append(
            {
                "code": "geopolitical_low_tolerance",
                "text": _(
                    "High geopolitical exposure (%(geo)s) meets low risk tolerance (%(risk)s): "
                    "review any public statement or sharing agreement with legal counsel and "
                    "government relations before you sign it."
                )
                % {"geo": _fmt(geo), "risk": _fmt(risk)},
                "source": "",
                "as_of": "",
            }
        )
    elif decision.normative_depth and geo >= t.geopolitical_high:
        caveats.append(
            {
                "code": "geopolitical_friction",
                "text": _(
                    "With geopolitical exposure of %(geo)s, expect a norms pledge to be read as a "
                    "position on state behaviour by at least one government you deal with."
                )
                % {"geo": _fmt(geo)},
                "source": "",
                "as_of": "",
            }
        )
    tracks = set()
    if decision.operational_depth:
        tracks.add("operational")
    if decision.normative_depth:
        tracks.add("normative")
    for caveat in bank.caveats:
        if caveat.tags_any and not (caveat.tags_any & tags):
            continue
        if caveat.countries_any and not (caveat.countries_any & profile.countries):
            continue
        if caveat.tracks_any and not (caveat.tracks_any & tracks):
            continue
        caveats.append(
            {
                "code": caveat.code,
                "text": caveat.text,
                "source": caveat.source,
                "as_of": caveat.as_of,
            }
        )
    return caveats


# --- Matching the catalogue -------------------------------------------------------------------


def _level_fits(alliance, decision):
    if alliance.track == "operational":
        if decision.operational_depth is None:
            return False
        return alliance.level != "contribute" or decision.operational_depth == "contribute"
    if alliance.track == "normative":
        if decision.normative_depth is None:
            return False
        return alliance.level != "signatory" or decision.normative_depth == "signatory"
    return True


def eligible(alliance, profile, tags):
    """Whether the organisation meets the entry's sector, country and tag rules."""
    if alliance.sectors and profile.sector not in alliance.sectors:
        return False
    if alliance.countries and not (alliance.countries & profile.countries):
        return False
    if not alliance.requires_tags <= tags:
        return False
    return not (alliance.excludes_tags & tags)


def _alliance_dict(alliance, profile, tags, role):
    why = []
    if alliance.sectors:
        why.append(_("open to your sector"))
    if alliance.countries:
        why.append(_("covers a country you operate in"))
    if alliance.requires_tags:
        why.append(_("your answers show what it asks of members"))
    if not why:
        why.append(_("open to organisations of any sector and country"))
    return {
        "slug": alliance.slug,
        "name": alliance.name,
        "kind": alliance.kind,
        "track": alliance.track,
        "level": alliance.level,
        "summary": alliance.summary,
        "eligibility": alliance.eligibility,
        "cost": alliance.cost,
        "commitments": alliance.commitments,
        "url": alliance.url,
        "facts_as_of": alliance.facts_as_of,
        "confidence": alliance.confidence,
        "sources": list(alliance.sources),
        "role": role,
        "why": why,
    }


def match_alliances(catalogue, decision, profile, tags):
    """(recommended, related): the entries to name, each with the facts of joining."""
    recommended, related = [], []
    for alliance in catalogue:
        if not eligible(alliance, profile, tags):
            continue
        if alliance.track == "related":
            related.append(_alliance_dict(alliance, profile, tags, "related"))
        elif _level_fits(alliance, decision):
            recommended.append(_alliance_dict(alliance, profile, tags, "recommended"))
        elif (
            decision.outcome == "hygiene_first"
            and alliance.track == "operational"
            and alliance.level == "receive"
            and not alliance.is_paid
        ):
            # Free, one-way sources are a sensible first step even before joining anything.
            recommended.append(_alliance_dict(alliance, profile, tags, "starting_point"))
    order = {"recommended": 0, "starting_point": 1, "operational": 0, "normative": 1}
    recommended.sort(key=lambda a: (order[a["role"]], order[a["track"]], a["name"].lower()))
    related.sort(key=lambda a: a["name"].lower())
    return recommended, related


# --- Sensitivity: what would change this ------------------------------------------------------


def _dependents(bank):
    deps = {}
    for q in bank.questions:
        if q.show_if:
            deps.setdefault(q.show_if[0], []).append(q)
    return deps


def _is_exclusive(choice):
    """ "Don't know" and "None of these" stand alone in a multi-choice answer."""
    return choice.is_unknown or choice.code == "none"


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


def _candidates(question, current):
    """Other answers one could give, one change each (never "don't know")."""
    known = [c for c in question.choices if not c.is_unknown]
    current_codes = {c.code for c in current}
    if question.kind == "multi":
        base = {c.code for c in current if not _is_exclusive(c)}
        out = []
        for c in known:
            if _is_exclusive(c):
                new = {c.code}
            elif c.code in base:
                new = base - {c.code}
            else:
                new = base | {c.code}
            if new and new != current_codes:
                out.append(tuple(sorted(new)))
        return out
    return [(c.code,) for c in known if {c.code} != current_codes]


def _delta(bank, deps, answers, question, new_codes):
    """(earned, reachable) changes per dimension when `question` is answered `new_codes`
    instead, including questions whose visibility that flips."""
    old = _contribution(question, answers.get(question.code))
    new = _contribution(question, new_codes)
    earned = [a - b for a, b in zip(new.earned, old.earned, strict=True)]
    reachable = [a - b for a, b in zip(new.reachable, old.reachable, strict=True)]
    stack = list(deps.get(question.code, ()))
    new_answers = dict(answers, **{question.code: new_codes}) if stack else answers
    while stack:
        dep = stack.pop()
        before = is_visible(dep, bank, answers)
        after = is_visible(dep, bank, new_answers)
        if before != after:
            part = _contribution(dep, answers.get(dep.code))
            sign = 1 if after else -1
            for i in range(len(earned)):
                earned[i] += sign * part.earned[i]
                reachable[i] += sign * part.reachable[i]
        stack.extend(deps.get(dep.code, ()))
    return earned, reachable


def _ratio(earned, reachable):
    return None if reachable <= 0 else max(0.0, min(100.0, 100.0 * earned / reachable))


def sensitivity(bank, answers, visible, current_outcome):
    """For each other outcome, a short list of answer changes that reaches it.

    Greedy: each step takes the change that brings the four scores closest to that outcome's
    region. To stay within the time budget, the candidates are, for each dimension and
    direction that would help, the few changes that move that dimension most."""
    t = bank.thresholds
    deps = _dependents(bank)
    family = _families(bank, deps)
    base = score_totals(bank, answers, visible)
    n = len(DIMENSIONS)
    base_scores = [_ratio(e, r) for e, r in zip(base.earned, base.reachable, strict=True)]
    options = []  # (question, codes, earned delta, reachable delta, score change per dim)
    for q in visible:
        for codes in _candidates(q, _chosen(q, answers)):
            d_earned, d_reachable = _delta(bank, deps, answers, q, codes)
            moved = []
            for i in range(n):
                after = _ratio(base.earned[i] + d_earned[i], base.reachable[i] + d_reachable[i])
                moved.append((after or 0.0) - (base_scores[i] or 0.0))
            options.append((q, codes, d_earned, d_reachable, moved))
    ranked = {
        (i, sign): [
            o
            for o in sorted(options, key=lambda o, i=i, sign=sign: -sign * o[4][i])
            if sign * o[4][i] > 0
        ][:SENSITIVITY_POOL]
        for i in range(n)
        for sign in (1, -1)
    }
    plain = [s or 0.0 for s in base_scores]
    results = []
    for target in OUTCOMES:
        if target == current_outcome:
            continue
        distance = _distance(target, *plain, t)
        pool, seen = [], set()
        for (i, sign), best in ranked.items():
            nudged = list(plain)
            nudged[i] = max(0.0, min(100.0, nudged[i] + sign * 10))
            if _distance(target, *nudged, t) < distance:
                for o in best:
                    if id(o) not in seen:
                        seen.add(id(o))
                        pool.append(o)
        earned, reachable = list(base.earned), list(base.reachable)
        used, steps = set(), []
        while distance > 0 and len(steps) < SENSITIVITY_MAX_CHANGES:
            best = None
            for o in pool:
                if o[0].code in used:
                    continue
                trial = [
                    _ratio(earned[i] + o[2][i], reachable[i] + o[3][i]) or 0.0 for i in range(n)
                ]
                d = _distance(target, *trial, t)
                if d < distance and (best is None or d < best[0]):
                    best = (d, o)
            if best is None:
                break
            distance, (q, codes, d_earned, d_reachable, _moved) = best
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
                    "from": _answer_text(_chosen(q, answers)),
                    "to": _answer_text([q.choice(c) for c in codes]),
                    "to_codes": list(codes),
                }
            )
        final = dict(zip(DIMENSIONS, map(_ratio, earned, reachable), strict=True))
        reached = distance == 0 and decide(final, t).outcome == target
        results.append(
            {
                "outcome": target,
                "label": outcome_labels()[target],
                "reachable": reached,
                "changes": steps if reached else [],
            }
        )
    return results


# --- The whole evaluation ---------------------------------------------------------------------


def headline(decision, insufficient):
    op = {
        "receive": _("join an operational alliance as a receive-only member"),
        "contribute": _("join operational alliances as a contributing member"),
    }
    norm = {
        "supporter": _("support a low-commitment normative pledge"),
        "signatory": _("sign a normative alliance as a full signatory"),
    }
    if decision.outcome == "both":
        text = _("Recommendation: %(op)s, and %(norm)s.") % {
            "op": op[decision.operational_depth],
            "norm": norm[decision.normative_depth],
        }
    elif decision.outcome == "operational":
        text = _("Recommendation: %(op)s; stay out of normative pledges for now.") % {
            "op": op[decision.operational_depth]
        }
    elif decision.outcome == "normative":
        text = _(
            "Recommendation: %(norm)s; build security capacity before operational sharing."
        ) % {"norm": norm[decision.normative_depth]}
    else:
        text = _(
            "Recommendation: put cyber hygiene first and stay on the sidelines of "
            "alliances for now, using free one-way sources."
        )
    if insufficient:
        text = _("Too little is known for a firm recommendation. Provisionally: %(text)s") % {
            "text": text
        }
    return text


def _plan(bank, decision):
    keys = []
    if decision.operational_depth:
        keys.append(("operational", f"operational_{decision.operational_depth}"))
    if decision.normative_depth:
        keys.append(("normative", f"normative_{decision.normative_depth}"))
    if not keys:
        keys.append(("hygiene_first", "hygiene_first"))
    return [dict(step, track=track) for track, key in keys for step in bank.plans.get(key, ())]


@dataclass(frozen=True)
class Result:
    data: dict

    def as_dict(self):
        return self.data

    @property
    def outcome(self):
        return self.data["outcome"]


def evaluate(bank, answers, profile=None, catalogue=(), *, with_sensitivity=True):
    """The full recommendation for one answer set. Same input, same output."""
    profile = profile or Profile()
    t = bank.thresholds
    visible = visible_questions(bank, answers)
    totals = score_totals(bank, answers, visible)
    score_list = totals.scores()
    scores = dict(zip(DIMENSIONS, score_list, strict=True))

    answered = unknown = 0
    for q in visible:
        chosen = _chosen(q, answers)
        if chosen:
            answered += 1
            unknown += any(c.is_unknown for c in chosen)
    tags = frozenset(
        tag for q in visible for c in _chosen(q, answers) if not c.is_unknown for tag in c.tags
    )
    per_dim_conf = {
        d: (100.0 * k / p if p else 0.0)
        for d, k, p in zip(DIMENSIONS, totals.known_w, totals.possible_w, strict=True)
    }
    confidence = sum(per_dim_conf.values()) / len(DIMENSIONS)
    answered_share = 100.0 * answered / len(visible) if visible else 0.0
    insufficient = (
        confidence < t.min_confidence
        or answered_share < t.min_answered_share
        or any(scores[d] is None for d in ("capacity", "risk_tolerance", "exposure"))
    )
    decision = decide(scores, t)
    recommended, related = match_alliances(catalogue, decision, profile, tags)
    missing_required = [q.code for q in visible if q.required and not _chosen(q, answers)]
    data = {
        "rules_version": RULES_VERSION,
        "bank": {"slug": bank.slug, "version": bank.version, "name": bank.name},
        "thresholds": t.as_dict(),
        "scores": {
            d: {
                "score": None if scores[d] is None else round(scores[d], 1),
                "confidence": round(per_dim_conf[d], 1),
                "earned": round(totals.earned[i], 3),
                "reachable": round(totals.reachable[i], 3),
            }
            for i, d in enumerate(DIMENSIONS)
        },
        "confidence": round(confidence, 1),
        "answered": answered,
        "unknown": unknown,
        "visible": len(visible),
        "missing_required": missing_required,
        "insufficient": insufficient,
        "outcome": decision.outcome,
        "operational_depth": decision.operational_depth,
        "normative_depth": decision.normative_depth,
        "headline": headline(decision, insufficient),
        "reasons": _reasons(scores, decision, t, visible, answers),
        "caveats": _caveats(scores, decision, t, tags, profile, bank),
        "alliances": recommended,
        "related": related,
        "plan": _plan(bank, decision),
        "tags": sorted(tags),
        "sensitivity": (
            sensitivity(bank, answers, visible, decision.outcome) if with_sensitivity else []
        ),
    }
    if insufficient:
        data["caveats"].insert(
            0,
            {
                "code": "insufficient",
                "text": _(
                    "Only %(answered)s of %(visible)s questions have a known answer (confidence "
                    "%(conf)s%%). Answer the questions marked \u201cDon't know\u201d or left blank "
                    "before relying on this result."
                )
                % {
                    "answered": answered - unknown,
                    "visible": len(visible),
                    "conf": _fmt(confidence),
                },
                "source": "",
                "as_of": "",
            },
        )
    return Result(data)


def outcome_at(scores, thresholds):
    """A function (capacity, risk_tolerance) -> outcome at these exposures, for the map."""

    def at(capacity, risk_tolerance):
        point = dict(scores, capacity=capacity, risk_tolerance=risk_tolerance)
        return decide(point, thresholds).outcome

    return at


def bank_from_document(doc):
    """A Bank from the "bank" object of a bank JSON document (assess/data/FORMAT.md)."""
    questions = []
    for section in doc["sections"]:
        for q in section["questions"]:
            show_if = q.get("show_if")
            questions.append(
                Question(
                    code=q["code"],
                    text=q["text"],
                    kind=q.get("kind", "single"),
                    section=section["code"],
                    required=q.get("required", True),
                    weight=float(q.get("weight", 1.0)),
                    show_if=(show_if["question"], frozenset(show_if["choices"]))
                    if show_if
                    else None,
                    choices=tuple(
                        Choice(
                            code=c["code"],
                            label=c["label"],
                            points={k: float(v) for k, v in c.get("points", {}).items()},
                            tags=frozenset(c.get("tags", ())),
                            is_unknown=bool(c.get("is_unknown", False)),
                        )
                        for c in q["choices"]
                    ),
                )
            )
    return Bank(
        slug=doc["slug"],
        version=doc["version"],
        name=doc["name"],
        questions=tuple(questions),
        thresholds=Thresholds.from_dict(doc["thresholds"]),
        plans=doc.get("plans", {}),
        caveats=caveats_from_document(doc.get("caveats", ())),
    )


def caveats_from_document(items):
    return tuple(
        Caveat(
            code=c["code"],
            text=c["text"],
            tags_any=frozenset(c.get("when", {}).get("tags_any", ())),
            countries_any=frozenset(c.get("when", {}).get("countries_any", ())),
            tracks_any=frozenset(c.get("when", {}).get("tracks_any", ())),
            source=c.get("source", ""),
            as_of=c.get("as_of", ""),
        )
        for c in items
    )


def alliance_from_document(a):
    """An Alliance from one entry of a catalogue JSON document."""
    return Alliance(
        slug=a["slug"],
        name=a["name"],
        kind=a["kind"],
        track=a["track"],
        level=a.get("level"),
        summary=a.get("summary", ""),
        sectors=frozenset(a.get("sectors", ())),
        countries=frozenset(a.get("countries", ())),
        requires_tags=frozenset(a.get("requires_tags", ())),
        excludes_tags=frozenset(a.get("excludes_tags", ())),
        eligibility=a.get("eligibility", ""),
        cost=a.get("cost", ""),
        commitments=a.get("commitments", ""),
        url=a.get("url", ""),
        facts_as_of=a.get("facts_as_of", ""),
        confidence=a.get("confidence", ""),
        sources=tuple(a.get("sources", ())),
    )
