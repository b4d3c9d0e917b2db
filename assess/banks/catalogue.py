"""The alliance catalogue as a JSON document (assess/data/FORMAT.md): every check with its
path. Loading it into the database is `store.catalogue_load`."""

import datetime

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
    "sources",
    "secondary_sources",
)
CATALOGUE_TEXTS = ("summary", "eligibility", "cost", "commitments", "url", "confidence")


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
        if not isinstance(a.get("suppliers", False), bool):
            problems.append(f"{p}.suppliers: expected true or false")
        if _is_string_list(a.get("sectors", [])) and (
            bad := sorted(set(a.get("sectors", [])) - sectors)
        ):
            problems.append(f"{p}.sectors: unknown sectors {bad}")
        if "translations" in a:
            problems += i18n.translations_problems(a["translations"], i18n.ALLIANCE_FIELDS, p)
        try:
            datetime.date.fromisoformat(a.get("facts_as_of", ""))
        except (TypeError, ValueError):
            problems.append(f"{p}.facts_as_of: expected a date YYYY-MM-DD")
    return problems


ALLIANCE_FIELDS = ("name", "kind", "track", "suppliers", *CATALOGUE_TEXTS, *CATALOGUE_LISTS)
