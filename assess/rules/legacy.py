"""Results frozen before rules 2026.11.4 scored one risk tolerance for both kinds of risk.

Their snapshots keep what they said; the map of such a result is drawn with the decision of
its own time, which is kept here, unchanged, for that alone."""

from __future__ import annotations

from assess.vocabulary import LEGACY_DIMENSIONS  # noqa: F401  (maps reads it from here)


def is_legacy(result):
    return "risk_tolerance" in result.get("scores", {})


def outcome_at(scores, thresholds):
    """(capacity, risk tolerance) -> outcome under the 2026.11.3 rules."""
    t = thresholds
    e = scores.get("exposure") or 0.0
    g = scores.get("geopolitical_exposure") or 0.0

    def at(c, r):
        operational = c >= t["operational_capacity"]
        geo_block = g >= t["geopolitical_high"] and r < t["geopolitical_override_risk_tolerance"]
        normative = (
            e >= t["normative_exposure"] and r >= t["normative_risk_tolerance"] and not geo_block
        )
        if operational and normative:
            return "both"
        if operational:
            return "operational"
        if normative:
            return "normative"
        return "hygiene_first"

    return at
