"""The map of a result: where it stands, and the outcome regions around it, under the rules of
the day it is frozen (`frozen_map`, at submit; results frozen before rules 2026.11.4 with the
decision of their own time, `legacy`)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from assess.rules import legacy
from assess.rules.decision import NO_CAPS, outcome_at
from assess.rules.inputs import Thresholds
from assess.snapshot import RegionMap
from assess.vocabulary import DIMENSIONS


@dataclass(frozen=True)
class Map:
    x: float
    y: float
    y_dimension: str
    outcome_at: object  # (x, y) -> outcome

    @property
    def dimensions(self):
        """The dimensions this result was scored on, in the order the pages list them."""
        return legacy.LEGACY_DIMENSIONS if self.y_dimension == "risk_tolerance" else DIMENSIONS


def dimensions_of(result):
    return legacy.LEGACY_DIMENSIONS if legacy.is_legacy(result) else DIMENSIONS


def scores_of(result):
    return {d: result["scores"][d]["score"] for d in dimensions_of(result)}


def map_of(result):
    """Capacity (x) against the appetite the normative track reads (y), with the regions
    that the result's own thresholds and gates give at its other scores."""
    scores = scores_of(result)
    if legacy.is_legacy(result):
        return Map(
            scores["capacity"] or 0,
            scores["risk_tolerance"] or 0,
            "risk_tolerance",
            legacy.outcome_at(scores, result["thresholds"]),
        )
    at = outcome_at(
        scores, Thresholds.from_dict(result["thresholds"]), result.get("caps") or NO_CAPS
    )
    return Map(
        scores["capacity"] or 0, scores["commitment_tolerance"] or 0, "commitment_tolerance", at
    )


def operational_cut(result):
    """The capacity the result's operational decision used (lower under high threat)."""
    if legacy.is_legacy(result):
        return result["thresholds"]["operational_capacity"]
    t = Thresholds.from_dict(result["thresholds"])
    return t.operational_cut(result["scores"]["threat"]["score"])


def frozen_map(result):
    """The result's map as the snapshot keeps it: the outcome at every whole-number point,
    so that reading it later needs no rules. The decision compares each score with
    thresholds (`decide`, `legacy.outcome_at`), so along either axis the outcome can change
    only at a threshold's value: it is asked there alone (some 200 points, not 10,201;
    tests/test_snapshot.py checks every point against the rules)."""
    here = map_of(result)
    breaks = {math.ceil(v) for v in result["thresholds"].values() if isinstance(v, int | float)}
    return RegionMap.from_function(
        x=here.x,
        y=here.y,
        y_dimension=here.y_dimension,
        operational_cut=operational_cut(result),
        outcome_at=here.outcome_at,
        breaks=breaks,
    )
