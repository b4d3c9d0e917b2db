"""What a result's page and report show beside the frozen result, read before rendering and
passed to the presenter, so that no template tag queries."""

from assess.holdings import held
from assess.insights import peers, trend


def for_result(assessment):
    """What the result page shows beside the frozen result: the comparison with peers and
    the memberships the organisation holds now."""
    return {"peers": peers.shown_for(assessment), "holdings": held.rows(assessment.organization)}


def for_report(assessment):
    """What the report shows beside the frozen result: peers, the organisation's results
    up to and including this one, the memberships it holds now and the controls mapping."""
    return {
        "peers": peers.shown_for(assessment),
        "score_trend": trend.report_trend(assessment),
        **held.for_report(assessment),
    }
