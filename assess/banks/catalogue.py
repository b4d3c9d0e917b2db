"""The alliance catalogue as a JSON document (assess/data/FORMAT.md): every check with its
path. Loading it into the database is `store.catalogue_load`."""

import datetime

from assess import rules
from assess import translations as i18n
from assess.banks.format import (
    CATALOGUE_FORMAT,
    FORMAT_VERSION,
    READABLE_VERSIONS,
    TRACKS,
    _is_string_list,
)
from assess.models import SECTORS, Alliance

CATALOGUE_LISTS = (
    "sectors",
    "countries",
    "size_bands",
    "requires_tags",
    "requires_any_tags",
    "excludes_tags",
    "exclusions",
    "sources",
    "secondary_sources",
)
CATALOGUE_TEXTS = ("summary", "eligibility", "cost", "commitments", "url", "confidence")
TAG_LISTS = ("requires_tags", "requires_any_tags", "excludes_tags")
# The tags answers can carry (FORMAT.md, "Vocabularies"); `serves_<sector>` for each sector.
KNOWN_TAGS = frozenset(
    {
        "security_vendor",
        "produces_intel",
        "tech_company",
        "industrial_supply_chain",
        "critical_infrastructure",
        "has_irt",
        "has_peer_sponsors",
        "automation_ready",
        "no_membership_budget",
        "nis2_in_scope",
        "dora_in_scope",
        "government_customers",
        "defence_contracts",
        "sector_targeted",
        "mode_aviation",
        "mode_maritime",
        "mode_rail",
        "mode_road",
        "mode_space",
    }
)
LEVEL_ORDER = {"operational": ("receive", "contribute"), "normative": ("supporter", "signatory")}


def _known_tag(tag, sectors):
    return tag in KNOWN_TAGS or (
        tag.startswith("serves_") and tag.removeprefix("serves_") in sectors
    )


def _fit_problems(a, p, sectors):
    """Problems with the fields matching applies: tags, exclusions, the newcomer level and
    a pledge's friction profile (FORMAT.md)."""
    problems = []
    for key in TAG_LISTS:
        tags = a.get(key, [])
        if _is_string_list(tags) and (bad := sorted(t for t in tags if not _known_tag(t, sectors))):
            problems.append(f"{p}.{key}: unknown tags {bad}")
    if "exclusions" not in a:
        problems.append(f"{p}.exclusions: missing (a list, empty when the body excludes no one)")
    elif _is_string_list(a["exclusions"]) and (
        bad := sorted(set(a["exclusions"]) - set(rules.EXCLUSIONS))
    ):
        problems.append(
            f"{p}.exclusions: unknown exclusions {bad}, expected some of {sorted(rules.EXCLUSIONS)}"
        )
    track, level = a.get("track"), a.get("level")
    if "newcomer_level" not in a:
        problems.append(f"{p}.newcomer_level: missing (what the body asks of a newcomer)")
    elif (newcomer := a["newcomer_level"]) not in TRACKS.get(track, ()):
        problems.append(f"{p}.newcomer_level: {newcomer!r} does not fit track {track!r}")
    elif track in LEVEL_ORDER and level in LEVEL_ORDER[track]:
        order = LEVEL_ORDER[track]
        if order.index(newcomer) > order.index(level):
            problems.append(
                f"{p}.newcomer_level: a newcomer cannot be asked for more ({newcomer!r}) than "
                f"members are over time ({level!r})"
            )
    friction = a.get("friction")
    if track == "normative":
        if not isinstance(friction, dict):
            problems.append(
                f"{p}.friction: missing; a normative body needs its friction profile "
                f"({', '.join(rules.FRICTION_FEATURES)})"
            )
        else:
            if missing := [f for f in rules.FRICTION_FEATURES if f not in friction]:
                problems.append(f"{p}.friction: missing {missing}")
            if unknown := sorted(set(friction) - set(rules.FRICTION_FEATURES)):
                problems.append(f"{p}.friction: unknown features {unknown}")
            if [k for k, v in friction.items() if not isinstance(v, bool)]:
                problems.append(f"{p}.friction: expected true or false for each feature")
    elif friction is not None:
        problems.append(f"{p}.friction: only a normative body has a friction profile")
    return problems


def catalogue_problems(data):
    if not isinstance(data, dict) or data.get("format") != CATALOGUE_FORMAT:
        return [f'format: expected "{CATALOGUE_FORMAT}"']
    if data.get("format_version") not in READABLE_VERSIONS:
        return [f"format_version: expected {FORMAT_VERSION}"]
    sectors = {code for code, _label in SECTORS}
    problems, slugs = [], set()
    if not _is_string_list(data.get("retired", [])):
        problems.append("retired: expected a list of slugs")
    for i, a in enumerate(data.get("alliances") or []):
        p = f"alliances[{i}]"
        if not isinstance(a, dict):
            problems.append(f"{p}: expected an object")
            continue
        for key in ("slug", "name", "kind", "track", "facts_as_of"):
            if not isinstance(a.get(key), str) or not a.get(key):
                problems.append(f"{p}.{key}: expected a non-empty string")
        if a.get("slug") in slugs:
            problems.append(f'{p}.slug: duplicate slug "{a.get("slug")}"')
        slugs.add(a.get("slug"))
        if a.get("kind") not in Alliance.Kind.values:
            problems.append(f"{p}.kind: expected one of {Alliance.Kind.values}")
        if a.get("level") not in TRACKS.get(a.get("track"), ()):
            problems.append(f"{p}.level: {a.get('level')!r} does not fit track {a.get('track')!r}")
        for key in CATALOGUE_LISTS:
            if not _is_string_list(a.get(key, [])):
                problems.append(f"{p}.{key}: expected a list of strings")
        for key in CATALOGUE_TEXTS:
            if not isinstance(a.get(key, ""), str):
                problems.append(f"{p}.{key}: expected a string")
        for key in ("suppliers", "free"):
            if not isinstance(a.get(key, False), bool):
                problems.append(f"{p}.{key}: expected true or false")
        if _is_string_list(a.get("sectors", [])) and (
            bad := sorted(set(a.get("sectors", [])) - sectors)
        ):
            problems.append(f"{p}.sectors: unknown sectors {bad}")
        problems += _fit_problems(a, p, sectors)
        if "translations" in a:
            problems += i18n.translations_problems(
                a["translations"], (*i18n.ALLIANCE_NAME_FIELDS, *i18n.ALLIANCE_FIELDS), p
            )
        try:
            datetime.date.fromisoformat(a.get("facts_as_of", ""))
        except (TypeError, ValueError):
            problems.append(f"{p}.facts_as_of: expected a date YYYY-MM-DD")
    return problems


ALLIANCE_FIELDS = (
    "name",
    "kind",
    "track",
    "suppliers",
    "free",
    *CATALOGUE_TEXTS,
    *CATALOGUE_LISTS,
)
# Matching data filled in on an installation that loaded the catalogue before it existed.
FIT_FIELDS = ("newcomer_level", "exclusions", "friction")
