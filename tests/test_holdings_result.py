"""Memberships held against the recommendation, on the result page, in the report and on the
dashboard, and the report's "What this gives your auditor"."""

import datetime
from decimal import Decimal

import pytest
from django.utils import translation

from assess.holdings import compare
from assess.holdings.controls import applies, mapped
from assess.models import Alliance, Assessment, Control, Holding
from assess.report import source_hash
from assess.services import assessment_submit
from tests.conftest import answer_everything, signed_in


@pytest.fixture
def result(client, owner, org, bank):
    """Acme Bank (financial services, in GB and DE) with a submitted result that recommends
    operational sharing."""
    signed_in(client, owner)
    assessment = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    answer_everything(client, assessment, "high")
    return assessment_submit(assessment=assessment, user=owner)


def featured(assessment):
    return [a for a in assessment.result["alliances"] if a.get("first")]


@pytest.fixture
def two_held(result, org):
    """One body the result puts forward, one it does not name."""
    kept = Alliance.objects.get(slug=featured(result)[0]["slug"])
    Holding.objects.create(
        organization=org,
        alliance=kept,
        depth="receive",
        annual_cost=Decimal("4500"),
        currency="EUR",
        renewal_date=datetime.date.today() + datetime.timedelta(days=40),
    )
    Holding.objects.create(
        organization=org,
        body_name="Old Vendor Club",
        depth="receive",
        annual_cost=Decimal("800"),
        currency="GBP",
    )
    return kept


def _group(text, name):
    """The text of one group of the comparison on a page."""
    start = text.index(f'data-group="{name}"')
    end = text.find('data-group="', start + 20)
    return text[start : end if end > 0 else None]


def test_the_result_page_sets_what_is_held_against_the_recommendation(client, result, two_held):
    text = client.get(f"/a/{result.code}/result/").text
    assert "Your memberships against this result" in text
    assert two_held.name in _group(text, "keep") and "4,500 EUR" in _group(text, "keep")
    assert "Old Vendor Club" in _group(text, "why_pay")
    assert "800 GBP" in _group(text, "why_pay")
    # Amounts are grouped the page language's way: 4.500 in German, not 4500.00.
    client.post("/language/", {"language": "de", "next": "/"})
    german = client.get(f"/a/{result.code}/result/").text
    assert "4.500 EUR" in _group(german, "keep")
    next_step = _group(text, "next_step")
    assert two_held.name not in next_step
    for a in featured(result)[1:]:
        assert a["name"] in next_step


def test_the_page_follows_the_memberships_not_the_result(client, result, two_held, org):
    Holding.objects.filter(organization=org).delete()
    text = client.get(f"/a/{result.code}/result/").text
    assert two_held.name in _group(text, "next_step")
    assert "No memberships are recorded" in text


def test_the_report_and_the_dashboard_show_the_same_groups(client, result, two_held, org):
    report = client.get(f"/a/{result.code}/report/").text
    assert two_held.name in _group(report, "keep")
    assert "Old Vendor Club" in _group(report, "why_pay")
    dashboard = client.get(f"/orgs/{org.code}/").text
    assert two_held.name in _group(dashboard, "keep")
    assert "Old Vendor Club" in _group(dashboard, "why_pay")


def test_a_new_membership_gives_the_report_a_new_pdf_key(result, org):
    before = source_hash(result)
    Holding.objects.create(organization=org, body_name="New Circle", depth="receive")
    assert source_hash(result) != before
    Control.objects.filter(key="dora-art-45").update(evidence="Something else")
    changed = source_hash(result)
    assert changed != before
    assert source_hash(result) == changed


def test_the_pdf_shows_the_memberships_and_the_controls(result, two_held, org):
    from assess.insights import shown
    from assess.report import presenter

    html = presenter.report_html(result, **shown.for_report(result), for_pdf=True)
    assert "Old Vendor Club" in html
    assert "What this gives your auditor" in html
    assert "https://eur-lex.europa.eu/eli/reg/2022/2554/oj" in html


@pytest.mark.parametrize(
    ("language", "heading", "dora"),
    [
        ("en", "What this gives your auditor", "Information-sharing arrangements"),
        ("fr", "Ce que votre auditeur y trouve", "Dispositifs de partage"),
        ("de", "Was Ihr Prüfer daraus erhält", "Vereinbarungen über den Austausch"),
    ],
)
def test_the_auditor_section_is_in_every_language(
    client, result, two_held, language, heading, dora
):
    with translation.override(language):
        client.cookies["django_language"] = language
        text = client.get(f"/a/{result.code}/report/", HTTP_ACCEPT_LANGUAGE=language).text
    assert heading in text
    assert dora in text


def test_only_the_controls_of_the_sector_and_law_apply(client, result, two_held):
    text = client.get(f"/a/{result.code}/report/").text
    section = text[text.index('id="auditor"') :]
    # Financial services in Germany and the UK: ISO, CSF, NIS2, DORA; not the US-only
    # NIST SP 800-53 controls, nor CMMC.
    for key in ("iso27001-a5-6", "nist-csf2-id-ra-02", "nis2-art-29", "dora-art-45"):
        assert f'data-control="{key}"' in section
    for key in ("nist-800-53-pm-15", "cmmc-threat-awareness"):
        assert f'data-control="{key}"' not in section
    assert "Met by what you hold" in section


# --- PURE --------------------------------------------------------------------------------


def _row(name, slug="", cost=None, currency="", track="operational", depth="receive"):
    return {
        "name": name,
        "slug": slug,
        "cost": cost,
        "currency": currency,
        "track": track,
        "depth": depth,
    }


def test_compare_matches_by_slug_then_by_name_and_sums_per_currency():
    named = [
        {"slug": "a", "name": "Alpha ISAC", "first": True},
        {"slug": "b", "name": "Beta CERT", "first": True},
        {"slug": "c", "name": "Gamma Forum", "first": False},
    ]
    held = [
        _row("Alpha ISAC", "a", Decimal("100"), "EUR"),
        _row("gamma  forum", cost=Decimal("50"), currency="EUR"),
        _row("Delta Club", cost=Decimal("30"), currency="USD"),
        _row("Epsilon", cost=Decimal("20"), currency="USD"),
    ]
    got = compare.compare(named=named, featured=named[:2], held=held)
    assert [a["slug"] for a in got["next_step"]] == ["b"]
    assert [r["name"] for r in got["keep"]] == ["Alpha ISAC", "gamma  forum"]
    assert [r["name"] for r in got["why_pay"]] == ["Delta Club", "Epsilon"]
    assert got["totals"] == {
        "keep": [("EUR", Decimal("150"))],
        "why_pay": [("USD", Decimal("50"))],
    }


def test_a_control_applies_by_sector_and_country_and_is_met_by_depth():
    control = {
        "key": "x",
        "sectors": ["financial_services"],
        "countries": ["DE", "FR"],
        "met_by": {"tracks": ["operational"], "depths": ["contribute"]},
    }
    assert applies(control, sector="financial_services", countries=["DE"])
    assert not applies(control, sector="retail", countries=["DE"])
    assert not applies(control, sector="financial_services", countries=["US"])
    args = {"sector": "financial_services", "countries": ["FR"]}
    [row] = mapped([control], **args, held=[_row("A")], recommended_depths={})
    assert (row["status"], row["held_by"]) == ("open", [])
    [row] = mapped(
        [control], **args, held=[_row("A")], recommended_depths={"operational": "contribute"}
    )
    assert row["status"] == "recommended"
    [row] = mapped([control], **args, held=[_row("A", depth="contribute")], recommended_depths={})
    assert (row["status"], row["held_by"]) == ("held", ["A"])
