"""Realistic companies through the default bank and catalogue: the outcome, the depth and
the bodies an experienced advisor would name (tests/profiles.py says why for each)."""

import re

import pytest

from assess import rules, vocabulary
from tests.profiles import COMPANIES, answers


def _evaluate(company, default_bank, default_catalogue, **changes):
    profile = rules.Profile(
        sector=company.sector,
        countries=company.countries,
        size_band=company.size_band,
        headquarters=company.headquarters,
    )
    spec = dict(answers(company.spec), **changes)
    return rules.evaluate(default_bank, spec, profile, default_catalogue).as_dict()


def _by_name(name):
    return next(c for c in COMPANIES if c.name.startswith(name))


def test_there_are_at_least_fifteen_companies_across_sectors_sizes_and_countries():
    assert len(COMPANIES) >= 15
    assert len({c.sector for c in COMPANIES}) >= 12
    assert len({c.headquarters for c in COMPANIES}) >= 10
    assert {c.size_band for c in COMPANIES} == set(vocabulary.SIZE_BANDS)
    assert {c.outcome for c in COMPANIES} == set(vocabulary.OUTCOMES) - {"normative"}


@pytest.mark.parametrize("company", COMPANIES, ids=[c.name for c in COMPANIES])
def test_a_seasoned_advisor_would_sign_the_recommendation(company, default_bank, default_catalogue):
    result = _evaluate(company, default_bank, default_catalogue)
    assert (result["outcome"], result["operational_depth"], result["normative_depth"]) == (
        company.outcome,
        company.operational,
        company.normative,
    ), company.why
    assert result["provisional"] is company.provisional
    if not company.provisional:
        assert result["missing_required"] == [], "the profile answers every question"
    named = {a["slug"] for a in result["alliances"]}
    assert company.bodies <= named, company.bodies - named
    assert not (company.not_bodies & named)
    first = {a["slug"] for a in result["alliances"] if a["first"]}
    assert len(first) <= 5
    assert company.first <= first, (company.first - first, first)
    assert company.excluded <= {e["slug"] for e in result["excluded"]}
    assert company.caveats <= {c["code"] for c in result["caveats"]}
    assert company.gates <= {g["code"] for g in result["gates"]}


def _first_cards(result):
    """The slugs of the cards a reader sees first: those the result page, the PDF and the
    workshop report describe in full (the rest are one line each under "Also open to you").
    The rules mark them (`first`, issue 27): a card without the mark fails here rather than
    being read some other way."""
    assert all("first" in a for a in result["alliances"])
    return [a["slug"] for a in result["alliances"] if a["first"]]


MODELLED = [c for c in COMPANIES if c.modelled_on]
FIRST_CARDS = [c for c in COMPANIES if c.first or c.not_first]


def test_ten_profiles_are_modelled_on_real_organisations_with_their_sources():
    assert len(MODELLED) >= 10
    from pathlib import Path

    doc = (Path(__file__).parent.parent / "docs" / "decision-model.md").read_text("utf-8")
    section = doc.split("## Profiles modelled on real organisations", 1)[1]
    for company in MODELLED:
        # Each has its entry, with its primary sources and their as-of dates, in the docs.
        assert company.name in section, company.name
        entry = section.split(company.name, 1)[1].split("\n### ", 1)[0]
        assert "https://" in entry and "as of" in entry, company.name


def test_every_body_a_profile_names_is_in_the_catalogue(catalogue_document):
    """A body that is not in the catalogue can never be named: an expectation about it
    could not fail."""
    slugs = {a["slug"] for a in catalogue_document["alliances"]}
    for company in COMPANIES:
        named = (
            company.bodies | company.not_bodies | company.first | company.not_first
        ) | company.excluded
        assert named <= slugs, (company.name, named - slugs)


@pytest.mark.parametrize("company", FIRST_CARDS, ids=[c.name for c in FIRST_CARDS])
def test_the_first_cards_hold_what_a_practitioner_names_first(
    company, default_bank, default_catalogue
):
    result = _evaluate(company, default_bank, default_catalogue)
    first = _first_cards(result)
    assert company.first <= set(first), (company.first - set(first), first)
    assert not company.not_first & set(first), (company.not_first & set(first), first)


@pytest.mark.parametrize("company", COMPANIES, ids=[c.name for c in COMPANIES])
def test_a_reader_sees_at_most_five_first_cards(company, default_bank, default_catalogue):
    result = _evaluate(company, default_bank, default_catalogue)
    assert len(_first_cards(result)) <= 5, _first_cards(result)


def test_the_hospital_is_not_told_it_is_no_prime_target(default_bank, default_catalogue):
    result = _evaluate(_by_name("US hospital"), default_bank, default_catalogue)
    text = " ".join(r["text"] for r in result["reasons"])
    assert "prime target" not in text
    assert "threat_high" in [r["code"] for r in result["reasons"]]
    plan = " ".join(p["action"] for p in result["plan"])
    assert "small-business" not in plan and "NIS2" not in plan


def test_the_regional_bank_shares_while_its_board_avoids_politics(default_bank, default_catalogue):
    result = _evaluate(_by_name("German regional bank"), default_bank, default_catalogue)
    gate = next(g for g in result["gates"] if g["code"] == "avoid_government_friction")
    assert gate["limits"] == {"normative": "none"}
    # Standing in the plan: EU law applies, so the notice to the authority is a step.
    assert any("NIS2 (Art. 29) or DORA" in p["action"] for p in result["plan"])
    # Sharing is already monthly and anonymisation documented: those steps are kept up,
    # not started.
    kept = [p["action"] for p in result["plan"] if p["status"] == "keep"]
    assert any("Keep your regular contributions" in a for a in kept)
    assert not any(a.startswith("Make the first monthly contribution") for a in kept)
    assert all(not p["action"].startswith("Make the first monthly") for p in result["plan"])


def test_standing_approval_is_kept_up_not_sought_again(default_bank, default_catalogue):
    vendor = _by_name("Global security vendor")
    result = _evaluate(vendor, default_bank, default_catalogue)
    actions = [p["action"] for p in result["plan"]]
    assert not any(a.startswith("Draft a sharing policy") for a in actions)
    assert any(a.startswith("Check that your standing sharing approval") for a in actions)
    assert not any(a.startswith("Make the first monthly contribution") for a in actions)


def test_the_small_firm_plan_names_who_a_small_firm_has(default_bank, default_catalogue):
    result = _evaluate(_by_name("UK accountancy"), default_bank, default_catalogue)
    owners = {p["owner"] for p in result["plan"]}
    assert not owners & {"CISO", "Board", "SOC lead", "CIO"}
    assert "Managing director" in owners
    assert any("small-business security toolkit" in p["action"] for p in result["plan"])
    # What would change this: nothing a 30-person firm could not plausibly do.
    for entry in result["sensitivity"]:
        for change in entry["changes"]:
            assert change["to"] not in ("More than 20 people", "6 to 20 people")


def test_no_eu_presence_means_no_eu_law_in_the_plan_or_caveats(default_bank, default_catalogue):
    result = _evaluate(_by_name("US SaaS"), default_bank, default_catalogue)
    assert not any("NIS2" in p["action"] for p in result["plan"])
    assert not {"eu_dora_art45_notify", "eu_nis2_art29_notify"} & {
        c["code"] for c in result["caveats"]
    }


def test_the_unknowing_respondent_gets_a_provisional_result_and_whom_to_ask(
    default_bank, default_catalogue
):
    result = _evaluate(_by_name("Irish medical devices"), default_bank, default_catalogue)
    assert result["provisional"] and "capacity" in result["provisional_dimensions"]
    assert result["headline"].startswith("Provisional")
    first = result["find_out"][0]
    assert first["question"].startswith("CAP-")
    assert "Security operations lead" in first["who_knows"]
    # Once the security lead answers, the result is firm.
    firm = _evaluate(
        _by_name("Irish medical devices"),
        default_bank,
        default_catalogue,
        **{
            "CAP-01": ("small",),
            "CAP-02": ("247",),
            "CAP-03": ("edr", "siem"),
            "CAP-04": ("team",),
            "CAP-05": ("one",),
            "CAP-06": ("triage",),
            "SHR-02": ("iocs",),
            "SHR-03": ("anonymous",),
            "SHR-04": ("manual",),
            "SHR-05": ("rules",),
            "SHR-06": ("occasional",),
            "THR-01": ("suspected",),
            "THR-05": ("general",),
        },
    )
    assert not firm["provisional"] and firm["outcome"] != "hygiene_first"


def test_every_sector_on_the_form_has_a_body_or_says_none_exists(default_catalogue):
    from assess.models import SECTORS

    covered = {s for a in default_catalogue if a.track != "normative" for s in a.sectors}
    missing = {code for code, _label in SECTORS} - covered - {"other"}
    assert missing == set(), missing


REQUIRED_COUNTRIES = {
    *[
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    ],
    *["GB", "US", "CA", "AU", "JP", "SG", "IN", "CH", "NO"],
}


def test_national_schemes_cover_every_country_the_issue_names(default_catalogue):
    national = {
        c
        for a in default_catalogue
        if a.track == "operational" and a.kind in ("GOV", "ISAC", "IR")
        for c in a.countries
    }
    # Greece: no scheme nor a citable page of its CERT was found. Luxembourg's CIRCL runs an
    # international community, so its entry names no country.
    assert REQUIRED_COUNTRIES - {"GR", "LU"} <= national, REQUIRED_COUNTRIES - national
    assert "lu-circl-misp-private" in {a.slug for a in default_catalogue}


def test_no_fact_cites_a_wikipedia_like_or_aggregator_site(catalogue_document, bank_document):
    banned = (
        "wikipedia",
        "grokipedia",
        "computerhope",
        "techtaffy",
        "cio-wiki",
        "cybilportal",
        "openusaproject",
        "dig.watch",
        "drivtu",
        "nis2resources",
        "doraedge",
    )
    urls = [u for a in catalogue_document["alliances"] for u in a.get("sources", [])]
    urls += [c["source"] for c in bank_document["bank"]["caveats"]]
    assert urls
    assert [u for u in urls if any(b in u for b in banned)] == []
    for a in catalogue_document["alliances"]:
        assert a["confidence"] in ("V", "S", "B")
        if a["confidence"] == "V":
            assert a["sources"], a["slug"]


# --- From the outside: the pages and the PDF say the same -----------------------------------


def _through_the_pages(client, user, company):
    """Create the organisation, answer every section through the questionnaire pages as the
    company would, and submit; return the assessment."""
    from assess.models import Assessment, Membership, Organization
    from assess.selectors import bank_view
    from tests.conftest import signed_in

    org = Organization.objects.create(
        name=company.name.split(",")[0],
        sector=company.sector,
        size_band=company.size_band,
        headquarters=company.headquarters,
        countries=sorted(company.countries),
    )
    Membership.objects.create(user=user, organization=org, role=Membership.Role.OWNER)
    signed_in(client, user)
    assert client.post(f"/orgs/{org.code}/assessments/new/").status_code == 302
    assessment = Assessment.objects.get(organization=org)
    view = bank_view(assessment.bank)
    spec = answers(company.spec)
    for number, section in enumerate(view.sections, start=1):
        data = {"action": "next"}
        for q in section.question_list:
            if q.code in spec:
                data[f"q_{q.code}"] = list(spec[q.code]) if q.kind == "multi" else spec[q.code][0]
        response = client.post(f"/a/{assessment.code}/s/{number}/", data)
        assert response.status_code == 302, response.content[:300]
    assert client.post(f"/a/{assessment.code}/submit/").status_code == 302
    assessment.refresh_from_db()
    return assessment


def test_a_provisional_result_says_so_on_the_page_and_in_the_pdf(client, owner, bank):
    from assess.report.storage import render_pdf
    from tests.test_report import flat, pdf_text

    assessment = _through_the_pages(client, owner, _by_name("Irish medical devices"))
    assert assessment.result["provisional"]
    page = client.get(f"/a/{assessment.code}/result/").text
    assert "Provisional recommendation: Cyber hygiene first" in page
    assert "This result is provisional." in page
    assert "usually known by: Security operations lead or IT manager" in page
    _reader, text = pdf_text(render_pdf(assessment))
    text = flat(text)
    assert "PROVISIONAL RECOMMENDATION" in text.upper()
    assert "Provisional: Cyber hygiene first" in text
    assert "usually known by: Security operations lead or IT manager" in text


def test_gates_fitted_plans_and_numbers_read_the_same_on_the_page_and_in_the_pdf(
    client, owner, bank
):
    from assess.report.storage import render_pdf
    from tests.test_report import flat, pdf_text

    assessment = _through_the_pages(client, owner, _by_name("German regional bank"))
    result = assessment.result
    assert (result["outcome"], result["operational_depth"]) == ("operational", "contribute")
    page = client.get(f"/a/{assessment.code}/result/").text.replace("&#x27;", "'")
    _reader, pdf = pdf_text(render_pdf(assessment))
    pdf = flat(pdf).replace("\u2019", "'")
    gate = "Your leadership avoids any position a government might object to."
    assert gate in page and gate in pdf
    assert "Already under way:" in page and "Already under way:" in pdf
    # The report explains the two appetites, each with what it asks.
    assert "How much legal and reputational exposure from sharing security information" in pdf
    assert "How much public visibility and friction with governments" in pdf
    capacity = result["scores"]["capacity"]["score"]
    reason = next(r for r in result["reasons"] if r["code"] == "capacity_sufficient")
    assert f"Security capacity scores {capacity}," in reason["text"]
    assert reason["text"] in page and reason["text"] in pdf
    # Threat pressure on a bank's sector is high: a reason names the lowered cut, the one the
    # map draws and the bars mark.
    threat = next(r for r in result["reasons"] if r["code"] == "threat_high")
    assert "is 25 rather than 35" in threat["text"]
    assert threat["text"] in page and threat["text"] in pdf
    # The score table shows the same whole number (the template may wrap the cell's line).
    cell = rf'<td class="text-end" data-label="Score \(0-100\)">\s*{capacity}\s*</td>'
    assert re.search(cell, page), cell


def test_a_team_that_reads_no_alerts_is_told_hygiene_first_even_under_threat(
    default_bank, default_catalogue
):
    hospital = _by_name("US hospital")
    result = _evaluate(hospital, default_bank, default_catalogue, **{"CAP-06": ("nothing",)})
    assert result["outcome"] == "hygiene_first"
    gate = next(g for g in result["gates"] if g["code"] == "alerts_unread")
    assert gate["binding"]
    # The plan starts the triage the gate asks for.
    assert any("into tickets with an owner" in p["action"] for p in result["plan"])


def test_no_way_to_strip_personal_data_keeps_a_bank_receive_only(default_bank, default_catalogue):
    bank = _by_name("German regional bank")
    result = _evaluate(bank, default_bank, default_catalogue, **{"SHR-04": ("no",)})
    assert result["operational_depth"] == "receive"
    assert next(g for g in result["gates"] if g["code"] == "no_redaction")["binding"]


def test_the_page_and_the_pdf_show_the_same_first_cards_and_why_a_body_is_absent(
    client, owner, bank
):
    from html import escape

    from assess.report.storage import render_pdf
    from tests.test_report import flat, pdf_text

    assessment = _through_the_pages(client, owner, _by_name("German regional bank"))
    alliances = assessment.result["alliances"]
    first = [a["name"] for a in alliances if a["first"]]
    others = [a["name"] for a in alliances if not a["first"]]
    assert 1 <= len(first) <= 5 and others
    page = client.get(f"/a/{assessment.code}/result/").text
    cards, _sep, rest = page.partition("Also open to you")
    for name in first:
        assert f'<h3 class="h5 mb-1">{escape(name)}</h3>' in cards
    for name in others:
        assert escape(name) not in cards and escape(name) in rest
    # Each first card says why it is there; the others are grouped.
    assert cards.count("Why it is here:") == len(first)
    assert "Any sector and country" in rest
    # The body the bank cannot join directly is absent, and the page says why when asked.
    assert "Why isn't a body listed?" in rest
    assert "European FI-ISAC" in rest and "national representatives" in rest

    _reader, text = pdf_text(render_pdf(assessment))
    text = flat(text)
    start = text.index(first[0], text.index("Alliances that match", text.index(first[0]) - 2000))
    cards, _sep, rest = text[start:].partition("Also open to you")
    for name in first:
        assert name in cards
    for name in others:
        assert name not in cards
    assert "Why some bodies are not listed" in rest and "national representatives" in rest
