"""The frozen result: one typed record, made once at submit and read by everything after it.

`services.assessment_submit` builds it from the rules' result (and the organisation, the
answers as shown, the workshop's disagreement and the map's regions) and stores
`Snapshot.to_dict()` as `Assessment.result`; the presenter reads `Snapshot.from_dict()`.
Nothing after submit calls the rules or reads live answers, so a result shown years later
says what it said the day it was submitted, whatever the rules, the bank or the catalogue
have become since.

The words (reasons, caveats, plan, alliances, answers as shown...) are frozen in every
language the site offered at submit: the record's own fields hold them in the language it was
submitted in (`language`), and `texts` holds the same parts in each other language.
`in_language(code)` gives the record as a reader in that language sees it.

This module imports neither the rules nor the database (only the model's words,
`assess.vocabulary`): it is the seam between them and the pages. Versions: 1 is every dict
stored before this record existed (no `version` key); migration 0011 turned those into
version 2.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from assess.vocabulary import DIMENSIONS, LEGACY_DIMENSIONS

VERSION = 2

# The parts of a snapshot that are words, frozen once per language.
TEXT_PARTS = (
    "headline",
    "reasons",
    "caveats",
    "gates",
    "alliances",
    "related",
    "excluded",
    "plan",
    "find_out",
    "sensitivity",
    "answers",
    "organization",
    "workshop",
    "bank",
)

# Region codes in `RegionMap.rows`: one letter per outcome.
_CODE = {"operational": "o", "normative": "n", "both": "b", "hygiene_first": "h"}
_OUTCOME = {v: k for k, v in _CODE.items()}
_RUN = re.compile(r"([onbh])(\d+)")
GRID = 101  # whole-number points 0..100 on each axis: every score is a whole number


class SnapshotError(ValueError):
    """A stored result that is not a snapshot this code can read."""


def _whole(value):
    """The grid point a map coordinate falls on: halves rounded up, as every score is."""
    return min(GRID - 1, max(0, int(value + 0.5)))


@dataclass(frozen=True)
class RegionMap:
    """The map of the result: where it stands (x: capacity, y: the appetite the normative
    track reads, `y_dimension`) and the outcome the rules gave at every whole-number point of
    the plane at the result's other scores, thresholds and gates, frozen at submit.

    `rows` is run-length coded, bottom (y = 0) to top: each item is (how many consecutive
    rows, the row), a row being runs such as "h35o66" (hygiene first for 35 points of
    capacity, then operational for 66)."""

    x: float
    y: float
    y_dimension: str
    operational_cut: float
    rows: tuple[tuple[int, str], ...]

    @classmethod
    def from_function(cls, *, x, y, y_dimension, operational_cut, outcome_at, breaks=None):
        """Freeze `outcome_at(capacity, y)` on the whole-number grid. With `breaks` (the
        points where the outcome may change along either axis, 0 among them), it is asked
        only there: the outcome is taken to hold from one break to the next."""
        points = sorted({0, *breaks}) if breaks is not None else list(range(GRID))
        points = [p for p in points if 0 <= p < GRID]
        spans = [b - a for a, b in zip(points, [*points[1:], GRID], strict=True)]
        rows = []
        for r, height in zip(points, spans, strict=True):
            runs = []
            for c, width in zip(points, spans, strict=True):
                code = _CODE[outcome_at(c, r)]
                if runs and runs[-1][0] == code:
                    runs[-1][1] += width
                else:
                    runs.append([code, width])
            row = "".join(f"{code}{n}" for code, n in runs)
            if rows and rows[-1][1] == row:
                rows[-1][0] += height
            else:
                rows.append([height, row])
        return cls(x, y, y_dimension, operational_cut, tuple((n, row) for n, row in rows))

    def __post_init__(self):
        if sum(n for n, _row in self.rows) != GRID:
            raise SnapshotError(f"the map has {sum(n for n, _r in self.rows)} rows, not {GRID}")
        for _n, row in self.rows:
            runs = _RUN.findall(row)
            if "".join(c + n for c, n in runs) != row or sum(int(n) for _c, n in runs) != GRID:
                raise SnapshotError(f"the map has a damaged row: {row[:40]!r}")

    @property
    def _grid(self):
        # Decoded on first use; a frozen dataclass keeps it in its __dict__.
        grid = self.__dict__.get("_decoded")
        if grid is None:
            grid = []
            for n, row in self.rows:
                cells = "".join(code * int(length) for code, length in _RUN.findall(row))
                grid += [cells] * n
            object.__setattr__(self, "_decoded", grid)
        return grid

    def outcome_at(self, capacity, y):
        """The outcome at a point of the map, as the rules gave it at submit."""
        return _OUTCOME[self._grid[_whole(y)][_whole(capacity)]]

    def to_dict(self):
        return {
            "x": self.x,
            "y": self.y,
            "y_dimension": self.y_dimension,
            "operational_cut": self.operational_cut,
            "rows": [[n, row] for n, row in self.rows],
        }

    @classmethod
    def from_dict(cls, data):
        try:
            return cls(
                x=data["x"],
                y=data["y"],
                y_dimension=data["y_dimension"],
                operational_cut=data["operational_cut"],
                rows=tuple((int(n), str(row)) for n, row in data["rows"]),
            )
        except (KeyError, TypeError, ValueError) as e:
            raise SnapshotError(f"the map is damaged: {e}") from e


@dataclass(frozen=True)
class Snapshot:
    """One submitted result. Field by field, what the rules decided (docs/decision-model.md
    says how), what the company was, and the words shown, in `language`."""

    version: int
    rules_version: str
    language: str  # the language the words below are in
    kind: str  # "self" or "workshop"
    submitted_by: str
    # What was decided
    scores: dict  # dimension -> {score, confidence, low, high, earned, reachable}
    thresholds: dict  # threshold name -> value, as the bank had them
    outcome: str
    operational_depth: str
    normative_depth: str
    caps: dict  # track -> the deepest depth the gates allow
    map: RegionMap
    # How much is known
    confidence: float
    answered: int
    unknown: int
    visible: int
    missing_required: list
    provisional: bool
    provisional_dimensions: list
    open_dimensions: list
    open_gates: list
    tags: list  # the answer tags the catalogue matched on
    # The words, in `language` (TEXT_PARTS)
    headline: str
    reasons: list  # each rule that fired, with the answers that drove it
    caveats: list  # law and practice to heed, each with its source
    gates: list  # the knock-out answers and what they capped
    alliances: list  # matching bodies, with eligibility, cost, commitments and sources
    related: list  # bodies that would fit at another outcome
    plan: list  # the 90-day plan steps
    find_out: list  # what to find out first, and from whom
    sensitivity: list  # per other outcome: the fewest answer changes found, and facts
    answers: list  # the answer sheet: sections, each shown question, its answers, comment
    organization: dict  # name, sector, size, countries (codes and names)
    workshop: dict | None  # who took part, where they disagreed, their comments
    bank: dict  # slug, version, name
    # The same words in each other language offered at submit: code -> {part: value}.
    texts: dict = field(default_factory=dict)
    # Bodies that would match but are not named, each with why (rules 2026.12.2; earlier
    # results have none).
    excluded: list = field(default_factory=list)

    # --- Reading -------------------------------------------------------------------------

    @property
    def is_legacy(self):
        """Frozen before rules 2026.11.4, with one risk tolerance for both kinds of risk."""
        return self.map.y_dimension == "risk_tolerance"

    @property
    def dimensions(self):
        """The dimensions it was scored on, in the order the pages list them (not the stored
        mapping's: PostgreSQL's JSON keeps no key order)."""
        order = LEGACY_DIMENSIONS if self.is_legacy else DIMENSIONS
        return tuple(d for d in order if d in self.scores)

    def score(self, dimension):
        return self.scores[dimension]["score"]

    def score_values(self):
        return {d: self.score(d) for d in self.dimensions}

    def languages(self):
        return [self.language, *self.texts]

    def in_language(self, code):
        """The record with its words in `code` when they were frozen in it, else as it is
        (`language` then says which language the words are in)."""
        words = self.texts.get(code)
        if not words or code == self.language:
            return self
        return dataclasses.replace(self, language=code, **words)

    # --- Storing -------------------------------------------------------------------------

    def to_dict(self):
        data = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        data["map"] = self.map.to_dict()
        return data

    @classmethod
    def from_dict(cls, data):
        if not isinstance(data, dict):
            raise SnapshotError("a stored result is not a JSON object")
        version = data.get("version", 1)
        if version != VERSION:
            raise SnapshotError(
                f"a stored result of version {version}; this code reads version {VERSION} "
                "(run the migrations)"
            )
        names = [f.name for f in dataclasses.fields(cls)]
        missing = [n for n in names if n not in data and n not in ("texts", "excluded")]
        if missing:
            raise SnapshotError(f"a stored result lacks {', '.join(missing)}")
        texts = data.get("texts") or {}
        for code, words in texts.items():
            unknown = set(words) - set(TEXT_PARTS)
            if unknown:
                raise SnapshotError(f"the {code} words hold {', '.join(sorted(unknown))}")
        values = {n: data[n] for n in names if n in data}
        values["map"] = RegionMap.from_dict(data["map"])
        values["texts"] = texts
        return cls(**values)
