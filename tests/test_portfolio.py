"""The portfolio: every organisation the user belongs to and nothing else, filtered, sorted,
exported, in a fixed number of queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from assess.models import Assessment, Membership, Organization, Participant
from assess.services import workshop_start
from tests.conftest import make_user, signed_in

DIMS = ("capacity", "sharing_tolerance", "exposure", "commitment_tolerance")


@pytest.fixture
def consultant(db):
    return make_user("carol@consultant.example", "Carol")


def client_org(
    consultant,
    bank,
    name,
    *,
    sector="retail",
    hq="FR",
    countries=("FR",),
    outcome=None,
    age_days=10,
    depth="",
    role=Membership.Role.CONSULTANT,
):
    org = Organization.objects.create(
        name=name, sector=sector, size_band="medium", headquarters=hq, countries=list(countries)
    )
    Membership.objects.create(user=consultant, organization=org, role=role)
    if outcome:
        Assessment.objects.create(
            organization=org,
            bank=bank,
            status="submitted",
            submitted_at=timezone.now() - timedelta(days=age_days),
            result={
                "outcome": outcome,
                "operational_depth": depth,
                "confidence": 87.5,
                "scores": {d: {"score": 50} for d in DIMS},
            },
        )
    return org


@pytest.fixture
def book(consultant, bank, org, other_org):
    """Three clients of the consultant; Acme Bank and Rival Ltd are not among them."""
    return [
        client_org(consultant, bank, "Alpha Retail", outcome="operational", depth="contribute"),
        client_org(
            consultant,
            bank,
            "Beta Power",
            sector="energy",
            hq="DE",
            countries=("DE", "AT"),
            outcome="hygiene_first",
            age_days=400,
        ),
        client_org(consultant, bank, "Gamma Health", sector="healthcare", hq="GB", countries=()),
    ]


def names_in(page):
    return [
        n
        for n in ("Alpha Retail", "Beta Power", "Gamma Health", "Acme Bank", "Rival Ltd")
        if n in page
    ]


def test_the_portfolio_shows_exactly_the_users_organisations(client, consultant, book):
    page = signed_in(client, consultant).get("/portfolio/").text
    assert names_in(page) == ["Alpha Retail", "Beta Power", "Gamma Health"]
    assert "Operational alliances, as a contributing member" in page
    assert "confidence 88%" in page
    assert "No result yet" in page
    for org in book:
        assert f'href="/orgs/{org.code}/"' in page


def test_an_outsider_sees_only_their_own_organisation(client, outsider, book):
    page = signed_in(client, outsider).get("/portfolio/").text
    assert names_in(page) == ["Rival Ltd"]
    csv_text = client.get("/portfolio.csv").content.decode("utf-8-sig")
    assert "Rival Ltd" in csv_text and "Alpha Retail" not in csv_text and "Acme" not in csv_text


def test_a_result_older_than_a_year_is_flagged_for_reassessment(client, consultant, book):
    page = signed_in(client, consultant).get("/portfolio/").text
    beta = page.split("Beta Power")[1].split("</tr>")[0]
    alpha = page.split("Alpha Retail")[1].split("</tr>")[0]
    assert "Re-assessment due" in beta and "Re-assessment due" not in alpha


def test_filters_by_sector_country_and_outcome(client, consultant, book):
    c = signed_in(client, consultant)
    assert names_in(c.get("/portfolio/?sector=energy").text) == ["Beta Power"]
    assert names_in(c.get("/portfolio/?country=AT").text) == ["Beta Power"]  # operations
    assert names_in(c.get("/portfolio/?country=gb").text) == ["Gamma Health"]  # headquarters
    assert names_in(c.get("/portfolio/?outcome=operational").text) == ["Alpha Retail"]
    assert names_in(c.get("/portfolio/?outcome=none").text) == ["Gamma Health"]
    page = c.get("/portfolio/?sector=energy&outcome=operational").text
    assert "No organisation matches these filters." in page


def test_a_filter_value_the_page_never_offers_is_ignored(client, consultant, book):
    page = signed_in(client, consultant).get("/portfolio/?sector=<script>&outcome=x&sort=evil").text
    assert names_in(page) == ["Alpha Retail", "Beta Power", "Gamma Health"]
    assert "<script>" not in page


def _order(page):
    names = ["Alpha Retail", "Beta Power", "Gamma Health"]
    body = page.split("<tbody>")[1]
    return sorted(names, key=body.index)


def test_sorts_by_each_column_both_ways(client, consultant, book):
    c = signed_in(client, consultant)
    assert _order(c.get("/portfolio/?sort=-name").text) == [
        "Gamma Health",
        "Beta Power",
        "Alpha Retail",
    ]
    assert _order(c.get("/portfolio/?sort=sector").text) == [
        "Beta Power",
        "Gamma Health",
        "Alpha Retail",
    ]
    assert _order(c.get("/portfolio/?sort=country").text) == [
        "Beta Power",
        "Alpha Retail",
        "Gamma Health",
    ]
    assert _order(c.get("/portfolio/?sort=-date").text) == [
        "Alpha Retail",
        "Beta Power",
        "Gamma Health",
    ]
    assert _order(c.get("/portfolio/?sort=outcome").text) == [
        "Alpha Retail",
        "Beta Power",
        "Gamma Health",
    ]


def test_the_csv_export_follows_the_filters(client, consultant, book):
    c = signed_in(client, consultant)
    response = c.get("/portfolio.csv?sector=energy")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Organisation" and len(rows) == 2
    assert rows[1][:5] == [
        "Beta Power",
        "Energy (electricity, oil and gas)",
        "Germany",
        "Consultant",
        "Cyber hygiene first",
    ]
    assert rows[1][7] == "yes"


def test_the_csv_neutralises_formulas_in_names(client, consultant, bank):
    client_org(consultant, bank, "=HYPERLINK(1)")
    text = signed_in(client, consultant).get("/portfolio.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


def test_open_workshops_show_how_far_participants_got(client, consultant, book, bank):
    workshop = workshop_start(organization=book[2], user=consultant)
    Participant.objects.create(workshop=workshop, name="P1", role="ciso", last_section=99)
    Participant.objects.create(workshop=workshop, name="P2", role="cio")
    page = signed_in(client, consultant).get("/portfolio/").text
    gamma = page.split("Gamma Health")[1].split("</tr>")[0]
    assert "1 of 2 participants reached the last section" in gamma


def test_the_portfolio_takes_the_same_queries_for_3_or_30_clients(
    client, consultant, book, bank, django_assert_num_queries
):
    c = signed_in(client, consultant)
    workshop_start(organization=book[0], user=consultant)
    c.get("/portfolio/")
    # session, user, the two-factor policies, memberships with organisations and latest
    # results, open workshops, their participants, renewals due
    with django_assert_num_queries(7):
        c.get("/portfolio/")
    for n in range(27):
        org = client_org(consultant, bank, f"Client {n}", outcome="both")
        workshop_start(organization=org, user=consultant)
    with django_assert_num_queries(7):
        page = c.get("/portfolio/").text
    assert "30 organisations shown" in page


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for url in ("/portfolio/", "/portfolio.csv"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_the_portfolio_lists_renewals_due_in_90_days_across_clients(client, consultant, book, org):
    from datetime import date, timedelta

    from assess.models import Holding

    today = date.today()

    def held(o, name, days):
        Holding.objects.create(
            organization=o,
            body_name=name,
            depth="receive",
            annual_cost=100,
            currency="EUR",
            renewal_date=today + timedelta(days=days),
        )

    held(book[1], "Beta's ISAC", 70)
    held(book[0], "Alpha's circle", 10)
    held(book[2], "Gamma's club", 120)  # beyond 90 days
    held(org, "Acme's forum", 5)  # not the consultant's client
    page = signed_in(client, consultant).get("/portfolio/").text
    table = page.split('class="table table-sm align-middle table-stack renewals"')[1]
    table = table.split("</table>")[0]
    assert "Alpha&#x27;s circle" in table and "Beta&#x27;s ISAC" in table
    assert table.index("Alpha&#x27;s circle") < table.index("Beta&#x27;s ISAC")  # soonest first
    assert "Gamma" not in table and "Acme" not in table
    assert "in 10 days" in table
