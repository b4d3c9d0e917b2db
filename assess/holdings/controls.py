"""The controls an auditor asks about that alliance membership speaks to (controls.json in
assess/data, FORMAT.md): every check with its path, loading them, and which of them apply to
an organisation and are met by what it holds or is recommended.

`controls_problems` runs at import (`load_defaults`) and on an entry saved in the admin
(`Control.clean`), as the catalogue's checks do; `mapped` is PURE."""

import datetime
from urllib.parse import urlsplit

from django.db import transaction

from assess import translations as i18n
from assess.banks.format import TRACKS, BankError

CONTROLS_FORMAT = "alliance-readiness-controls"
CONTROLS_VERSION = 1
TEXT_FIELDS = ("title", "summary", "evidence")
DEPTHS = {d for depths in TRACKS.values() for d in depths if d}


def _strings(value):
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def control_problems(c, p):
    """The problems of one control entry, each with its path `p`."""
    from assess.models import SECTORS

    if not isinstance(c, dict):
        return [f"{p}: expected an object"]
    problems = []
    for key in ("key", "framework", "reference", "title", "summary", "evidence", "source"):
        if not isinstance(c.get(key), str) or not c.get(key, "").strip():
            problems.append(f"{p}.{key}: expected a non-empty string")
    source = c.get("source") if isinstance(c.get("source"), str) else ""
    if source and urlsplit(source).scheme != "https":
        problems.append(f"{p}.source: expected an https address of the primary source")
    try:
        datetime.date.fromisoformat(c.get("source_as_of") or "")
    except (TypeError, ValueError):
        problems.append(f"{p}.source_as_of: expected a date YYYY-MM-DD")
    for key in ("sectors", "countries"):
        if not (c.get(key, []) == [] or _strings(c.get(key))):
            problems.append(f"{p}.{key}: expected a list of strings")
    sectors = {code for code, _label in SECTORS}
    if _strings(c.get("sectors")) and (bad := sorted(set(c["sectors"]) - sectors)):
        problems.append(f"{p}.sectors: unknown sectors {bad}")
    if _strings(c.get("countries")) and (
        bad := sorted(x for x in c["countries"] if len(x) != 2 or not x.isupper())
    ):
        problems.append(f"{p}.countries: expected two-letter country codes, not {bad}")
    met = c.get("met_by")
    if (
        not isinstance(met, dict)
        or not _strings(met.get("tracks"))
        or not _strings(met.get("depths"))
    ):
        problems.append(f'{p}.met_by: expected {{"tracks": [...], "depths": [...]}}')
    else:
        if bad := sorted(set(met["tracks"]) - {"operational", "normative"}):
            problems.append(f"{p}.met_by.tracks: unknown tracks {bad}")
        if bad := sorted(set(met["depths"]) - DEPTHS):
            problems.append(f"{p}.met_by.depths: unknown depths {bad}")
        elif not any(d in TRACKS.get(t, ()) for t in met["tracks"] for d in met["depths"]):
            problems.append(f"{p}.met_by: no depth fits the tracks")
    if not isinstance(c.get("order", 0), int) or isinstance(c.get("order", 0), bool):
        problems.append(f"{p}.order: expected a whole number")
    if c.get("translations"):
        problems += i18n.translations_problems(c["translations"], TEXT_FIELDS, p)
    return problems


def controls_problems(data):
    """Every problem of a controls document, each with its path; [] when it can be loaded."""
    if not isinstance(data, dict) or data.get("format") != CONTROLS_FORMAT:
        return [f'format: expected "{CONTROLS_FORMAT}"']
    if data.get("format_version") != CONTROLS_VERSION:
        return [f"format_version: expected {CONTROLS_VERSION}"]
    if not isinstance(data.get("controls"), list) or not data["controls"]:
        return ["controls: expected a non-empty list"]
    problems, keys = [], set()
    for i, c in enumerate(data["controls"]):
        p = f"controls[{i}]"
        problems += control_problems(c, p)
        if isinstance(c, dict):
            if c.get("key") in keys:
                problems.append(f'{p}.key: duplicate key "{c.get("key")}"')
            keys.add(c.get("key"))
    return problems


FIELDS = ("framework", "reference", "title", "summary", "evidence", "sectors", "countries")


@transaction.atomic
def controls_load(data):
    """Create the controls the database lacks; one an editor changed in the admin is kept.
    Returns how many were added. Raises BankError with every problem, loading nothing."""
    from assess.models import Control

    problems = controls_problems(data)
    if problems:
        raise BankError(problems)
    created = 0
    for c in data["controls"]:
        if Control.objects.filter(key=c["key"]).exists():
            continue
        Control.objects.create(
            key=c["key"],
            met_by=c["met_by"],
            source=c["source"],
            source_as_of=datetime.date.fromisoformat(c["source_as_of"]),
            order=c.get("order", 0),
            translations=c.get("translations", {}),
            **{f: c.get(f, []) if f in ("sectors", "countries") else c[f] for f in FIELDS},
        )
        created += 1
    return created


# --- Which apply, and what meets them (PURE) --------------------------------------------


def applies(control, *, sector, countries):
    """Whether the control concerns an organisation of this sector and these countries."""
    if control["sectors"] and sector not in control["sectors"]:
        return False
    return not control["countries"] or bool(set(control["countries"]) & set(countries))


def mapped(controls, *, sector, countries, held, recommended_depths):
    """The controls that apply, each with what answers it: the held bodies that meet it and
    whether the recommendation would. `controls`: dicts of the texts in the reader's language
    (`shown_controls`); `held`: the held rows (`held.rows`); `recommended_depths`: the
    recommendation's depth per track ({"operational": "receive", ...})."""
    rows = []
    for c in controls:
        if not applies(c, sector=sector, countries=countries):
            continue
        met = c["met_by"]
        by = [
            h["name"] for h in held if h["track"] in met["tracks"] and h["depth"] in met["depths"]
        ]
        would = any(recommended_depths.get(t) in met["depths"] for t in met["tracks"])
        rows.append(
            dict(c, held_by=by, status="held" if by else ("recommended" if would else "open"))
        )
    return rows
