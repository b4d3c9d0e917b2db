"""Matching the alliance catalogue to the organisation: sector (or the sectors it supplies),
country (headquarters and countries of operation), size and what the answers show."""

from __future__ import annotations

from django.utils.translation import gettext as _

SUPPLIES_PREFIX = "serves_"


def _sector_match(alliance, profile, tags):
    """'own' when the organisation is in one of the entry's sectors, 'supplier' when it
    supplies one and the body admits suppliers, None when neither."""
    if not alliance.sectors or profile.sector in alliance.sectors:
        return "own"
    if alliance.suppliers and any(f"{SUPPLIES_PREFIX}{s}" in tags for s in alliance.sectors):
        return "supplier"
    return None


def eligible(alliance, profile, tags):
    """Whether the organisation meets the entry's sector, country, size and tag rules."""
    if _sector_match(alliance, profile, tags) is None:
        return False
    if alliance.countries and not (alliance.countries & profile.all_countries):
        return False
    if alliance.size_bands and profile.size_band not in alliance.size_bands:
        return False
    if not alliance.requires_tags <= tags:
        return False
    if alliance.requires_any_tags and not (alliance.requires_any_tags & tags):
        return False
    return not (alliance.excludes_tags & tags)


def _level_fits(alliance, decision):
    if alliance.track == "operational":
        if decision.operational_depth is None:
            return False
        return alliance.level != "contribute" or decision.operational_depth == "contribute"
    if alliance.track == "normative":
        if decision.normative_depth is None:
            return False
        return alliance.level != "signatory" or decision.normative_depth == "signatory"
    return True


def _why(alliance, profile, tags):
    why = []
    match = _sector_match(alliance, profile, tags)
    if alliance.sectors:
        why.append(
            _("open to your sector") if match == "own" else _("open to suppliers of its sector")
        )
    if alliance.countries:
        where = sorted(alliance.countries & profile.all_countries)
        why.append(_("covers %(countries)s") % {"countries": ", ".join(where)})
    if alliance.size_bands:
        why.append(_("meant for organisations of your size"))
    if alliance.requires_tags or alliance.requires_any_tags:
        why.append(_("your answers show what it asks of members"))
    if not why:
        why.append(_("open to organisations of any sector and country"))
    return why


def _alliance_dict(alliance, profile, tags, role):
    return {
        "slug": alliance.slug,
        "name": alliance.name,
        "kind": alliance.kind,
        "track": alliance.track,
        "level": alliance.level,
        "summary": alliance.summary,
        "eligibility": alliance.eligibility,
        "cost": alliance.cost,
        "commitments": alliance.commitments,
        "url": alliance.url,
        "facts_as_of": alliance.facts_as_of,
        "confidence": alliance.confidence,
        "sources": list(alliance.sources),
        "secondary_sources": list(alliance.secondary_sources),
        "role": role,
        "why": _why(alliance, profile, tags),
        # Bodies of the organisation's own sector or country come before general ones.
        "specific": bool(alliance.sectors or alliance.countries),
    }


def match_alliances(catalogue, decision, profile, tags):
    """(recommended, related): the entries to name, each with the facts of joining."""
    recommended, related = [], []
    for alliance in catalogue:
        if not eligible(alliance, profile, tags):
            continue
        if alliance.track == "related":
            related.append(_alliance_dict(alliance, profile, tags, "related"))
        elif _level_fits(alliance, decision):
            recommended.append(_alliance_dict(alliance, profile, tags, "recommended"))
        elif (
            decision.outcome == "hygiene_first"
            and alliance.track == "operational"
            and alliance.level == "receive"
            and not alliance.is_paid
        ):
            # Free, one-way sources are a sensible first step even before joining anything.
            recommended.append(_alliance_dict(alliance, profile, tags, "starting_point"))
    order = {"recommended": 0, "starting_point": 1, "operational": 0, "normative": 1}
    recommended.sort(
        key=lambda a: (order[a["role"]], order[a["track"]], not a["specific"], a["name"].lower())
    )
    related.sort(key=lambda a: a["name"].lower())
    return recommended, related
