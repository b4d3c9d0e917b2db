"""Issue 27: every body and every pledge judged on its own fit. Exclusions as data, first
cards ranked by fit, newcomer levels, pledges one by one, what the model could not see, and
import checks that refuse bad catalogue data. Property tests run over every profile of
tests/profiles.py."""

import copy

import pytest

from assess import rules
from assess.banks.catalogue import catalogue_problems
from assess.banks.format import BankError
from assess.banks.store import catalogue_load
from tests.profiles import COMPANIES, answers


def _profile(company, **changes):
    values = {
        "sector": company.sector,
        "countries": company.countries,
        "size_band": company.size_band,
        "headquarters": company.headquarters,
        **changes,
    }
    return rules.Profile(**values)


def _evaluate(company, bank, catalogue, profile=None, **changes):
    spec = dict(answers(company.spec), **changes)
    return rules.evaluate(bank, spec, profile or _profile(company), catalogue).as_dict()


def _by_name(name):
    return next(c for c in COMPANIES if c.name.startswith(name))


def _first(result):
    return [a["slug"] for a in result["alliances"] if a["first"]]


def _slugs(result):
    return {a["slug"] for a in result["alliances"]}


def _excluded(result):
    return {e["slug"]: e["reasons"] for e in result["excluded"]}


# --- Properties over every profile -----------------------------------------------------------


@pytest.mark.parametrize("company", COMPANIES, ids=[c.name for c in COMPANIES])
def test_no_recommended_body_excludes_the_organisation_by_its_own_data(
    company, default_bank, default_catalogue
):
    result = _evaluate(company, default_bank, default_catalogue)
    tags = frozenset(result["tags"])
    by_slug = {a.slug: a for a in default_catalogue}
    profile = _profile(company)
    for a in result["alliances"]:
        assert rules.excluded_by(by_slug[a["slug"]], profile, tags) == [], a["slug"]


@pytest.mark.parametrize("company", COMPANIES, ids=[c.name for c in COMPANIES])
def test_first_cards_hold_an_own_sector_or_own_country_body_where_there_is_one(
    company, default_bank, default_catalogue
):
    result = _evaluate(company, default_bank, default_catalogue)
    first = [a for a in result["alliances"] if a["first"]]
    assert 1 <= len(first) <= 5 or not result["alliances"]

    def own(a):
        return a["match"]["sector"] == "own" or (
            a["match"]["country"] == "home" and a["track"] != "related"
        )

    if any(own(a) for a in result["alliances"]):
        assert any(own(a) for a in first), _first(result)
    # A body only of a country where the organisation merely operates is never a first card.
    assert all(a["match"]["country"] != "operating" for a in first)
    # Every first card says why it is there.
    assert all(a["fit"] for a in first)


def _trigger(gate):
    condition = gate.when[0]
    return {condition.question: (sorted(condition.choices)[0],)}


@pytest.mark.parametrize("company", COMPANIES, ids=[c.name for c in COMPANIES])
def test_a_body_open_to_all_fills_a_first_card_only_when_the_answers_make_it_fit(
    company, default_bank, default_catalogue
):
    """A generic community (not of the sector, not of the home country, not a pledge) with
    nothing in the answers behind it is no first card once two better ones are chosen;
    hygiene-first results, whose free starting points are generic by nature, aside."""
    result = _evaluate(company, default_bank, default_catalogue)
    first = [a for a in result["alliances"] if a["first"]]
    if result["outcome"] == "hygiene_first" or len(first) <= 2:
        return
    for a in first:
        generic = (
            a["track"] == "operational"
            and a["match"]["sector"] not in ("own", "supplier")
            and a["match"]["country"] != "home"
        )
        assert not generic or a["score"] >= 4, (a["slug"], a["score"], _first(result))


def test_without_a_headquarters_a_card_names_the_countries_it_covers(
    default_bank, default_catalogue
):
    """An organisation that has not recorded its headquarters: its countries count as home,
    and the card says which, never "your headquarters country ()"."""
    company = _by_name("German regional bank")
    profile = _profile(company, headquarters="")
    result = _evaluate(company, default_bank, default_catalogue, profile=profile)
    national = next(a for a in result["alliances"] if a["slug"] == "de-up-kritis")
    assert "covers DE" in national["fit"], national["fit"]
    assert not any("()" in reason for a in result["alliances"] for reason in a["fit"])


def test_a_german_bank_gets_three_strong_cards_not_two_generic_fillers(
    default_bank, default_catalogue
):
    result = _evaluate(_by_name("German regional bank"), default_bank, default_catalogue)
    assert _first(result) == ["fs-isac", "de-up-kritis", "de-acs"]
    # The generic communities are still named, one line each under "Also open to you".
    assert {"lu-circl-misp-private", "misp-communities"} <= _slugs(result)


def test_the_japanese_maker_sees_its_own_cert_before_a_foreign_community(
    default_bank, default_catalogue
):
    result = _evaluate(_by_name("Japanese heavy-industry"), default_bank, default_catalogue)
    assert "jp-jpcert-cc" in _first(result)
    assert "lu-circl-misp-private" not in _first(result)


@pytest.mark.parametrize("company", COMPANIES, ids=[c.name for c in COMPANIES])
def test_no_gate_removes_a_pledge_it_does_not_concern(company, default_bank, default_catalogue):
    pledge_gates = [g for g in default_bank.gates if g.pledges_with]
    assert pledge_gates
    profile = _profile(company)
    for gate in pledge_gates:
        result = _evaluate(company, default_bank, default_catalogue, **_trigger(gate))
        tags = frozenset(result["tags"])
        texts = {g["text"] for g in result["gates"]}
        assert gate.text in texts or gate.code not in {g["code"] for g in result["gates"]}
        excluded = _excluded(result)
        for body in default_catalogue:
            if body.track != "normative" or not rules.eligible(body, profile, tags):
                continue
            if gate.text in excluded.get(body.slug, []):
                assert body.friction & gate.pledges_with, (gate.code, body.slug)
            if not body.friction & gate.pledges_with:
                assert gate.text not in excluded.get(body.slug, []), (gate.code, body.slug)


# --- 1. Exclusions as data -----------------------------------------------------------------


def test_a_designated_french_insurer_is_not_sent_to_bodies_closed_to_it(
    default_bank, default_catalogue
):
    """The issue's French insurer: critical and NIS2-essential; CIISI-EU, Cybermalveillance
    and the European FI-ISAC are absent from the cards and present, with their reason, under
    "Why isn't a body listed?"."""
    bank = _by_name("German regional bank")
    insurer = _profile(bank, countries=frozenset({"FR"}), headquarters="FR", size_band="large")
    result = _evaluate(bank, default_bank, default_catalogue, profile=insurer)
    named = _slugs(result)
    assert not {"ciisi-eu", "fr-cybermalveillance", "european-fi-isac"} & named
    excluded = _excluded(result)
    assert "invites" in " ".join(excluded["ciisi-eu"])
    assert "critical-infrastructure" in " ".join(excluded["fr-cybermalveillance"])
    assert "national representative" in " ".join(excluded["european-fi-isac"])
    assert "fs-isac" in _first(result)


def test_a_foreign_governments_scheme_is_no_first_card_and_needs_a_presence_there(
    default_bank, default_catalogue
):
    """CISA's AIS admits foreign companies, but it is the US government's: a European
    insurer with no US presence is not offered it, one operating in the US finds it under
    "Also open to you", and so does a US one that contributes (its first cards are the
    contributing communities: CISCP, JCDC, FIRST)."""
    insurer = _by_name("French insurer")
    european = _evaluate(insurer, default_bank, default_catalogue)
    assert "US" not in insurer.countries and "us-ais" not in _slugs(european)
    abroad = _profile(insurer, countries=insurer.countries | {"US"})
    there = _evaluate(insurer, default_bank, default_catalogue, profile=abroad)
    assert "us-ais" in _slugs(there) and "us-ais" not in _first(there)
    home = _profile(insurer, headquarters="US", countries=frozenset({"US"}))
    us = _evaluate(insurer, default_bank, default_catalogue, profile=home)
    assert "us-ais" in _slugs(us) and {"us-ciscp", "us-jcdc"} <= set(_first(us))


def test_home_only_schemes_admit_only_companies_headquartered_there(default_catalogue):
    water = next(a for a in default_catalogue if a.slug == "waterisac")
    assert "home_only" in water.exclusions
    au = rules.Profile(sector="water", countries=frozenset({"AU"}), headquarters="AU")
    abroad = rules.Profile(sector="water", countries=frozenset({"AU", "FR"}), headquarters="FR")
    assert rules.eligible(water, au, frozenset())
    assert rules.excluded_by(water, abroad, frozenset()) == ["home_only"]


def test_government_only_bodies_admit_government_bodies(default_catalogue):
    cities = next(a for a in default_catalogue if a.slug == "isac4cities")
    town = rules.Profile(sector="government", countries=frozenset({"FR"}), headquarters="FR")
    assert rules.eligible(cities, town, frozenset())


# --- 2. Ranking -------------------------------------------------------------------------------


def test_a_us_bank_operating_abroad_sees_its_sector_and_country_first(
    default_bank, default_catalogue
):
    bank = _by_name("German regional bank")
    us = _profile(
        bank, headquarters="US", countries=frozenset({"US", "AU", "DE", "KR"}), size_band="large"
    )
    result = _evaluate(bank, default_bank, default_catalogue, profile=us)
    first = _first(result)
    assert first[0] == "fs-isac"
    foreign = {"au-acsc-partnership", "de-acs", "kr-c-tas", "de-up-kritis"}
    assert not foreign & set(first)
    rest = [a for a in result["alliances"] if not a["first"]]
    assert foreign & {a["slug"] for a in rest}
    # "Also open to you" is grouped by country and sector.
    groups = [a["group"] for a in rest]
    assert "Germany" in groups and "Australia" in groups
    assert groups == sorted(groups, key=groups.index)  # each group in one run


def test_a_spanish_telecom_sees_its_sector_and_spain_first(default_bank, default_catalogue):
    telco = _by_name("Singapore telecom")
    es = _profile(telco, headquarters="ES", countries=frozenset({"ES", "DE", "BE", "BR", "IE"}))
    result = _evaluate(telco, default_bank, default_catalogue, profile=es, **{"PRO-05": ("yes",)})
    first = _first(result)
    assert "gsma-t-isac" in first
    assert any(s.startswith("es-") for s in first)
    assert not [s for s in first if s[:3] in ("de-", "be-", "br-", "ie-")]


def test_contributing_members_see_contributing_bodies_among_first_cards(
    default_bank, default_catalogue
):
    for name in ("US defence contractor", "Canadian university", "Indian IT"):
        result = _evaluate(_by_name(name), default_bank, default_catalogue)
        assert result["operational_depth"] == "contribute"
        first = [a for a in result["alliances"] if a["first"]]
        assert any(a["level"] == "contribute" and a["match"]["sector"] != "own" for a in first)


def test_a_non_space_defence_subcontractor_does_not_get_the_space_isac(
    default_bank, default_catalogue
):
    contractor = _by_name("US defence contractor")
    result = _evaluate(contractor, default_bank, default_catalogue, **{"PRO-09": ("none",)})
    assert "space-isac" not in _slugs(result)
    space = _evaluate(contractor, default_bank, default_catalogue, **{"PRO-09": ("space",)})
    assert "space-isac" in _slugs(space)


# --- 3. Newcomer levels -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hq", "sector", "slug"),
    [
        ("NL", "water", "nl-ncsc-isacs"),
        ("IE", "healthcare", "ie-cyber-core"),
        ("JP", "energy", "jp-cybersecurity-council"),
    ],
)
def test_a_receive_only_result_shows_the_national_group_a_newcomer_starts_with(
    hq, sector, slug, default_bank, default_catalogue
):
    utility = _by_name("Australian water utility")
    profile = rules.Profile(
        sector=sector, countries=frozenset({hq}), size_band="medium", headquarters=hq
    )
    result = _evaluate(utility, default_bank, default_catalogue, profile=profile)
    assert result["operational_depth"] == "receive"
    card = next(a for a in result["alliances"] if a["slug"] == slug)
    assert card["first"]
    assert (card["level"], card["newcomer_level"]) == ("contribute", "receive")
    assert any("established members" in c for c in card["cautions"])


def test_the_dutch_water_utility_is_not_sent_to_a_scheme_for_non_vital_sectors(
    default_bank, default_catalogue
):
    utility = _by_name("Australian water utility")
    nl = rules.Profile(
        sector="water", countries=frozenset({"NL"}), size_band="medium", headquarters="NL"
    )
    result = _evaluate(utility, default_bank, default_catalogue, profile=nl)
    assert "nl-digital-trust-center" in _excluded(result)
    assert _first(result)[0] != "nl-digital-trust-center"


# --- 4. Pledges one by one --------------------------------------------------------------------


def test_avoiding_government_friction_rules_out_state_behaviour_pledges_only(
    default_bank, default_catalogue
):
    """An Asian defence-industrial Charter of Trust member whose leadership avoids positions
    a government might object to: the Charter (product security, government members) stays,
    the Tech Accord and the Paris Call go, with the gate as their reason."""
    maker = _by_name("Japanese car maker")
    defence = _profile(maker, sector="defence_aerospace")
    member = {"RSK-02": ("avoid",), "RSK-01": ("keen",)}
    result = _evaluate(maker, default_bank, default_catalogue, profile=defence, **member)
    assert result["normative_depth"] == "signatory"
    assert "charter-of-trust" in _slugs(result)
    excluded = _excluded(result)
    gate = next(g for g in result["gates"] if g["code"] == "avoid_government_friction")
    assert gate["binding"] and set(gate["rules_out"]) >= {"Cybersecurity Tech Accord"}
    for slug in ("tech-accord", "paris-call"):
        assert slug not in _slugs(result)
        assert gate["text"] in excluded[slug]


def test_a_product_security_charter_asks_a_full_members_exposure_not_its_appetite(
    default_bank, default_catalogue
):
    """A supporter's appetite for public commitments with a full member's exposure: the
    Charter of Trust (no position on state behaviour) is recommended; the Tech Accord (a
    full signatory's public stance on state behaviour) is not, and says why."""
    mhi = _by_name("Japanese heavy-industry")
    result = _evaluate(mhi, default_bank, default_catalogue)
    assert result["normative_depth"] == "supporter"
    assert "charter-of-trust" in _first(result)
    card = next(a for a in result["alliances"] if a["slug"] == "charter-of-trust")
    assert any("no position on state behaviour" in reason for reason in card["fit"])
    # The same appetite with an exposure above a pledge's bar but under a full member's: the
    # Charter is absent for the level it asks, and with the state-behaviour pledges gated
    # no pledge is left.
    less = {"PRO-03": ("customers",), "THR-03": ("ordinary",)}
    low = _evaluate(mhi, default_bank, default_catalogue, **less)
    t = default_bank.thresholds
    assert t.normative_exposure <= low["scores"]["exposure"]["score"] < t.signatory_exposure
    assert low["normative_depth"] is None
    assert "charter-of-trust" not in _slugs(low) and "charter-of-trust" in _excluded(low)


def test_the_politics_gate_still_closes_the_track_when_no_pledge_is_left(
    default_bank, default_catalogue
):
    """A hospital with the exposure and appetite for a pledge: the only pledge open to it is
    the Paris Call, a statement on state behaviour, so the gate closes the track, binding."""
    hospital = _by_name("US hospital")
    keen = {
        "RSK-01": ("keen",),
        "RSK-02": ("avoid",),
        "RSK-03": ("transparent",),
        "RSK-05": ("vdp", "annual_report", "pledge"),
        "THR-02": ("core",),
        "THR-03": ("crown",),
        "THR-04": ("broad",),
        "PRO-03": ("national",),
    }
    result = _evaluate(hospital, default_bank, default_catalogue, **keen)
    gate = next(g for g in result["gates"] if g["code"] == "avoid_government_friction")
    assert gate["limits"] == {"normative": "none"} and gate["pledges_with"] == []
    assert gate["binding"] and result["caps"]["normative"] == "none"
    assert result["normative_depth"] is None
    assert gate["text"] in _excluded(result)["paris-call"]
    # Without the gate, the same hospital supports the Paris Call.
    free = _evaluate(
        hospital, default_bank, default_catalogue, **dict(keen, **{"RSK-02": ("collective",)})
    )
    assert "paris-call" in _slugs(free)


def test_signing_only_with_many_peers_under_high_geopolitics_supports_a_broad_statement(
    default_bank, default_catalogue
):
    maker = _by_name("Japanese car maker")
    exposed = {"GEO-01": ("large",), "GEO-02": ("contract",), "GEO-05": ("happened",)}
    result = _evaluate(maker, default_bank, default_catalogue, **exposed)
    assert result["scores"]["geopolitical_exposure"]["score"] >= 60
    assert result["scores"]["commitment_tolerance"]["score"] < 70
    assert result["normative_depth"] is not None
    pledges = {a["slug"] for a in result["alliances"] if a["track"] == "normative"}
    # Of the pledges on state behaviour only the broad statement; the product-security
    # charter is judged on the ordinary cuts.
    assert "paris-call" in pledges and "tech-accord" not in pledges
    assert "broad statement" in " ".join(_excluded(result)["tech-accord"])
    assert "charter-of-trust" in pledges
    call = next(a for a in result["alliances"] if a["slug"] == "paris-call")
    assert any("broad statement" in c for c in call["cautions"])
    assert "geopolitical_broad_only" in {c["code"] for c in result["caveats"]}
    assert "broad_statement_only" in {r["code"] for r in result["reasons"]}
    assert "not advised" not in " ".join(r["text"] for r in result["reasons"])


def test_defence_contracts_bring_a_warning_on_the_no_offence_clause(
    default_bank, default_catalogue
):
    firm = _by_name("Indian IT")
    result = _evaluate(firm, default_bank, default_catalogue, **{"GEO-02": ("contract",)})
    accord = next(a for a in result["alliances"] if a["slug"] == "tech-accord")
    assert any("no-offence" in c for c in accord["cautions"])
    plain = _evaluate(firm, default_bank, default_catalogue)
    accord = next(a for a in plain["alliances"] if a["slug"] == "tech-accord")
    assert not any("no-offence" in c for c in accord["cautions"])


def test_refusing_all_sharing_rules_out_a_pledge_of_collective_action(
    default_bank, default_catalogue
):
    vendor = _by_name("Global security vendor")
    result = _evaluate(vendor, default_bank, default_catalogue, **{"SHR-03": ("never",)})
    assert "tech-accord" not in _slugs(result)
    assert "tech-accord" in _excluded(result)
    assert "paris-call" in _slugs(result)  # no sharing commitment in it


# --- 5. What the model could not see -------------------------------------------------------


def test_a_security_line_besides_the_main_business_brings_the_cta(default_bank, default_catalogue):
    maker = _by_name("Japanese car maker")
    assert "cta" not in _slugs(_evaluate(maker, default_bank, default_catalogue))
    result = _evaluate(maker, default_bank, default_catalogue, **{"PRO-10": ("yes",)})
    assert "cta" in _slugs(result)


def test_a_hospital_with_a_managed_provider_under_sector_ransomware_receives(
    default_bank, default_catalogue
):
    """Two security staff, EDR and SIEM watched around the clock by a managed provider,
    alerts read by people, sustained ransomware against hospitals: receive-only with
    Health-ISAC, as an advisor would say (was hygiene first)."""
    hospital = _by_name("US hospital")
    result = _evaluate(
        hospital,
        default_bank,
        default_catalogue,
        **{
            "THR-01": ("none",),
            "THR-05": ("general",),
            "THR-06": ("sustained",),
            "CAP-01": ("small",),
            "CAP-02": ("247",),
            "CAP-03": ("edr", "siem"),
            "CAP-04": ("retainer",),
            "CAP-06": ("forward",),
            "CAP-07": ("tier2",),
            "CAP-08": ("small",),
            "SHR-05": ("few",),
        },
    )
    assert (result["outcome"], result["operational_depth"]) == ("operational", "receive")
    assert "health-isac" in _first(result)


# --- 6. What would change this, and hedged reasons ------------------------------------------


def test_a_firm_result_does_not_call_an_outcome_out_of_reach_that_a_fact_reaches():
    from types import SimpleNamespace

    from assess.report.presenter import firmness, routes

    result = SimpleNamespace(
        **{
            "outcome": "operational",
            "sensitivity": [
                {
                    "outcome": "both",
                    "reachable": False,
                    "changes": [],
                    "facts": [{"question": "X"}],
                },
                {"outcome": "normative", "reachable": False, "changes": [], "facts": []},
            ],
        }
    )
    found = routes(result)
    assert found["unreachable"] == ["Normative alliances"] or "both" not in str(
        found["unreachable"]
    )
    assert len(found["unreachable"]) == 1 and len(found["facts"]) == 1
    summary = firmness(result)["summary"]
    assert summary.startswith("Firm on what you decide")


def test_a_reason_on_mostly_unknown_answers_hedges_like_the_headline(
    default_bank, default_catalogue
):
    result = _evaluate(_by_name("Irish medical devices"), default_bank, default_catalogue)
    capacity = [r for r in result["reasons"] if "capacity" in r.get("dimensions", [])]
    assert capacity and all(r["text"].startswith("Provisional, as most answers") for r in capacity)
    firm = _evaluate(_by_name("German regional bank"), default_bank, default_catalogue)
    assert not any(r.get("hedged") for r in firm["reasons"])


# --- Import checks ----------------------------------------------------------------------------


def test_bad_catalogue_data_is_refused_with_a_problem_list(catalogue_document):
    doc = copy.deepcopy(catalogue_document)
    by_slug = {a["slug"]: a for a in doc["alliances"]}
    by_slug["fs-isac"]["excludes_tags"] = ["no_such_tag"]
    by_slug["gca"]["exclusions"] = ["members_only"]
    del by_slug["tech-accord"]["friction"]
    del by_slug["paris-call"]["friction"]["no_offence"]
    by_slug["first"]["friction"] = {"state_behaviour": True}
    by_slug["gb-cisp"]["newcomer_level"] = "contribute"
    del by_slug["pl-n6"]["exclusions"]
    problems = catalogue_problems(doc)
    index = {a["slug"]: i for i, a in enumerate(doc["alliances"])}

    def at(slug):
        return f"alliances[{index[slug]}]"

    expected = [
        f"{at('fs-isac')}.excludes_tags: unknown tags ['no_such_tag']",
        f"{at('gca')}.exclusions: unknown exclusions ['members_only']",
        f"{at('tech-accord')}.friction: missing; a normative body needs its friction profile",
        f"{at('paris-call')}.friction: missing ['no_offence']",
        f"{at('first')}.friction: only a normative body has a friction profile",
        f"{at('gb-cisp')}.newcomer_level: a newcomer cannot be asked for more",
        f"{at('pl-n6')}.exclusions: missing",
    ]
    for text in expected:
        assert any(p.startswith(text) for p in problems), (text, problems)
    assert len(problems) == len(expected)


@pytest.mark.django_db
def test_loading_bad_catalogue_data_changes_nothing(catalogue_document):
    from assess.models import Alliance

    doc = copy.deepcopy(catalogue_document)
    doc["alliances"][0]["requires_tags"] = ["mode_submarine"]
    with pytest.raises(BankError) as raised:
        catalogue_load(doc)
    assert any("unknown tags ['mode_submarine']" in p for p in raised.value.problems)
    assert not Alliance.objects.exists()


@pytest.mark.django_db
def test_an_installation_loaded_before_gets_the_matching_data(catalogue_document):
    from assess.models import Alliance

    catalogue_load(catalogue_document)
    Alliance.objects.update(newcomer_level="", exclusions=[], friction={})
    catalogue_load(catalogue_document)
    nl = Alliance.objects.get(slug="nl-ncsc-isacs")
    assert (nl.level, nl.newcomer_level) == ("contribute", "receive")
    assert Alliance.objects.get(slug="european-fi-isac").exclusions == ["national_member_only"]
    assert Alliance.objects.get(slug="tech-accord").definition().friction >= {"no_offence"}
    assert catalogue_load(catalogue_document) == (0, 0)


def test_the_admin_refuses_matching_data_the_import_would_refuse(admin_client, bank):
    import json

    from assess.models import Alliance
    from tests.bank_helpers import change_form_data

    accord = Alliance.objects.get(slug="tech-accord")
    url = f"/admin/assess/alliance/{accord.pk}/change/"
    data = change_form_data(admin_client.get(url))
    data["exclusions"] = json.dumps(["members_only"])
    data["friction"] = json.dumps({"state_behaviour": True})
    response = admin_client.post(url, data)
    assert response.status_code == 200
    text = response.text.replace("&#x27;", "'")
    assert "exclusions: unknown exclusions ['members_only']" in text
    assert "friction: missing" in text
    accord.refresh_from_db()
    assert accord.exclusions == [] and accord.friction["no_offence"] is True
    data["exclusions"] = json.dumps(["invitation_only"])
    data["friction"] = json.dumps(dict(accord.friction, broad_statement=True))
    assert admin_client.post(url, data).status_code == 302
    accord.refresh_from_db()
    assert accord.exclusions == ["invitation_only"] and accord.friction["broad_statement"]
