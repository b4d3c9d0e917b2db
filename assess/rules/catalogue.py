"""Matching the alliance catalogue to the organisation: sector (or the sectors it supplies),
country (headquarters and countries of operation), size and what the answers show; who a
body does not admit (`EXCLUSIONS`); the pledges a gate or the result rules out one by one
(friction profiles); and the ranking that picks the first cards, each with why it is there.
docs/decision-model.md, "Which bodies, in which order", is the same in words."""

from __future__ import annotations

from django.utils.translation import gettext, gettext_noop
from django_countries import countries as country_names

SUPPLIES_PREFIX = "serves_"
# Tags most technology companies carry: matching on them alone says little about fit.
BROAD_TAGS = frozenset({"tech_company"})
# At most this many bodies are described in full, as the first cards; the result page, the
# PDF and the workshop report show the same ones (the snapshot marks them).
FIRST_CARDS = 5

# What a friction profile says a pledge binds a company to (FORMAT.md, `friction`).
FRICTION_FEATURES = (
    "state_behaviour",
    "no_offence",
    "collective_action",
    "product_security",
    "government_backed",
    "broad_statement",
)

# Who a body does not admit: code -> whether it excludes this organisation.
EXCLUSIONS = {
    "designated": lambda a, profile, tags: "critical_infrastructure" in tags,
    "national_member_only": lambda a, profile, tags: True,
    "regulator_only": lambda a, profile, tags: True,
    "government_only": lambda a, profile, tags: profile.sector != "government",
    "invitation_only": lambda a, profile, tags: True,
    "home_only": lambda a, profile, tags: (
        bool(a.countries) and profile.headquarters not in a.countries
    ),
}


EXCLUSION_REASONS = {
    "designated": gettext_noop(
        "It does not admit designated critical-infrastructure operators or essential "
        "entities, which your answers show you are: they deal with the national authority."
    ),
    "national_member_only": gettext_noop(
        "Its members are national representatives: a single organisation takes part "
        "through its country's representative, not directly."
    ),
    "regulator_only": gettext_noop(
        "Participants are onboarded or designated by an authority; there is no route to apply."
    ),
    "government_only": gettext_noop("Only government bodies can join."),
    "invitation_only": gettext_noop("It admits only organisations it invites."),
    "home_only": gettext_noop(
        "It admits only organisations headquartered in its countries, and yours is elsewhere."
    ),
}


WORDS = {
    "own_sector": gettext_noop("open to your sector"),
    "supplier_sector": gettext_noop("open to suppliers of its sector"),
    "size": gettext_noop("meant for organisations of your size"),
    "answers": gettext_noop("your answers show what it asks of members"),
    "any": gettext_noop("open to organisations of any sector and country"),
    "fit_own": gettext_noop("a body of your own sector"),
    "fit_supplier": gettext_noop("admits suppliers of the sectors you serve"),
    "fit_home": gettext_noop("covers your headquarters country (%(country)s)"),
    "fit_contribute": gettext_noop("a community of contributing members, at the depth recommended"),
    "fit_newcomer": gettext_noop("a newcomer can start by receiving"),
    "fit_pledge": gettext_noop("a pledge at the depth recommended"),
    "fit_product_pledge": gettext_noop(
        "a charter on how products are secured, which takes no position on state behaviour: "
        "your exposure carries a full member's role"
    ),
    "group_own": gettext_noop("Your sector"),
    "group_supplier": gettext_noop("The sectors you supply"),
    "group_regional": gettext_noop("Regional schemes"),
    "group_any": gettext_noop("Any sector and country"),
    "covers": gettext_noop("covers %(countries)s"),
}


class _Texts(dict):
    """Texts in the active language, each translated once per matching (a gettext call per
    card was most of the matching's time): `w[name]` for the WORDS, `w[msgid]` for others."""

    def __missing__(self, key):
        text = self[key] = gettext(WORDS.get(key, key))
        return text


class _Names(dict):
    """Country names in the active language, looked up once per matching."""

    def __missing__(self, code):
        name = self[code] = str(country_names.name(code) or code)
        return name


def _sector_match(alliance, profile, tags):
    """'own' when the organisation is in one of the entry's sectors, 'supplier' when it
    supplies one and the body admits suppliers, 'any' when the entry names no sector, None
    when neither."""
    if not alliance.sectors:
        return "any"
    if profile.sector in alliance.sectors:
        return "own"
    if alliance.suppliers and any(f"{SUPPLIES_PREFIX}{s}" in tags for s in alliance.sectors):
        return "supplier"
    return None


def _country_match(alliance, profile):
    """'home' when the entry covers the headquarters country, 'operating' when it covers only
    countries where the organisation operates, 'any' when it names no country, None when it
    covers none of them."""
    if not alliance.countries:
        return "any"
    if profile.headquarters and profile.headquarters in alliance.countries:
        return "home"
    if alliance.countries & profile.all_countries:
        return "operating" if profile.headquarters else "home"
    return None


def matches(alliance, profile, tags):
    """Whether the organisation meets the entry's sector, country, size and tag rules (not
    yet asking whom it excludes)."""
    if _sector_match(alliance, profile, tags) is None:
        return False
    if _country_match(alliance, profile) is None:
        return False
    if alliance.size_bands and profile.size_band not in alliance.size_bands:
        return False
    if not alliance.requires_tags <= tags:
        return False
    if alliance.requires_any_tags and not (alliance.requires_any_tags & tags):
        return False
    return not (alliance.excludes_tags & tags)


def excluded_by(alliance, profile, tags):
    """The codes of the entry's exclusions that apply to this organisation."""
    return sorted(
        code
        for code in alliance.exclusions
        if EXCLUSIONS.get(code, _never)(alliance, profile, tags)
    )


def _never(*_args):
    return False


def eligible(alliance, profile, tags):
    """Whether the organisation can join: it matches and no exclusion applies."""
    return matches(alliance, profile, tags) and not excluded_by(alliance, profile, tags)


def _level_fits(alliance, decision):
    """Whether the body fits the result's depth on its track, by what it asks of a
    newcomer."""
    level = alliance.entry_level
    if alliance.track == "operational":
        if decision.operational_depth is None:
            return False
        return level != "contribute" or decision.operational_depth == "contribute"
    if alliance.track == "normative":
        if decision.normative_depth is None:
            return False
        if decision.broad_only and "state_behaviour" in alliance.friction:
            return "broad_statement" in alliance.friction and level == "supporter"
        if level != "signatory" or decision.normative_depth == "signatory":
            return True
        # A charter on how products and supply chains are secured binds a full member to work
        # on its own products, not to a position a government reads: with the exposure a full
        # member needs, a supporter's appetite for public commitments carries it.
        return "state_behaviour" not in alliance.friction and decision.signatory_exposure
    return True


def pledge_gates(gates):
    return [g for g in gates if g.pledges_with and g.limits.get("normative")]


def gate_rules_out(gate, alliance):
    """Whether a pledge gate rules this body out: a normative body with one of its features
    and a level above the gate's cap."""
    if alliance.track != "normative" or not (gate.pledges_with & alliance.friction):
        return False
    cap = gate.limits["normative"]
    return cap == "none" or alliance.entry_level == "signatory"


def open_pledges(catalogue, profile, tags, gates):
    """The normative bodies the organisation can join that no pledge gate rules out."""
    per_body = pledge_gates(gates)
    return [
        a
        for a in catalogue
        if a.track == "normative"
        and eligible(a, profile, tags)
        and not any(gate_rules_out(g, a) for g in per_body)
    ]


def _why(alliance, profile, tags, w):
    why = []
    match = _sector_match(alliance, profile, tags)
    if alliance.sectors:
        why.append(w["own_sector"] if match == "own" else w["supplier_sector"])
    if alliance.countries:
        where = sorted(alliance.countries & profile.all_countries)
        why.append(w["covers"] % {"countries": ", ".join(where)})
    if alliance.size_bands:
        why.append(w["size"])
    if alliance.requires_tags or alliance.requires_any_tags:
        why.append(w["answers"])
    if not why:
        why.append(w["any"])
    return why


def _fit(alliance, profile, tags, decision, w, names):
    """(score, reasons): how well the body fits, higher first, and why in a reader's words.
    Own sector counts most, then the headquarters country, then the depth the result
    recommends; a body only of a country where the organisation operates comes last."""
    sector = _sector_match(alliance, profile, tags)
    country = _country_match(alliance, profile)
    score, why = 0, []
    if sector == "own":
        score += 10
        why.append(w["fit_own"])
    elif sector == "supplier":
        score += 3
        why.append(w["fit_supplier"])
    if country == "home" and alliance.countries:
        # A national scheme of the home country before a regional one.
        score += 3 if len(alliance.countries) <= 4 else 2
        if profile.headquarters:
            why.append(w["fit_home"] % {"country": names[profile.headquarters]})
        else:  # no headquarters recorded: its countries count as home, so name them
            where = sorted(alliance.countries & profile.all_countries)
            why.append(w["covers"] % {"countries": ", ".join(where)})
    elif country == "operating":
        score -= 20
    if alliance.track == "operational" and decision.operational_depth == "contribute":
        if alliance.level == "contribute":
            score += 3
            why.append(w["fit_contribute"])
    elif alliance.track == "operational" and alliance.entry_level == "receive":
        score += 1
        why.append(w["fit_newcomer"])
    if alliance.track == "normative":
        score += 2
        full_by_exposure = (
            alliance.entry_level == "signatory" and decision.normative_depth != "signatory"
        )
        why.append(w["fit_product_pledge" if full_by_exposure else "fit_pledge"])
        if "collective_action" in alliance.friction and decision.operational_depth == "contribute":
            # Its threat-sharing commitment is what a contributing member already does.
            score += 1
    named = alliance.requires_tags | alliance.requires_any_tags
    if named & tags:
        # What it names, shown by the answers: a specific trait (an industrial supplier, a
        # security vendor, an incident team) suits more than being a technology company.
        score += 2 if (named & tags) - BROAD_TAGS else 1
        why.append(w["answers"])
    if not why:
        why.append(w["any"])
    return score, why


def _group(alliance, profile, tags, w, names):
    """(order, label): where the body is listed under "Also open to you"."""
    sector = _sector_match(alliance, profile, tags)
    country = _country_match(alliance, profile)
    if sector == "own":
        return (0, ""), w["group_own"]
    if sector == "supplier":
        return (1, ""), w["group_supplier"]
    if country in ("home", "operating") and alliance.countries:
        if country == "home" and len(alliance.countries) > 4:
            return (2, "~"), w["group_regional"]
        codes = sorted(alliance.countries & profile.all_countries)
        name = names[
            profile.headquarters if country == "home" and profile.headquarters else codes[0]
        ]
        return (2 if country == "home" else 3, name), name
    return (4, ""), w["group_any"]


def _cautions(alliance, decision, tags, geo_high, w):
    """What to weigh before joining this body, from its profile and the answers."""
    out = []
    if (
        alliance.track == "operational"
        and alliance.level == "contribute"
        and alliance.entry_level == "receive"
        and decision.operational_depth == "receive"
    ):
        out.append(
            w[
                gettext_noop(
                    "Newcomers can start by receiving; established members are expected to bring "
                    "their own findings."
                )
            ]
        )
    if alliance.track != "normative":
        return out
    if "no_offence" in alliance.friction and "defence_contracts" in tags:
        out.append(
            w[
                gettext_noop(
                    "Its no-offence commitment (not to help governments attack citizens and "
                    "companies) sits awkwardly beside defence or security contracts: have legal "
                    "counsel read it against them before signing."
                )
            ]
        )
    if "collective_action" in alliance.friction:
        out.append(
            w[
                gettext_noop(
                    "Signatories commit to collective action, including threat sharing and "
                    "coordinated disclosure."
                )
            ]
        )
    if decision.broad_only and "state_behaviour" in alliance.friction:
        out.append(
            w[
                gettext_noop(
                    "Support it only as a broad statement alongside many peers: with your "
                    "geopolitical exposure, keep clear of commitments about state behaviour."
                )
            ]
        )
    elif "government_backed" in alliance.friction and geo_high:
        out.append(
            w[
                gettext_noop(
                    "Government bodies sponsor it or take part: other governments you deal with "
                    "may read support as taking a side."
                )
            ]
        )
    return out


def _alliance_dict(alliance, profile, tags, role, decision, geo_high, w, names):
    score, fit = _fit(alliance, profile, tags, decision, w, names)
    (order, key), group = _group(alliance, profile, tags, w, names)
    return {
        "slug": alliance.slug,
        "name": alliance.name,
        "kind": alliance.kind,
        "track": alliance.track,
        "level": alliance.level,
        "newcomer_level": alliance.entry_level,
        "summary": alliance.summary,
        "eligibility": alliance.eligibility,
        "cost": alliance.cost,
        "free": alliance.free,
        "commitments": alliance.commitments,
        "url": alliance.url,
        "facts_as_of": alliance.facts_as_of,
        "confidence": alliance.confidence,
        "sources": list(alliance.sources),
        "secondary_sources": list(alliance.secondary_sources),
        "role": role,
        "why": _why(alliance, profile, tags, w),
        "fit": fit,
        "score": score,
        "cautions": _cautions(alliance, decision, tags, geo_high, w),
        "group": group,
        "match": {
            "sector": _sector_match(alliance, profile, tags),
            "country": _country_match(alliance, profile),
        },
        "group_order": [order, key],
        "first": False,
        # Bodies of the organisation's own sector or country come before general ones.
        "specific": bool(alliance.sectors or alliance.countries),
    }


def _level_reason(alliance, decision, w):
    if alliance.track == "operational":
        if decision.operational_depth is None:
            return w[gettext_noop("Operational sharing is not recommended yet.")]
        return w[
            gettext_noop(
                "It asks new members to contribute intelligence; your result is receive-only."
            )
        ]
    if decision.normative_depth is None:
        if decision.normative_by_scores == "supporter" and alliance.entry_level == "signatory":
            return w[
                gettext_noop(
                    "It asks for a full signatory's commitments; your appetite for public "
                    "commitments supports a lighter role at most."
                )
            ]
        return w[gettext_noop("A public pledge is not recommended for now.")]
    if decision.broad_only and "state_behaviour" in alliance.friction:
        return w[
            gettext_noop(
                "With your geopolitical exposure, only a broad statement alongside many peers fits."
            )
        ]
    return w[
        gettext_noop("It asks for a full signatory's commitments; your result is a supporter role.")
    ]


SAME_KIND = 4
# A body open to anyone (not of the sector, not of the headquarters country, not a pledge)
# fills a first card only when something in the answers makes it fit this company: a
# contributing team for a contributors' forum, the tools or the incident team a community
# names. Fit below this is what any company would get; it waits under "Also open to you"
# rather than pushing a CISO towards a generic body (issue 27's weak fifth cards).
OPEN_FILL_MIN = 4
# When nothing fitting is left, a generic body still fills the cards up to this many (a
# reader is not left with one card when a second body is open to them), and all of them in a
# hygiene-first result, whose free starting points are generic by nature.
MIN_FIRST = 2


def _kind(card):
    if card["track"] == "normative":
        return "pledge"
    if card["match"]["sector"] in ("own", "supplier"):
        return "sector"
    if card["match"]["country"] == "home":
        return "country"
    return "any"


def _choose_first(recommended):
    """Mark the first cards: by fit, at most FIRST_CARDS, never a body only of a country
    where the organisation operates; the best pledge, the best contributing community and
    the best body of the headquarters country are among them when the result recommends
    them."""
    ranked = sorted(recommended, key=lambda a: (-a["score"], a["name"].lower()))
    candidates = [a for a in ranked if a["score"] >= 0 and a["role"] == "recommended"]
    if not candidates:  # hygiene first: the free starting points lead
        candidates = [a for a in ranked if a["score"] >= 0]
    first = []
    for wanted in (
        lambda a: a["match"]["sector"] == "own",
        lambda a: a["match"]["country"] == "home",
        lambda a: a["track"] == "normative",
        lambda a: a["track"] == "operational" and a["level"] == "contribute",
    ):
        best = next((a for a in candidates if wanted(a)), None)
        if best is not None and best not in first and not any(wanted(a) for a in first):
            first.append(best)
    # The other cards by fit, each kind of card (the sector's bodies, the country's, the
    # communities open to all, the pledges) counting less for each of its kind already
    # chosen: five bodies of one sector would hide what else fits.
    hygiene = all(a["role"] != "recommended" for a in candidates)
    while len(first) < FIRST_CARDS:
        left = [a for a in candidates if a not in first]
        fitting = [a for a in left if _kind(a) != "any" or a["score"] >= OPEN_FILL_MIN]
        if fitting or not (hygiene or len(first) < MIN_FIRST):
            left = fitting
        if not left:
            break
        taken = [_kind(a) for a in first]
        first.append(max(left, key=lambda a: a["score"] - SAME_KIND * taken.count(_kind(a))))
    first = first[:FIRST_CARDS]
    chosen = {id(a) for a in first}
    for a in first:
        a["first"] = True
    rest = [a for a in ranked if id(a) not in chosen]
    rest.sort(key=lambda a: (a["group_order"], a["track"] != "operational", a["name"].lower()))
    first.sort(key=lambda a: (-a["score"], a["name"].lower()))
    return first + rest


def match_alliances(catalogue, decision, profile, tags, gates=(), *, geo_high=False):
    """(recommended, related, excluded): the entries to name, each with the facts of joining,
    the first cards marked and ranked by fit; and the bodies that would match but are not
    named, each with the reason."""
    recommended, related, excluded = [], [], []
    per_body = pledge_gates(gates)
    w, names = _Texts(), _Names()
    for alliance in catalogue:
        if not matches(alliance, profile, tags):
            continue
        why_not = [w[EXCLUSION_REASONS[c]] for c in excluded_by(alliance, profile, tags)]
        if not why_not:
            why_not = [g.text for g in per_body if gate_rules_out(g, alliance)]
        if why_not:
            if alliance.track != "related":
                excluded.append({"slug": alliance.slug, "name": alliance.name, "reasons": why_not})
            continue
        if alliance.track == "related":
            related.append(
                _alliance_dict(alliance, profile, tags, "related", decision, geo_high, w, names)
            )
        elif _level_fits(alliance, decision):
            recommended.append(
                _alliance_dict(alliance, profile, tags, "recommended", decision, geo_high, w, names)
            )
        elif (
            decision.outcome == "hygiene_first"
            and alliance.track == "operational"
            and alliance.entry_level == "receive"
            and alliance.free
            and not alliance.is_paid
        ):
            # Free, one-way sources are a sensible first step even before joining anything;
            # a body whose cost is not stated is not called free.
            recommended.append(
                _alliance_dict(
                    alliance, profile, tags, "starting_point", decision, geo_high, w, names
                )
            )
        elif (alliance.track == "operational" and decision.operational_depth) or (
            alliance.track == "normative"
            and (decision.normative_depth or decision.normative_by_scores)
        ):
            excluded.append(
                {
                    "slug": alliance.slug,
                    "name": alliance.name,
                    "reasons": [_level_reason(alliance, decision, w)],
                }
            )
    related.sort(key=lambda a: a["name"].lower())
    excluded.sort(key=lambda a: a["name"].lower())
    return _choose_first(recommended), related, excluded
