"""The plain data the rules read: a bank (questions, thresholds, gates, plans, caveats), an
organisation profile and the alliance catalogue. Built from a bank document here, or from the
database by `assess.selectors`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

from django.utils.translation import gettext as _

from assess.vocabulary import DIMENSIONS, TRACK_DEPTHS


@dataclass(frozen=True)
class Choice:
    code: str
    label: str
    points: Mapping[str, float] = field(default_factory=dict)
    tags: frozenset[str] = frozenset()
    is_unknown: bool = False
    # Size bands for which this answer is plausible; empty means any. "What would change
    # this" never proposes an answer outside the organisation's band (20 security staff in a
    # 30-person firm).
    sizes: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Question:
    code: str
    text: str
    choices: tuple[Choice, ...]
    kind: str = "single"
    section: str = ""
    required: bool = True
    weight: float = 1.0
    # A fact the company does not decide: never a lever in "what would change this".
    fact: bool = False
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
    """Cut-offs on the 0-100 scores; all come from the bank (docs/decision-model.md)."""

    operational_capacity: float
    operational_capacity_threatened: float
    threat_high: float
    contributing_capacity: float
    contributing_sharing_tolerance: float
    normative_exposure: float
    normative_commitment_tolerance: float
    signatory_exposure: float
    signatory_commitment_tolerance: float
    geopolitical_high: float
    geopolitical_override_commitment_tolerance: float
    commitment_tolerance_low: float
    min_known_share: float
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
        for name in sorted(set(data) - set(cls.names()), key=str):
            problems.append(_("Unknown threshold %(name)s.") % {"name": name})
        if not problems:
            pairs = (
                ("operational_capacity_threatened", "operational_capacity"),
                ("operational_capacity", "contributing_capacity"),
                ("normative_exposure", "signatory_exposure"),
                ("normative_commitment_tolerance", "signatory_commitment_tolerance"),
            )
            for low, high in pairs:
                if data[low] > data[high]:
                    problems.append(
                        _("Threshold %(low)s (%(a)s) must not be above %(high)s (%(b)s).")
                        % {"low": low, "high": high, "a": data[low], "b": data[high]}
                    )
        return problems

    @classmethod
    def from_dict(cls, data):
        problems = cls.problems(data)
        if problems:
            raise ValueError(" ".join(problems))
        return cls(**{name: float(data[name]) for name in cls.names()})

    def as_dict(self):
        return {name: getattr(self, name) for name in self.names()}

    def is_threat_high(self, threat):
        return threat is not None and threat >= self.threat_high

    def is_geopolitics_high(self, geopolitical):
        return geopolitical is not None and geopolitical >= self.geopolitical_high

    def operational_cut(self, threat):
        """The capacity a receive-only member needs: lower under high threat pressure, since
        warnings about campaigns against your own sector are the easiest intelligence to act
        on (patch this, block that)."""
        if self.is_threat_high(threat):
            return self.operational_capacity_threatened
        return self.operational_capacity

    def normative_cut(self, geopolitical):
        """The commitment tolerance a normative pledge needs: higher when governments weigh
        on the business, since a pledge is then read as a position on state behaviour."""
        if self.is_geopolitics_high(geopolitical):
            return max(
                self.normative_commitment_tolerance,
                self.geopolitical_override_commitment_tolerance,
            )
        return self.normative_commitment_tolerance


@dataclass(frozen=True)
class Condition:
    """A question answered with one of these choices (any of them, for a multi question)."""

    question: str
    choices: frozenset[str]

    def holds(self, answers, visible_codes):
        if self.question not in visible_codes:
            return False
        return any(code in self.choices for code in answers.get(self.question) or ())


@dataclass(frozen=True)
class Gate:
    """A knock-out: when every condition holds, the tracks named in `limits` are capped at
    that depth whatever the scores say ({"normative": "none"}, {"operational": "receive"})."""

    code: str
    text: str
    when: tuple[Condition, ...]
    limits: Mapping[str, str]
    # A gate about particular pledges (friction features, FORMAT.md): it rules out the
    # normative bodies with any of them, and caps the whole track only when no pledge open to
    # the organisation is free of them.
    pledges_with: frozenset[str] = frozenset()
    # Set by the evaluation for a gate acting per pledge: the bodies it rules out.
    rules_out: tuple[str, ...] = ()

    def holds(self, answers, visible_codes):
        return bool(self.when) and all(c.holds(answers, visible_codes) for c in self.when)


@dataclass(frozen=True)
class When:
    """Facts of the organisation that make a caveat or a plan step apply; an empty list
    means any."""

    tags_any: frozenset[str] = frozenset()
    countries_any: frozenset[str] = frozenset()
    sectors_any: frozenset[str] = frozenset()
    sizes_any: frozenset[str] = frozenset()
    tracks_any: frozenset[str] = frozenset()

    def holds(self, *, tags, profile, tracks):
        return (
            (not self.tags_any or bool(self.tags_any & tags))
            and (not self.countries_any or bool(self.countries_any & profile.all_countries))
            and (not self.sectors_any or profile.sector in self.sectors_any)
            and (not self.sizes_any or profile.size_band in self.sizes_any)
            and (not self.tracks_any or bool(self.tracks_any & tracks))
        )


@dataclass(frozen=True)
class Caveat:
    code: str
    text: str
    when: When = When()
    source: str = ""
    as_of: str = ""


@dataclass(frozen=True)
class PlanStep:
    window: str
    action: str
    owner: str
    only_if: When = When()
    # Already done when any of these holds: then shown as `keep` ("keep doing") or dropped.
    done_if: tuple[Condition, ...] = ()
    keep: str = ""


@dataclass(frozen=True)
class Bank:
    slug: str
    version: int
    name: str
    questions: tuple[Question, ...]
    thresholds: Thresholds
    plans: Mapping[str, tuple[PlanStep, ...]] = field(default_factory=dict)
    caveats: tuple[Caveat, ...] = ()
    gates: tuple[Gate, ...] = ()
    # Section code -> who in the company usually knows its answers.
    who_knows: Mapping[str, str] = field(default_factory=dict)

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
    headquarters: str = ""

    @property
    def all_countries(self):
        return self.countries | {self.headquarters} if self.headquarters else self.countries


@dataclass(frozen=True)
class Alliance:
    slug: str
    name: str
    kind: str
    track: str
    level: str | None
    summary: str = ""
    sectors: frozenset[str] = frozenset()
    suppliers: bool = False
    countries: frozenset[str] = frozenset()
    size_bands: frozenset[str] = frozenset()
    requires_tags: frozenset[str] = frozenset()
    requires_any_tags: frozenset[str] = frozenset()
    excludes_tags: frozenset[str] = frozenset()
    eligibility: str = ""
    cost: str = ""
    # The operator states that joining costs nothing (an unstated cost is not free).
    free: bool = False
    commitments: str = ""
    url: str = ""
    facts_as_of: str = ""
    confidence: str = ""
    sources: tuple[str, ...] = ()
    secondary_sources: tuple[str, ...] = ()
    # What it asks of a newcomer (None: the same as `level`, what it expects over time).
    newcomer_level: str | None = None
    # Who it does not admit (assess.rules.catalogue.EXCLUSIONS).
    exclusions: frozenset[str] = frozenset()
    # Normative bodies: the friction features that are true (FRICTION_FEATURES).
    friction: frozenset[str] = frozenset()

    @property
    def is_paid(self):
        return "no_membership_budget" in self.excludes_tags

    @property
    def entry_level(self):
        return self.newcomer_level or self.level


# --- From documents (assess/data/FORMAT.md) ----------------------------------------------------


def condition_from_document(c):
    return Condition(question=c["question"], choices=frozenset(c["choices"]))


def when_from_document(w):
    w = w or {}
    return When(**{k: frozenset(w.get(k, ())) for k in When.__dataclass_fields__})


def gates_from_document(items):
    return tuple(
        Gate(
            code=g["code"],
            text=g["text"],
            when=tuple(condition_from_document(c) for c in g["when"]),
            limits=dict(g["limits"]),
            pledges_with=frozenset(g.get("pledges_with", ())),
        )
        for g in items
    )


def caveats_from_document(items):
    return tuple(
        Caveat(
            code=c["code"],
            text=c["text"],
            when=when_from_document(c.get("when")),
            source=c.get("source", ""),
            as_of=c.get("as_of", ""),
        )
        for c in items
    )


def plans_from_document(plans):
    return {
        key: tuple(
            PlanStep(
                window=s.get("window", ""),
                action=s["action"],
                owner=s.get("owner", ""),
                only_if=when_from_document(s.get("only_if")),
                done_if=tuple(condition_from_document(c) for c in s.get("done_if", ())),
                keep=s.get("keep", ""),
            )
            for s in steps
        )
        for key, steps in (plans or {}).items()
    }


def choice_from_document(c):
    return Choice(
        code=c["code"],
        label=c["label"],
        points={k: float(v) for k, v in (c.get("points") or {}).items()},
        tags=frozenset(c.get("tags") or ()),
        is_unknown=bool(c.get("is_unknown", False)),
        sizes=frozenset(c.get("sizes") or ()),
    )


def bank_from_document(doc):
    """A Bank from the "bank" object of a bank JSON document."""
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
                    fact=bool(q.get("fact", False)),
                    show_if=(show_if["question"], frozenset(show_if["choices"]))
                    if show_if
                    else None,
                    choices=tuple(choice_from_document(c) for c in q["choices"]),
                )
            )
    return Bank(
        slug=doc["slug"],
        version=doc["version"],
        name=doc["name"],
        questions=tuple(questions),
        thresholds=Thresholds.from_dict(doc["thresholds"]),
        plans=plans_from_document(doc.get("plans")),
        caveats=caveats_from_document(doc.get("caveats", ())),
        gates=gates_from_document(doc.get("gates", ())),
        who_knows={s["code"]: s.get("who_knows", "") for s in doc["sections"]},
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
        suppliers=bool(a.get("suppliers", False)),
        countries=frozenset(a.get("countries", ())),
        size_bands=frozenset(a.get("size_bands", ())),
        requires_tags=frozenset(a.get("requires_tags", ())),
        requires_any_tags=frozenset(a.get("requires_any_tags", ())),
        excludes_tags=frozenset(a.get("excludes_tags", ())),
        eligibility=a.get("eligibility", ""),
        cost=a.get("cost", ""),
        free=bool(a.get("free", False)),
        commitments=a.get("commitments", ""),
        url=a.get("url", ""),
        facts_as_of=a.get("facts_as_of", ""),
        confidence=a.get("confidence", ""),
        sources=tuple(a.get("sources", ())),
        secondary_sources=tuple(a.get("secondary_sources", ())),
        newcomer_level=a.get("newcomer_level"),
        exclusions=frozenset(a.get("exclusions", ())),
        friction=friction_features(a.get("friction")),
    )


def friction_features(friction):
    """The features a friction profile marks true, as a set."""
    return frozenset(k for k, v in (friction or {}).items() if v is True)


def limit_problems(limits):
    """Problems with a gate's limits mapping, in words."""
    if not isinstance(limits, Mapping) or not limits:
        return [_('expected an object such as {"normative": "none"}')]
    problems = []
    for track, depth in limits.items():
        depths = TRACK_DEPTHS.get(track)
        if depths is None:
            problems.append(_('unknown track "%(t)s"') % {"t": track})
        elif depth not in depths[:-1]:
            problems.append(
                _('"%(t)s" can be capped at %(d)s, not "%(v)s"')
                % {"t": track, "d": ", ".join(depths[:-1]), "v": depth}
            )
    return problems
