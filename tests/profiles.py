"""Realistic companies, each answered as its security lead would, with what an experienced
advisor would recommend and why. tests/test_profiles.py checks the rules against them; the
closing notes and docs/decision-model.md quote them."""

from dataclasses import dataclass, field


def answers(spec):
    """ "PRO-01 user | CAP-03 edr siem" -> {"PRO-01": ("user",), "CAP-03": ("edr", "siem")}."""
    out = {}
    for part in spec.split("|"):
        code, *codes = part.split()
        out[code] = tuple(codes)
    return out


@dataclass(frozen=True)
class Company:
    name: str
    sector: str
    size_band: str
    headquarters: str
    countries: frozenset
    spec: str
    outcome: str
    operational: str | None
    normative: str | None
    # Bodies a practitioner would name (a subset of what is matched) and bodies that must
    # not be named.
    bodies: frozenset = field(default_factory=frozenset)
    not_bodies: frozenset = field(default_factory=frozenset)
    # The real organisation a profile is modelled on ("" for an archetype); its public
    # memberships and their primary sources are in docs/decision-model.md.
    modelled_on: str = ""
    # What a reader sees first (the cards described in full, at most five, ranked by fit):
    # bodies that must be among them and bodies that must not be; and bodies that match but
    # exclude the organisation by their own rules ("Why isn't a body listed?").
    first: frozenset = field(default_factory=frozenset)
    not_first: frozenset = field(default_factory=frozenset)
    excluded: frozenset = field(default_factory=frozenset)
    caveats: frozenset = field(default_factory=frozenset)
    gates: frozenset = field(default_factory=frozenset)
    provisional: bool = False
    why: str = ""


def company(name, sector, size, hq, countries, spec, expect, **kw):
    outcome, operational, normative = expect
    return Company(
        name, sector, size, hq, frozenset(countries), spec, outcome, operational, normative, **kw
    )


# Common answers: no government or defence business, one country, no disputes.
DOMESTIC = "GEO-01 none | GEO-02 no | GEO-03 one | GEO-04 no | GEO-05 unlikely"
NOT_EU = "PRO-05 no"

COMPANIES = [
    company(
        "US hospital system, 3,000 staff",
        "healthcare",
        "large",
        "US",
        {"US"},
        "PRO-01 user | PRO-10 no | PRO-03 customers | PRO-04 no | " + NOT_EU + " | "
        "THR-01 suspected | THR-02 few | THR-03 some | THR-04 no | THR-05 specific | THR-06 hit | "
        "CAP-01 small | CAP-02 hours | CAP-03 edr siem | CAP-04 retainer | CAP-06 triage | "
        "CAP-07 tier2 | CAP-08 medium | "
        "SHR-01 case | SHR-02 iocs | SHR-03 anonymous | SHR-04 manual | SHR-05 few | "
        "SHR-06 occasional | "
        "RSK-01 cautious | RSK-02 collective | RSK-03 required | RSK-04 informed | RSK-05 vdp | "
        "GEO-01 medium | GEO-02 no | GEO-03 one | GEO-04 no | GEO-05 unlikely",
        ("operational", "receive", None),
        bodies={"health-isac"},
        first={"health-isac"},
        not_bodies={"tech-accord", "charter-of-trust", "cta"},
        caveats={"us_health_hipaa_sharing", "us_health_405d_practices"},
        # A small team that triages alerts, with ransomware aimed at hospitals: receiving
        # Health-ISAC's warnings pays off at once (NIST SP 800-150: consumers benefit first).
        # Nothing makes it a norms player; the board wants no reporting duties.
        why="triaging team under sector-wide ransomware: receive-only Health-ISAC",
    ),
    company(
        "German regional bank, 800 staff",
        "financial_services",
        "medium",
        "DE",
        {"DE"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 customers | PRO-04 one_country | PRO-05 yes | PRO-06 essential | "
        "PRO-07 yes | THR-01 suspected | THR-02 some | THR-03 some | THR-04 no | "
        "THR-05 specific | THR-06 sustained | "
        "CAP-01 medium | CAP-02 247 | CAP-03 edr siem misp_taxii | CAP-04 team | CAP-05 one | "
        "CAP-06 triage | CAP-07 tier3 | CAP-08 large | "
        "SHR-01 policy | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 rules | SHR-06 monthly | "
        "RSK-01 cautious | RSK-02 avoid | RSK-03 required | RSK-04 repeatable | "
        "RSK-05 annual_report | " + DOMESTIC,
        ("operational", "contribute", None),
        bodies={"de-acs", "fs-isac"},
        not_bodies={"paris-call", "tech-accord", "european-fi-isac"},
        first={"fs-isac", "de-acs", "de-up-kritis"},
        # The European FI-ISAC admits national representatives only: a bank takes part
        # through its country's (issue 27; it was named here before).
        excluded={"european-fi-isac"},
        caveats={"eu_dora_art45_notify", "eu_nis2_art29_notify"},
        gates={"avoid_government_friction"},
        # Written approval to share under NDA/TLP, a 24/7 SOC and an IR team: a contributor.
        # The board's distaste for political statements rules out pledges, not sharing.
        why="sharing approved and staffed: contributes; politics gate stops only pledges",
    ),
    company(
        "US SaaS company, 400 staff",
        "cloud_hosting",
        "medium",
        "US",
        {"US", "CA", "GB"},
        "PRO-01 technology | PRO-10 no | "
        "PRO-08 finance healthcare | PRO-03 customers | PRO-04 supplier | "
        + NOT_EU
        + " | THR-01 suspected | THR-02 some | THR-03 some | THR-04 limited | "
        "THR-05 general | THR-06 occasional | "
        "CAP-01 small | CAP-02 247 | CAP-03 edr siem | CAP-04 team | CAP-05 none | "
        "CAP-06 triage | CAP-07 tier2 | CAP-08 medium | "
        "SHR-01 case | SHR-02 iocs ttps | SHR-03 anonymous | SHR-04 manual | SHR-05 few | "
        "SHR-06 occasional | "
        "RSK-01 open | RSK-02 collective | RSK-03 proactive | RSK-04 informed | RSK-05 vdp | "
        "GEO-01 small | GEO-02 no | GEO-03 few | GEO-04 no | GEO-05 unlikely",
        ("operational", "receive", None),
        bodies={"csa-cloud-cisc"},
        first={"csa-cloud-cisc"},
        not_bodies={"cta", "tech-accord", "first"},
        caveats={"us_antitrust_sharing"},
        # A good SOC but sharing only case by case: receive first. Its exposure (a limited
        # path to some customers) is not yet that of a norms player.
        why="SOC can consume, legal allows only case-by-case: receive-only",
    ),
    company(
        "Global security vendor, 6,000 staff",
        "cybersecurity",
        "enterprise",
        "US",
        {"US", "GB", "DE", "JP", "SG", "IN"},
        "PRO-01 security | PRO-02 volume | PRO-08 finance government energy | PRO-03 sector | "
        "PRO-04 supplier | PRO-05 yes | PRO-06 important | PRO-07 ict_provider | "
        "THR-01 repeated | THR-02 core | THR-03 some | THR-04 broad | THR-05 specific | "
        "THR-06 sustained | "
        "CAP-01 large | CAP-02 hunting | CAP-03 edr siem tip misp_taxii soar | CAP-04 csirt | "
        "CAP-05 two | CAP-06 automated | CAP-07 tier4 | CAP-08 xlarge | "
        "SHR-01 standing | SHR-02 iocs ttps reports samples detections | SHR-03 open | "
        "SHR-04 automated | SHR-05 enforced | SHR-06 weekly | "
        "RSK-01 keen | RSK-02 principled | RSK-03 transparent | RSK-04 adaptive | "
        "RSK-05 vdp annual_report pledge transparency | "
        "GEO-01 small | GEO-02 commercial | GEO-03 many | GEO-04 customers | GEO-05 possible",
        ("both", "contribute", "signatory"),
        bodies={"cta", "first", "tech-accord", "paris-call"},
        first={"cta", "tech-accord", "us-jcdc"},
        # The archetype of both tracks: produces intelligence at volume and is a vendor whose
        # compromise reaches many customers, with a board that wants to lead.
        why="intel producer with a keen board: contributes and signs",
    ),
    company(
        "German OT equipment maker, 1,500 staff, supplying energy and water operators",
        "manufacturing",
        "large",
        "DE",
        {"DE", "AT", "PL"},
        "PRO-01 industrial | PRO-10 no | PRO-08 energy water | PRO-03 sector | PRO-04 supplier | "
        "PRO-05 yes | PRO-06 important | PRO-07 no | "
        "THR-01 suspected | THR-02 many | THR-03 some | THR-04 broad | THR-05 general | "
        "THR-06 occasional | "
        "CAP-01 small | CAP-02 hours | CAP-03 edr siem | CAP-04 team | CAP-05 none | "
        "CAP-06 triage | CAP-07 tier2 | CAP-08 medium | "
        "SHR-01 case | SHR-02 iocs reports | SHR-03 closed | SHR-04 manual | SHR-05 few | "
        "SHR-06 occasional | "
        "RSK-01 open | RSK-02 collective | RSK-03 proactive | RSK-04 informed | RSK-05 vdp | "
        "GEO-01 small | GEO-02 no | GEO-03 few | GEO-04 customers | GEO-05 unlikely",
        ("both", "receive", "supporter"),
        bodies={"ee-isac", "de-acs", "paris-call"},
        first={"ee-isac", "de-up-kritis", "paris-call"},
        not_bodies={"cta", "food-ag-isac"},
        caveats={"eu_nis2_art29_notify"},
        # Its products reach into energy and water control systems: the energy ISAC admits
        # such suppliers, and a path into many operators makes supply-chain norms its business.
        # Sharing only case by case and a board open only to commitments it already meets:
        # receive, and a supporter role (the Charter of Trust's signatory duties come later).
        why="OT supplier to CI: EE-ISAC as a supplier, supporter of norms",
    ),
    company(
        "UK accountancy practice, 30 staff",
        "professional_services",
        "micro",
        "GB",
        {"GB"},
        "PRO-01 user | PRO-10 no | PRO-03 contained | PRO-04 no | " + NOT_EU + " | THR-01 none | "
        "THR-02 few | THR-03 ordinary | THR-04 no | THR-05 general | THR-06 occasional | "
        "CAP-01 one | CAP-02 none | CAP-03 none | CAP-04 none | CAP-06 forward | CAP-07 tier1 | "
        "CAP-08 none | SHR-01 none | SHR-02 none | SHR-03 never | SHR-04 no | "
        "SHR-05 unfamiliar | RSK-01 against | RSK-02 avoid | RSK-03 minimum | RSK-04 none | "
        "RSK-05 none | " + DOMESTIC,
        ("hygiene_first", None, None),
        bodies={"gb-cisp"},
        first={"gb-cisp"},
        not_bodies={"fs-isac", "ls-isao", "first"},
        gates={"board_opposed", "no_sharing_approval"},
        # Nobody can act on shared alerts yet: MFA, patching and the NCSC's free services
        # first. The plan speaks of the managing director, not a CISO or a board.
        why="no one to act on alerts: hygiene first, free NCSC services",
    ),
    company(
        "French regional government, 2,500 staff",
        "government",
        "large",
        "FR",
        {"FR"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 sector | PRO-04 one_country | PRO-05 yes | PRO-06 essential | "
        "PRO-07 no | THR-01 confirmed | THR-02 few | THR-03 some | THR-04 no | "
        "THR-05 specific | THR-06 hit | "
        "CAP-01 small | CAP-02 hours | CAP-03 edr siem | CAP-04 team | CAP-05 one | "
        "CAP-06 triage | CAP-07 tier2 | CAP-08 small | "
        "SHR-01 policy | SHR-02 iocs ttps | SHR-03 anonymous | SHR-04 manual | SHR-05 rules | "
        "SHR-06 occasional | "
        "RSK-01 cautious | RSK-02 avoid | RSK-03 required | RSK-04 informed | RSK-05 none | "
        "GEO-01 large | GEO-02 no | GEO-03 one | GEO-04 no | GEO-05 unlikely",
        ("operational", "receive", None),
        bodies={"isac4cities", "fr-csirt-regionaux"},
        first={"isac4cities", "fr-csirt-regionaux"},
        not_bodies={"ms-isac", "paris-call"},
        caveats={"eu_nis2_art29_notify"},
        gates={"avoid_government_friction"},
        # Ransomware against local authorities and a small triaging team: receive from its
        # peers and the regional CSIRT. Local governments may support the Paris Call, but this
        # one's leadership avoids any position a government might object to: no pledge.
        why="local government under ransomware: receive; leadership rules out pledges",
    ),
    company(
        "Dutch logistics company, 600 staff",
        "transport",
        "medium",
        "NL",
        {"NL", "BE", "DE"},
        "PRO-01 user | PRO-10 no | PRO-03 customers | PRO-04 no | PRO-09 road | PRO-05 yes | "
        "PRO-06 important | PRO-07 no | THR-01 none | THR-02 few | THR-03 ordinary | "
        "THR-04 no | THR-05 general | THR-06 occasional | "
        "CAP-01 one | CAP-02 hours | CAP-03 edr | CAP-04 retainer | CAP-06 triage | "
        "CAP-07 tier2 | CAP-08 small | "
        "SHR-01 case | SHR-02 iocs | SHR-03 anonymous | SHR-04 manual | SHR-05 few | "
        "SHR-06 receive | "
        "RSK-01 cautious | RSK-02 collective | RSK-03 required | RSK-04 informed | RSK-05 none | "
        "GEO-01 none | GEO-02 no | GEO-03 few | GEO-04 no | GEO-05 unlikely",
        ("operational", "receive", None),
        bodies={"nl-digital-trust-center", "nl-ncsc-isacs"},
        # Road logistics: not the aviation, maritime or rail bodies of its broad sector.
        not_bodies={"cta", "first", "a-isac", "eccsa", "mts-isac", "er-isac"},
        first={"nl-ncsc-isacs", "nl-digital-trust-center"},
        caveats={"eu_nis2_art29_notify"},
        # One person who tracks alerts to closure: enough to use warnings from the Digital
        # Trust Center's business networks. The NCSC-facilitated sector ISACs expect
        # established members to bring their own findings, but a newcomer in scope of NIS2
        # starts by receiving (issue 27: they were hidden from it before); the card says
        # contributions are expected later.
        why="one tracker of alerts, NIS2 important: receive via the Dutch sector ISACs",
    ),
    company(
        "Japanese car maker, 40,000 staff",
        "automotive",
        "enterprise",
        "JP",
        {"JP", "US", "DE", "TH", "CN", "MX"},
        "PRO-01 industrial | PRO-10 no | PRO-08 automotive | PRO-03 national | PRO-04 several | "
        "PRO-05 yes | PRO-06 essential | PRO-07 no | "
        "THR-01 repeated | THR-02 some | THR-03 some | THR-04 limited | THR-05 specific | "
        "THR-06 hit | "
        "CAP-01 large | CAP-02 hunting | CAP-03 edr siem tip misp_taxii | CAP-04 csirt | "
        "CAP-05 two | CAP-06 automated | CAP-07 tier3 | CAP-08 xlarge | "
        "SHR-01 standing | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 enforced | SHR-06 monthly | "
        "RSK-01 open | RSK-02 collective | RSK-03 proactive | RSK-04 repeatable | "
        "RSK-05 vdp annual_report | "
        "GEO-01 small | GEO-02 commercial | GEO-03 many | GEO-04 presence | GEO-05 possible",
        ("both", "contribute", "signatory"),
        bodies={"auto-isac", "jp-j-csip", "first", "charter-of-trust"},
        first={"jp-j-auto-isac", "auto-isac", "first", "charter-of-trust"},
        # National impact and repeated state-linked attacks: a norms player. Its board signs
        # what matches its practice and only alongside many peers, which is what an
        # industrial charter such as the Charter of Trust is; geopolitical exposure is
        # moderate, not high. (First expected "supporter"; on reflection a signatory among
        # industrial peers is what an advisor would propose.)
        why="systemic OEM with a board that signs among peers: contributes and signs",
    ),
    company(
        "Singapore telecom operator, 5,000 staff",
        "telecommunications",
        "large",
        "SG",
        {"SG", "MY"},
        "PRO-01 technology | PRO-10 no | "
        "PRO-08 government finance | PRO-03 national | PRO-04 one_country | "
        + NOT_EU
        + " | THR-01 confirmed | THR-02 many | THR-03 some | THR-04 broad | "
        "THR-05 specific | THR-06 sustained | "
        "CAP-01 medium | CAP-02 247 | CAP-03 edr siem tip | CAP-04 csirt | CAP-05 one | "
        "CAP-06 triage | CAP-07 tier3 | CAP-08 large | "
        "SHR-01 policy | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 rules | SHR-06 monthly | "
        "RSK-01 cautious | RSK-02 collective | RSK-03 required | RSK-04 repeatable | "
        "RSK-05 vdp | "
        "GEO-01 medium | GEO-02 contract | GEO-03 few | GEO-04 no | GEO-05 possible",
        ("operational", "contribute", None),
        bodies={"sg-csa-cii-sharing", "gsma-t-isac"},
        first={"gsma-t-isac", "sg-csa-cii-sharing"},
        # A CII operator with a CSIRT and a sharing policy: contribute. Its exposure makes
        # norms its business, but its leadership's appetite for public commitments (light
        # statements only, and only with many peers) is under what even a supporter role
        # takes; the plan's normative steps would be premature.
        why="CII telco: contributes; appetite for public commitments too low for a pledge",
    ),
    company(
        "Australian water utility, 700 staff",
        "water",
        "medium",
        "AU",
        {"AU"},
        "PRO-01 user | PRO-10 no | PRO-03 sector | PRO-04 one_country | " + NOT_EU + " | "
        "THR-01 suspected | THR-02 few | THR-03 ordinary | THR-04 no | THR-05 specific | "
        "THR-06 sustained | "
        "CAP-01 one | CAP-02 adhoc | CAP-03 edr | CAP-04 retainer | CAP-06 triage | "
        "CAP-07 tier2 | CAP-08 small | "
        "SHR-01 case | SHR-02 iocs | SHR-03 anonymous | SHR-04 manual | SHR-05 few | "
        "SHR-06 occasional | "
        "RSK-01 cautious | RSK-02 avoid | RSK-03 required | RSK-04 informed | RSK-05 none | "
        "GEO-01 large | GEO-02 no | GEO-03 one | GEO-04 no | GEO-05 unlikely",
        ("operational", "receive", None),
        bodies={"waterisac"},
        first={"waterisac", "au-acsc-partnership"},
        not_bodies={"paris-call"},
        caveats={"au_asd_limited_use"},
        gates={"avoid_government_friction"},
        # Thin capacity, but campaigns against water utilities are specific and actionable:
        # receive WaterISAC's warnings and ASD's partnership alerts.
        why="thin team under sector campaigns: receive-only WaterISAC",
    ),
    company(
        "US defence contractor, 4,000 staff",
        "defence_aerospace",
        "large",
        "US",
        {"US", "GB"},
        "PRO-01 industrial | PRO-10 no | "
        "PRO-08 defence government | PRO-03 national | PRO-04 supplier | "
        + NOT_EU
        + " | THR-01 repeated | THR-02 core | THR-03 some | THR-04 limited | "
        "THR-05 specific | THR-06 sustained | "
        "CAP-01 medium | CAP-02 247 | CAP-03 edr siem tip | CAP-04 csirt | CAP-05 two | "
        "CAP-06 triage | CAP-07 tier3 | CAP-08 large | "
        "SHR-01 policy | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 enforced | SHR-06 monthly | "
        "RSK-01 cautious | RSK-02 avoid | RSK-03 required | RSK-04 repeatable | RSK-05 vdp | "
        "GEO-01 large | GEO-02 classified | GEO-03 few | GEO-04 customers | GEO-05 possible",
        ("operational", "contribute", None),
        bodies={"nd-isac-dsie", "dib-cs-program", "first"},
        first={"nd-isac-dsie", "dib-cs-program", "first"},
        not_bodies={"tech-accord", "paris-call"},
        gates={"avoid_government_friction"},
        # Sharing with the DIB community is expected of it; a norms pledge against state
        # operations would set it against its main customer.
        why="defence prime: contributes to DIB sharing, never pledges",
    ),
    company(
        "Swiss private bank, 450 staff",
        "financial_services",
        "medium",
        "CH",
        {"CH", "LU"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 customers | PRO-04 one_country | PRO-05 yes | PRO-06 out | "
        "PRO-07 yes | THR-01 suspected | THR-02 many | THR-03 some | THR-04 no | "
        "THR-05 general | THR-06 sustained | "
        "CAP-01 small | CAP-02 247 | CAP-03 edr siem | CAP-04 team | CAP-05 one | "
        "CAP-06 triage | CAP-07 tier3 | CAP-08 large | "
        "SHR-01 policy | SHR-02 iocs ttps | SHR-03 anonymous | SHR-04 documented | "
        "SHR-05 rules | SHR-06 monthly | "
        "RSK-01 against | RSK-02 avoid | RSK-03 minimum | RSK-04 repeatable | RSK-05 none | "
        "GEO-01 none | GEO-02 no | GEO-03 few | GEO-04 no | GEO-05 possible",
        ("operational", "contribute", None),
        bodies={"ch-fs-csc", "fs-isac"},
        first={"ch-fs-csc", "fs-isac"},
        not_bodies={"paris-call", "tech-accord"},
        gates={"board_opposed", "avoid_government_friction"},
        # A capable MDR-backed team with written approval, a documented redaction step and a
        # monthly cadence: it can contribute, anonymously through the Swiss financial CSC,
        # which is how ISAC members usually give. Discretion runs deep on public positions:
        # no pledge. (First expected receive-only; anonymous giving through a body is still
        # contributing.)
        why="capable and discreet: contributes anonymously, no pledges",
    ),
    company(
        "Indian IT services firm, 25,000 staff",
        "information_technology",
        "enterprise",
        "IN",
        {"IN", "US", "GB", "DE", "AU"},
        "PRO-01 technology | PRO-10 no | PRO-08 finance healthcare government | PRO-03 sector | "
        "PRO-04 supplier | PRO-05 yes | PRO-06 important | PRO-07 ict_provider | "
        "THR-01 confirmed | THR-02 many | THR-03 some | THR-04 broad | THR-05 specific | "
        "THR-06 sustained | "
        "CAP-01 large | CAP-02 247 | CAP-03 edr siem tip | CAP-04 csirt | CAP-05 two | "
        "CAP-06 triage | CAP-07 tier3 | CAP-08 large | "
        "SHR-01 policy | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 rules | SHR-06 monthly | "
        "RSK-01 open | RSK-02 principled | RSK-03 proactive | RSK-04 repeatable | "
        "RSK-05 vdp annual_report | "
        "GEO-01 medium | GEO-02 commercial | GEO-03 many | GEO-04 customers | GEO-05 possible",
        ("both", "contribute", "signatory"),
        bodies={"it-isac", "first", "tech-accord"},
        first={"it-isac", "first", "tech-accord"},
        # A path into many clients' systems and confirmed state-linked attacks: the Tech
        # Accord's audience. Its CSIRT and sharing policy make it a contributor.
        why="IT services with broad client access: contributes and signs",
    ),
    company(
        "Polish online retailer, 200 staff",
        "retail",
        "small",
        "PL",
        {"PL", "CZ", "SK"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 contained | PRO-04 no | PRO-05 yes | PRO-06 out | PRO-07 no | "
        "THR-01 none | THR-02 few | THR-03 ordinary | THR-04 no | THR-05 general | "
        "THR-06 occasional | "
        "CAP-01 small | CAP-02 hours | CAP-03 edr siem | CAP-04 team | CAP-05 none | "
        "CAP-06 triage | CAP-07 tier2 | CAP-08 small | "
        "SHR-01 case | SHR-02 iocs | SHR-03 anonymous | SHR-04 manual | SHR-05 few | "
        "SHR-06 occasional | "
        "RSK-01 cautious | RSK-02 collective | RSK-03 required | RSK-04 informed | "
        "RSK-05 vdp | " + DOMESTIC,
        ("operational", "receive", None),
        bodies={"pl-n6", "rh-isac"},
        first={"rh-isac", "pl-n6"},
        not_bodies={"paris-call", "fs-isac"},
        # A small team that triages: national n6 data on its own networks and the retail ISAC.
        why="small triaging team: receive; no systemic role",
    ),
    company(
        "Irish medical devices maker, 900 staff, answered by compliance",
        "healthcare",
        "medium",
        "IE",
        {"IE", "US"},
        "PRO-01 industrial | PRO-10 no | PRO-08 healthcare | PRO-03 customers | PRO-04 supplier | "
        "PRO-05 yes | PRO-06 important | PRO-07 no | THR-01 unknown | THR-02 some | "
        "THR-03 some | THR-04 limited | THR-05 unknown | THR-06 occasional | "
        "CAP-01 unknown | CAP-02 unknown | CAP-03 unknown | CAP-04 unknown | CAP-06 unknown | "
        "CAP-07 tier2 | CAP-08 medium | "
        "SHR-01 case | SHR-02 unknown | SHR-03 unknown | SHR-04 unknown | SHR-05 unknown | "
        "SHR-06 unknown | "
        "RSK-01 open | RSK-02 collective | RSK-03 required | RSK-04 informed | RSK-05 vdp | "
        "GEO-01 small | GEO-02 no | GEO-03 few | GEO-04 no | GEO-05 unlikely",
        ("hygiene_first", None, None),
        provisional=True,
        # The person answering did not know the security team's make-up, tools or practice:
        # nothing firm can be said about capacity, and the result says so and asks the
        # security operations lead first.
        why="capacity mostly unknown: provisional, find out from the SOC lead",
    ),
    company(
        "Canadian university, 8,000 staff",
        "education",
        "large",
        "CA",
        {"CA"},
        "PRO-01 user | PRO-10 no | PRO-03 customers | PRO-04 no | "
        + NOT_EU
        + " | THR-01 confirmed | "
        "THR-02 some | THR-03 some | THR-04 no | THR-05 specific | THR-06 sustained | "
        "CAP-01 medium | CAP-02 hours | CAP-03 edr siem misp_taxii | CAP-04 team | CAP-05 two | "
        "CAP-06 triage | CAP-07 tier3 | CAP-08 medium | "
        "SHR-01 policy | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 rules | SHR-06 monthly | "
        "RSK-01 open | RSK-02 collective | RSK-03 proactive | RSK-04 repeatable | RSK-05 vdp | "
        "GEO-01 large | GEO-02 no | GEO-03 one | GEO-04 no | GEO-05 unlikely",
        ("operational", "contribute", None),
        bodies={"ren-isac"},
        first={"ren-isac", "first"},
        not_bodies={"tech-accord"},
        # Universities have shared openly for decades (REN-ISAC); state-linked research
        # theft is real, but a university is no systemic player for norms pledges.
        why="university CSIRT with a sharing policy: contributes to REN-ISAC",
    ),
]


# --- Modelled on real organisations (issue 27) ----------------------------------------------
# Each answers as that organisation plausibly would from what it publishes; what matters is
# what it has publicly joined or signed, with the primary sources listed in
# docs/decision-model.md ("Profiles modelled on real organisations"). A membership that could
# not be confirmed on a primary page is not used as an expectation; a body expected among the
# first cards is either a confirmed membership or the own-sector or own-country body whose own
# page shows the organisation is eligible (the docs say which).

LARGE_CONTRIBUTOR = (
    "CAP-01 large | CAP-02 hunting | CAP-03 edr siem tip misp_taxii soar | CAP-04 csirt | "
    "CAP-05 two | CAP-06 automated | CAP-07 tier4 | CAP-08 xlarge"
)

COMPANIES += [
    company(
        "German industrial group modelled on Siemens, 300,000 staff",
        "manufacturing",
        "enterprise",
        "DE",
        {"DE", "US", "CN", "IN", "GB", "FR", "BR"},
        "PRO-01 industrial | PRO-10 no | "
        "PRO-08 energy healthcare transport | PRO-03 national | "
        "PRO-04 supplier | PRO-09 rail | PRO-05 yes | PRO-06 important | PRO-07 no | "
        "THR-01 repeated | THR-02 many | THR-03 crown | THR-04 broad | THR-05 specific | "
        "THR-06 sustained | " + LARGE_CONTRIBUTOR + " | "
        "SHR-01 standing | SHR-02 iocs ttps reports detections | SHR-03 closed | "
        "SHR-04 documented | SHR-05 enforced | SHR-06 weekly | "
        "RSK-01 keen | RSK-02 collective | RSK-03 proactive | RSK-04 adaptive | "
        "RSK-05 vdp annual_report pledge | "
        "GEO-01 medium | GEO-02 commercial | GEO-03 global | GEO-04 presence | GEO-05 possible",
        ("both", "contribute", "signatory"),
        first={"charter-of-trust"},
        modelled_on="Siemens AG",
        # It initiated the Charter of Trust: a product- and supply-chain-security charter is
        # the first normative card for an industrial supplier to critical infrastructure.
        why="initiator of the Charter of Trust, CSIRT at scale: contributes and signs",
    ),
    company(
        "Spain-headquartered telecom operator modelled on Telefónica, 100,000 staff",
        "telecommunications",
        "enterprise",
        "ES",
        {"ES", "DE", "GB", "BR", "MX", "AR", "CL", "CO", "PE"},
        "PRO-01 technology | PRO-10 yes | "
        "PRO-08 government finance | PRO-03 national | PRO-04 several | "
        "PRO-05 yes | PRO-06 essential | PRO-07 ict_provider | "
        "THR-01 repeated | THR-02 many | THR-03 crown | THR-04 broad | THR-05 specific | "
        "THR-06 sustained | " + LARGE_CONTRIBUTOR + " | "
        "SHR-01 standing | SHR-02 iocs ttps reports samples detections | SHR-03 closed | "
        "SHR-04 documented | SHR-05 enforced | SHR-06 weekly | "
        "RSK-01 keen | RSK-02 principled | RSK-03 proactive | RSK-04 adaptive | "
        "RSK-05 vdp annual_report pledge transparency | "
        "GEO-01 medium | GEO-02 commercial | GEO-03 many | GEO-04 presence | GEO-05 happened",
        ("both", "contribute", "signatory"),
        bodies={"es-red-nacional-soc"},
        first={"tech-accord", "gsma-t-isac"},
        # The bodies of countries where it only operates do not come first (issue 27, 2).
        not_first={"de-acs", "de-up-kritis", "br-regic", "br-cert-br", "gb-cisp"},
        modelled_on="Telefónica S.A.",
        why="founding Tech Accord signatory and mobile operator: contributes and signs",
    ),
    company(
        "Japanese heavy-industry and defence maker modelled on Mitsubishi Heavy Industries",
        "defence_aerospace",
        "enterprise",
        "JP",
        {"JP", "US", "GB", "DE", "TH", "SG"},
        "PRO-01 industrial | PRO-10 no | "
        "PRO-08 energy defence | PRO-03 national | PRO-04 one_country | "
        "PRO-09 aviation maritime | PRO-05 yes | PRO-06 important | PRO-07 no | "
        "THR-01 repeated | THR-02 core | THR-03 crown | THR-04 limited | THR-05 specific | "
        "THR-06 sustained | "
        "CAP-01 large | CAP-02 247 | CAP-03 edr siem tip | CAP-04 csirt | CAP-05 one | "
        "CAP-06 triage | CAP-07 tier3 | CAP-08 large | "
        "SHR-01 policy | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 rules | SHR-06 monthly | "
        "RSK-01 open | RSK-02 avoid | RSK-03 required | RSK-04 repeatable | "
        "RSK-05 annual_report pledge | "
        "GEO-01 large | GEO-02 classified | GEO-03 several | GEO-04 customers | GEO-05 possible",
        ("both", "contribute", "supporter"),
        not_bodies={"tech-accord", "paris-call"},
        first={"charter-of-trust", "jp-j-csip"},
        excluded={"tech-accord", "paris-call"},
        modelled_on="Mitsubishi Heavy Industries, Ltd.",
        # Leadership avoids positions a government could object to, and it holds classified
        # defence work: no state-behaviour pledge (Tech Accord, Paris Call), each listed with
        # the gate as the reason. The Charter of Trust is about how products and supply
        # chains are secured, with government agencies as associate members: the gate does
        # not concern it (issue 27, 4). Its answers give an appetite for public commitments
        # of 50 (a board open to commitments it already meets), a supporter's, under a full
        # signatory's 60; but a charter that takes no position on state behaviour asks a full
        # member for work on its own products, not for a public stance, so its exposure
        # (a full member's) carries it, as the company's reported membership (a letter of
        # intent of February 2019, found in secondary sources only) suggests.
        why="defence-industrial Charter of Trust member: the politics gate spares the charter",
    ),
    company(
        "US networking company selling security as one line, modelled on Cisco",
        "information_technology",
        "enterprise",
        "US",
        {"US", "GB", "DE", "FR", "JP", "IN", "SG", "AU", "BR", "CN"},
        "PRO-01 technology | PRO-10 yes | "
        "PRO-08 government finance telecom | PRO-03 national | "
        "PRO-04 supplier | PRO-05 yes | PRO-06 important | PRO-07 ict_provider | "
        "THR-01 repeated | THR-02 core | THR-03 crown | THR-04 broad | THR-05 specific | "
        "THR-06 sustained | " + LARGE_CONTRIBUTOR + " | "
        "SHR-01 standing | SHR-02 iocs ttps reports samples detections | SHR-03 open | "
        "SHR-04 automated | SHR-05 enforced | SHR-06 weekly | "
        "RSK-01 keen | RSK-02 principled | RSK-03 transparent | RSK-04 adaptive | "
        "RSK-05 vdp annual_report pledge transparency policy | "
        "GEO-01 medium | GEO-02 commercial | GEO-03 global | GEO-04 both_sides | "
        "GEO-05 happened",
        ("both", "contribute", "signatory"),
        bodies={"first", "cisa-secure-by-design"},
        first={"cta", "tech-accord"},
        modelled_on="Cisco Systems, Inc.",
        # Its main line is networking, but its threat-research arm produces intelligence at
        # volume and it co-founded the Cyber Threat Alliance: the model must see security as
        # one of its lines (issue 27, 5).
        why="CTA founder whose main line is networking: the CTA comes first",
    ),
    company(
        "US cloud and network services company modelled on Cloudflare, 4,000 staff",
        "cloud_hosting",
        "large",
        "US",
        {"US", "GB", "DE", "PT", "SG", "AU", "JP"},
        "PRO-01 technology | PRO-10 yes | "
        "PRO-08 finance government | PRO-03 national | PRO-04 supplier | "
        "PRO-05 yes | PRO-06 essential | PRO-07 ict_provider | "
        "THR-01 repeated | THR-02 many | THR-03 crown | THR-04 broad | THR-05 specific | "
        "THR-06 sustained | " + LARGE_CONTRIBUTOR + " | "
        "SHR-01 standing | SHR-02 iocs ttps reports detections | SHR-03 open | "
        "SHR-04 automated | SHR-05 enforced | SHR-06 weekly | "
        "RSK-01 keen | RSK-02 principled | RSK-03 transparent | RSK-04 adaptive | "
        "RSK-05 vdp annual_report pledge transparency policy | "
        "GEO-01 small | GEO-02 commercial | GEO-03 global | GEO-04 both_sides | "
        "GEO-05 happened",
        ("both", "contribute", "signatory"),
        bodies={"cisa-secure-by-design"},
        first={"tech-accord"},
        modelled_on="Cloudflare, Inc.",
        # A maker of cloud services and SaaS that signed CISA's Secure by Design Pledge on the
        # day it opened: the product-security pledge written for its kind of company. It was
        # also a launch signatory of the Tech Accord, which as a security vendor that shares
        # threat data it suits a little better (engine merge, issue 27: one pledge card
        # leads; the Secure by Design Pledge is named under "Also open to you").
        why="SaaS and cloud maker that signed the Secure by Design Pledge",
    ),
    company(
        "Large US bank with operations in a dozen countries, 300,000 staff",
        "financial_services",
        "enterprise",
        "US",
        {"US", "GB", "DE", "FR", "IE", "LU", "CH", "AU", "KR", "JP", "SG", "IN"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 national | PRO-04 several | PRO-05 yes | PRO-06 essential | "
        "PRO-07 yes | THR-01 repeated | THR-02 some | THR-03 crown | THR-04 limited | "
        "THR-05 specific | THR-06 sustained | " + LARGE_CONTRIBUTOR + " | "
        "SHR-01 standing | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 enforced | SHR-06 weekly | "
        "RSK-01 cautious | RSK-02 avoid | RSK-03 required | RSK-04 adaptive | "
        "RSK-05 annual_report | "
        "GEO-01 small | GEO-02 no | GEO-03 several | GEO-04 customers | GEO-05 possible",
        ("operational", "contribute", None),
        first={"fs-isac"},
        # The bank saw Australian, German and Korean programmes first and FS-ISAC far
        # down the list: a national scheme of a country where it only operates is not a first
        # card, and closed EU financial bodies are not for it.
        not_first={"au-acsc-partnership", "au-ctis", "de-acs", "kr-c-tas"},
        not_bodies={"ciisi-eu"},
        modelled_on="a large US bank (no named bank's membership confirmed)",
        why="systemic US bank: FS-ISAC first, as its regulators expect",
    ),
    company(
        "Dutch drinking-water company modelled on Waternet, 1,800 staff",
        "water",
        "large",
        "NL",
        {"NL"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 sector | PRO-04 one_country | PRO-05 yes | PRO-06 essential | "
        "PRO-07 no | THR-01 suspected | THR-02 few | THR-03 some | THR-04 no | "
        "THR-05 specific | THR-06 sustained | "
        "CAP-01 small | CAP-02 hours | CAP-03 edr siem | CAP-04 team | CAP-05 none | "
        "CAP-06 triage | CAP-07 tier2 | CAP-08 medium | "
        "SHR-01 case | SHR-02 iocs | SHR-03 closed | SHR-04 manual | SHR-05 few | "
        "SHR-06 occasional | "
        "RSK-01 cautious | RSK-02 avoid | RSK-03 required | RSK-04 informed | RSK-05 none | "
        "GEO-01 small | GEO-02 no | GEO-03 one | GEO-04 no | GEO-05 unlikely",
        ("operational", "receive", None),
        first={"nl-ncsc-isacs"},
        # The Digital Trust Center serves businesses outside the vital sectors; a designated
        # drinking-water operator belongs in the NCSC-facilitated water ISAC even as a
        # newcomer (issue 27, 3).
        not_bodies={"nl-digital-trust-center"},
        modelled_on="Waternet (Amsterdam)",
        why="designated water operator, thin team: the water ISAC first, not the DTC",
    ),
    company(
        "Ireland's national health service modelled on the HSE, 130,000 staff",
        "healthcare",
        "enterprise",
        "IE",
        {"IE"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 national | PRO-04 one_country | PRO-05 yes | PRO-06 essential | "
        "PRO-07 no | THR-01 confirmed | THR-02 few | THR-03 crown | THR-04 no | "
        "THR-05 specific | THR-06 hit | "
        "CAP-01 medium | CAP-02 247 | CAP-03 edr siem | CAP-04 team | CAP-05 one | "
        "CAP-06 triage | CAP-07 tier2 | CAP-08 medium | "
        "SHR-01 case | SHR-02 iocs ttps | SHR-03 closed | SHR-04 manual | SHR-05 few | "
        "SHR-06 occasional | "
        "RSK-01 cautious | RSK-02 avoid | RSK-03 required | RSK-04 informed | RSK-05 none | "
        "GEO-01 large | GEO-02 no | GEO-03 one | GEO-04 no | GEO-05 unlikely",
        ("operational", "receive", None),
        first={"ie-cyber-core"},
        modelled_on="Health Service Executive (HSE), Ireland",
        # It takes part in NCSC Ireland's health CORE: a receive-only result must still name
        # the Irish body a newcomer starts with (issue 27, 3).
        why="national health service after Conti: receive, starting with the health CORE",
    ),
    company(
        "German insurer modelled on Allianz, 150,000 staff",
        "financial_services",
        "enterprise",
        "DE",
        {"DE", "FR", "IT", "ES", "GB", "CH", "US", "AU"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 national | PRO-04 several | PRO-05 yes | PRO-06 out | "
        "PRO-07 yes | THR-01 repeated | THR-02 some | THR-03 crown | THR-04 limited | "
        "THR-05 specific | THR-06 sustained | " + LARGE_CONTRIBUTOR + " | "
        "SHR-01 standing | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 enforced | SHR-06 monthly | "
        "RSK-01 open | RSK-02 collective | RSK-03 proactive | RSK-04 adaptive | "
        "RSK-05 vdp annual_report pledge | "
        "GEO-01 small | GEO-02 no | GEO-03 several | GEO-04 customers | GEO-05 possible",
        ("both", "contribute", "signatory"),
        first={"charter-of-trust", "fs-isac"},
        not_bodies={"ciisi-eu", "european-fi-isac"},
        modelled_on="Allianz SE",
        # A founding partner of the Charter of Trust that is neither industrial nor a tech
        # vendor: the charter admits companies of any sector. FS-ISAC admits insurers; CIISI-EU
        # and the European FI-ISAC take no single insurer directly.
        why="insurer among the Charter of Trust's founders: contributes and signs",
    ),
    company(
        "German automotive and industrial supplier modelled on Bosch, 400,000 staff",
        "automotive",
        "enterprise",
        "DE",
        {"DE", "US", "CN", "JP", "IN", "HU", "CZ", "MX"},
        "PRO-01 industrial | PRO-10 no | "
        "PRO-08 automotive energy | PRO-03 sector | PRO-04 supplier | "
        "PRO-05 yes | PRO-06 important | PRO-07 no | "
        "THR-01 confirmed | THR-02 many | THR-03 crown | THR-04 broad | THR-05 specific | "
        "THR-06 sustained | "
        "CAP-01 large | CAP-02 hunting | CAP-03 edr siem tip misp_taxii | CAP-04 csirt | "
        "CAP-05 two | CAP-06 automated | CAP-07 tier3 | CAP-08 xlarge | "
        "SHR-01 policy | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 enforced | SHR-06 monthly | "
        "RSK-01 open | RSK-02 collective | RSK-03 proactive | RSK-04 repeatable | "
        "RSK-05 vdp annual_report pledge | "
        "GEO-01 small | GEO-02 commercial | GEO-03 global | GEO-04 presence | GEO-05 possible",
        ("both", "contribute", "signatory"),
        first={"charter-of-trust", "auto-isac"},
        modelled_on="Robert Bosch GmbH",
        why="Charter of Trust member and tier-1 supplier: Auto-ISAC and the charter first",
    ),
    # Archetypes from the failing cases (no real organisation's memberships used).
    company(
        "French insurer designated critical and NIS2-essential, 20,000 staff",
        "financial_services",
        "enterprise",
        "FR",
        {"FR", "BE", "DE", "IT", "ES", "GB", "CH"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 national | PRO-04 one_country | PRO-05 yes | PRO-06 essential | "
        "PRO-07 yes | THR-01 confirmed | THR-02 some | THR-03 crown | THR-04 limited | "
        "THR-05 specific | THR-06 sustained | "
        "CAP-01 medium | CAP-02 247 | CAP-03 edr siem tip | CAP-04 csirt | CAP-05 two | "
        "CAP-06 triage | CAP-07 tier3 | CAP-08 large | "
        "SHR-01 policy | SHR-02 iocs ttps reports | SHR-03 closed | SHR-04 documented | "
        "SHR-05 rules | SHR-06 monthly | "
        "RSK-01 cautious | RSK-02 avoid | RSK-03 required | RSK-04 repeatable | RSK-05 vdp | "
        "GEO-01 small | GEO-02 no | GEO-03 few | GEO-04 no | GEO-05 unlikely",
        ("operational", "contribute", None),
        first={"fs-isac", "fr-intercert"},
        # Each of these says on its own card that this insurer cannot join (issue 27, 1).
        not_bodies={"ciisi-eu", "fr-cybermalveillance", "european-fi-isac"},
        why="designated insurer with a CSIRT: FS-ISAC and InterCERT, none it cannot join",
    ),
    company(
        "US community hospital with a managed SOC, 2,000 staff",
        "healthcare",
        "large",
        "US",
        {"US"},
        "PRO-01 user | PRO-10 no | "
        "PRO-03 customers | PRO-04 no | " + NOT_EU + " | "
        "THR-01 suspected | THR-02 few | THR-03 some | THR-04 no | THR-05 specific | "
        "THR-06 sustained | "
        "CAP-01 small | CAP-02 247 | CAP-03 edr siem | CAP-04 retainer | CAP-06 forward | "
        "CAP-07 tier2 | CAP-08 small | "
        "SHR-01 case | SHR-02 iocs | SHR-03 anonymous | SHR-04 manual | SHR-05 few | "
        "SHR-06 receive | "
        "RSK-01 cautious | RSK-02 avoid | RSK-03 required | RSK-04 informed | RSK-05 none | "
        "GEO-01 medium | GEO-02 no | GEO-03 one | GEO-04 no | GEO-05 unlikely",
        ("operational", "receive", None),
        first={"health-isac"},
        # Two security staff, EDR and SIEM watched around the clock by a managed provider,
        # alerts read by people, ransomware aimed at hospitals: capacity bought from a
        # provider counts, and sector campaigns make Health-ISAC's warnings pay off at once
        # (issue 27, 5).
        why="two staff plus an MDR under sector ransomware: receive Health-ISAC",
    ),
]
