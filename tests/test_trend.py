"""Scores over time: the chart and its table, on the dashboard and in the report."""

import copy
from datetime import timedelta

from django.utils import timezone

from assess.charts.peers import trend_chart
from assess.insights import trend
from assess.models import Assessment
from tests.conftest import answer_everything

DIMS = ("capacity", "sharing_tolerance", "exposure", "commitment_tolerance")


def result(score):
    return {
        "outcome": "operational",
        "scores": {d: {"score": score + i} for i, d in enumerate(DIMS)},
    }


def submit_old(org, bank, score, days_ago):
    return Assessment.objects.create(
        organization=org,
        bank=bank,
        status="submitted",
        submitted_at=timezone.now() - timedelta(days=days_ago),
        result=result(score),
    )


def test_one_result_has_no_trend_two_have_one_oldest_first():
    now = timezone.now()
    assert trend.trend([(now, result(10))]) is None
    t = trend.trend([(now, result(60)), (now - timedelta(days=365), result(20))])
    assert t["rows"][0]["label"] == "Security capacity" and t["rows"][0]["values"] == [20, 60]
    assert t["rows"][3]["values"] == [23, 63]
    assert "<svg" in t["svg"] and "Security capacity: " in t["svg"]


def test_the_trend_chart_says_every_value_in_its_description():
    svg = trend_chart(["1 Jan 2025", "1 Jan 2026"], [("Exposure", [40, None])])
    assert "Exposure: 1 Jan 2025 40, 1 Jan 2026 —." in svg
    assert 'role="img"' in svg and "<title" in svg
    assert svg.count("<polyline") == 0  # one point is not a line


def test_a_trend_keeps_the_newest_eight_results():
    now = timezone.now()
    t = trend.trend([(now - timedelta(days=d), result(d)) for d in range(12)])
    assert len(t["dates"]) == 8 and t["rows"][0]["values"][-1] == 0


def test_the_dashboard_shows_scores_over_time_with_a_table(owner_client, org, bank):
    submit_old(org, bank, 20, 400)
    page = owner_client.get(f"/orgs/{org.code}/").text
    assert "Your scores over time" not in page
    submit_old(org, bank, 60, 10)
    page = owner_client.get(f"/orgs/{org.code}/").text
    assert "Your scores over time" in page
    table = page.split('class="table table-sm data trend-table"')[1].split("</table>")[0]
    assert "<td>20</td><td>60</td>" in table


def test_the_report_shows_the_trend_up_to_its_own_result(owner_client, org, bank, assessment):
    answer_everything(owner_client, assessment)
    owner_client.post(f"/a/{assessment.code}/submit/")
    real = Assessment.objects.get(pk=assessment.pk).result

    def full(score, days_ago):  # a complete snapshot, with other scores and date
        a = submit_old(org, bank, score, days_ago)
        snapshot = copy.deepcopy(real)
        for i, d in enumerate(DIMS):
            snapshot["scores"][d]["score"] = score + i
        Assessment.objects.filter(pk=a.pk).update(result=snapshot)
        return a

    first = full(20, 400)
    second = full(60, 10)
    assessment.delete()
    full(90, 1)  # later: not part of the second result's report
    report = owner_client.get(f"/a/{second.code}/report/").text
    table = report.split("trend-table")[1].split("</table>")[0]
    assert "<td>20</td><td>60</td></tr>" in table and "<td>90</td>" not in table
    assert "Your scores over time" not in owner_client.get(f"/a/{first.code}/report/").text


def test_the_dashboard_takes_no_extra_query_for_the_trend(
    owner_client, org, bank, django_assert_num_queries
):
    for days in (400, 200, 10):
        submit_old(org, bank, 40, days)
    owner_client.get(f"/orgs/{org.code}/")
    # session, user, organisation, assessments, members, current bank, the switcher's
    # list, pending invitations, the memberships held
    with django_assert_num_queries(9):
        page = owner_client.get(f"/orgs/{org.code}/").text
    assert "Your scores over time" in page


def test_two_results_of_one_day_are_told_apart_by_their_time():
    morning = timezone.make_aware(timezone.datetime(2026, 12, 7, 9, 5))
    t = trend.trend([(morning, result(20)), (morning + timedelta(hours=6), result(60))])
    assert len(set(t["dates"])) == 2
    assert t["dates"][0].endswith("09:05") and t["dates"][1].endswith("15:05")
    t = trend.trend([(morning - timedelta(days=1), result(20)), (morning, result(60))])
    assert ":" not in "".join(t["dates"])  # different days: the date alone


def test_the_trend_chart_fits_a_phone_and_keeps_every_label_whole():
    import re

    labels = [
        "Capacité de sécurité",
        "Appétit pour le partage",
        "Exposition",
        "Appétit pour les engagements publics",
    ]
    dates = [f"{d} déc. 2026" for d in range(1, 9)]
    svg = trend_chart(dates, [(label, [10, 20, 30, 40, 50, 60, 70, 80]) for label in labels])
    width = int(re.search(r'width="(\d+)"', svg).group(1))
    assert width <= 366  # drawn at its own size on a 390 px phone
    for label in labels:
        x = int(re.search(rf'<text x="(\d+)" y="\d+" font-size="13"[^>]*>{label}<', svg).group(1))
        assert x + 0.6 * 13 * len(label) <= width, label  # the legend line is not cut
    # At most four of the eight dates under the axis; the table gives them all.
    assert sum(svg.count(f">{d}<") for d in dates) <= 4


def test_the_trend_table_labels_each_result(owner_client, org, bank):
    submit_old(org, bank, 20, 40)
    submit_old(org, bank, 60, 10)
    page = owner_client.get(f"/orgs/{org.code}/").text
    table = page[page.index('class="table table-sm data trend-table"') :]
    assert "Result 1<br>" in table and "Result 2<br>" in table
