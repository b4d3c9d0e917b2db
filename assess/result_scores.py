"""What the portfolio, peer comparisons and trends read from a frozen result, in one place.

Everything here reads the result snapshot (`Assessment.result`) and nothing else, so that when
the snapshot's shape changes only these functions change."""

# The four scores the decision turns on: whether and how to join each kind of alliance.
MAIN_DIMENSIONS = ("capacity", "sharing_tolerance", "exposure", "commitment_tolerance")


def score_of(result, dimension):
    """A dimension's score (0-100, whole) from a result, or None where the result has none
    (a dimension the bank did not score, or a result frozen before it existed)."""
    value = ((result or {}).get("scores") or {}).get(dimension) or {}
    score = value.get("score") if isinstance(value, dict) else None
    return None if score is None else int(round(score))


def main_scores(result):
    return {d: score_of(result, d) for d in MAIN_DIMENSIONS}


def summary(result):
    """Outcome, depths and confidence of a result."""
    result = result or {}
    return {
        "outcome": result.get("outcome", ""),
        "operational_depth": result.get("operational_depth") or "",
        "normative_depth": result.get("normative_depth") or "",
        "confidence": result.get("confidence"),
    }
