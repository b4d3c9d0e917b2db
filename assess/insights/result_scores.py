"""What the portfolio, peer comparisons and trends read from a frozen result, in one place.

Everything here reads the result snapshot (`Assessment.result`) and nothing else, so that when
the snapshot's shape changes only these functions change."""

from django.db.models.fields.json import KT

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


def frozen_keys():
    """What `Assessment.objects.without_result()` reads of a result without loading it: the
    frozen organisation's name and the four main scores, each one key of the JSON."""
    keys = {"frozen_name": KT("result__organization__name")}
    keys.update({f"frozen_{d}": KT(f"result__scores__{d}__score") for d in MAIN_DIMENSIONS})
    return keys


def main_scores_of(assessment):
    """`main_scores` of an assessment's result, from `frozen_keys` where the result was left
    unloaded."""
    if not hasattr(assessment, "frozen_name"):
        return main_scores(assessment.result)
    scores = {}
    for d in MAIN_DIMENSIONS:
        # A number, or what the engine gives for a missing key or a JSON null (None, "null").
        try:
            scores[d] = int(round(float(getattr(assessment, f"frozen_{d}"))))
        except (TypeError, ValueError):
            scores[d] = None
    return scores


def summary(result):
    """Outcome, depths and confidence of a result."""
    result = result or {}
    return {
        "outcome": result.get("outcome", ""),
        "operational_depth": result.get("operational_depth") or "",
        "normative_depth": result.get("normative_depth") or "",
        "confidence": result.get("confidence"),
    }
