"""An organisation's main scores over its submitted results, as a chart and a table."""

from collections import Counter

from django.utils import timezone
from django.utils.formats import date_format

from assess import vocabulary
from assess.charts.peers import trend_chart
from assess.insights.result_scores import MAIN_DIMENSIONS, score_of
from assess.models import Assessment

MOST = 8  # the newest results a trend shows


def trend(results):
    """(submitted_at, result snapshot) pairs, any order -> the chart and its table, or None
    with fewer than two results."""
    results = sorted(results, key=lambda r: r[0])[-MOST:]
    if len(results) < 2:
        return None
    labels = vocabulary.dimension_labels()
    dates = [date_format(when, "SHORT_DATE_FORMAT") for when, _result in results]
    # Two results of one day are told apart by their time, in the chart and the table.
    twice = {d for d, n in Counter(dates).items() if n > 1}
    dates = [
        f"{d}, {date_format(timezone.localtime(when), 'H:i')}" if d in twice else d
        for d, (when, _result) in zip(dates, results, strict=True)
    ]
    rows = [
        {"label": labels[d], "values": [score_of(result, d) for _when, result in results]}
        for d in MAIN_DIMENSIONS
    ]
    return {
        "svg": trend_chart(dates, [(r["label"], r["values"]) for r in rows]),
        "dates": dates,
        "rows": rows,
    }


def dashboard_trend(assessments):
    """From the dashboard's assessments, already loaded: no query."""
    return trend([(a.submitted_at, a.result) for a in assessments if not a.is_draft])


def report_trend(assessment):
    """The organisation's results up to and including this one: the report shows the trend
    that led to it, whatever came after."""
    earlier = (
        Assessment.objects.submitted()
        .filter(
            organization_id=assessment.organization_id, submitted_at__lt=assessment.submitted_at
        )
        .order_by("-submitted_at")
        .values_list("submitted_at", "result")[: MOST - 1]
    )
    return trend([*earlier, (assessment.submitted_at, assessment.result)])
