from django import template

from assess import peers, trend
from assess.charts.peers import standing_chart
from assess.result_scores import main_scores

register = template.Library()


@register.simple_tag
def dashboard_trend(assessments):
    return trend.dashboard_trend(assessments)


@register.simple_tag
def report_trend(assessment):
    return trend.report_trend(assessment)


@register.simple_tag
def peer_comparable(assessment):
    """Whether the result has every score peers are compared on (older results may not)."""
    return None not in main_scores(assessment.result).values()


@register.simple_tag
def peer_comparison(assessment):
    return [
        {**g, "svg": standing_chart(g["rows"], g["label"])}
        for g in peers.comparison_for(assessment)
    ]
