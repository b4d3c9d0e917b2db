"""What a result's page and report show beside the frozen result, read before rendering and
passed to the presenter, so that no template tag queries."""

from assess.insights import peers, trend


def for_result(assessment):
    """What the result page shows beside the frozen result: the comparison with peers."""
    return {"peers": peers.shown_for(assessment)}


def for_report(assessment):
    """What the report shows beside the frozen result: peers, and the organisation's results
    up to and including this one."""
    return {"peers": peers.shown_for(assessment), "score_trend": trend.report_trend(assessment)}
