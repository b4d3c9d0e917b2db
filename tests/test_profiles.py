"""Realistic companies through the default bank and catalogue: the outcome, the depth and
the bodies an experienced advisor would name (tests/profiles.py says why for each)."""

import pytest

from assess import rules
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
    assert {c.size_band for c in COMPANIES} == set(rules.SIZE_BANDS)
    assert {c.outcome for c in COMPANIES} == set(rules.OUTCOMES) - {"normative"}


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
    assert company.caveats <= {c["code"] for c in result["caveats"]}
    assert company.gates <= {g["code"] for g in result["gates"]}


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
