"""PURE: the memberships held against the bodies a result recommends."""

from decimal import Decimal

GROUPS = ("next_step", "keep", "why_pay")


def _key(name):
    return " ".join(str(name).casefold().split())


def compare(*, named, featured, held):
    """{"next_step", "keep", "why_pay": rows; "totals": group -> [(currency, amount)]}.

    `named`: every body the frozen result names (snapshot dicts); `featured`: those it puts
    forward (`presenter.featured_alliances`); `held`: `held.rows`. A held body is kept when
    the result names it at all; a body put forward and not held is the next step; a held
    body the result does not name is one to question. Bodies are matched by catalogue slug,
    else by name."""
    alliances = named
    named = {a["slug"]: a for a in alliances}
    by_name = {_key(a["name"]): a for a in alliances}
    held_slugs, held_names = set(), set()
    keep, why_pay = [], []
    for h in held:
        match = named.get(h["slug"]) if h["slug"] else by_name.get(_key(h["name"]))
        if match is not None:
            held_slugs.add(match["slug"])
            keep.append(dict(h, recommended=match))
        else:
            why_pay.append(h)
        held_names.add(_key(h["name"]))
    next_step = [
        a for a in featured if a["slug"] not in held_slugs and _key(a["name"]) not in held_names
    ]
    return {
        "next_step": next_step,
        "keep": keep,
        "why_pay": why_pay,
        "totals": {"keep": totals(keep), "why_pay": totals(why_pay)},
    }


def totals(rows):
    """The yearly cost of the rows, one sum per currency (never converted), sorted by
    currency; rows without a cost are left out."""
    sums = {}
    for r in rows:
        if r.get("cost") is not None and r.get("currency"):
            sums[r["currency"]] = sums.get(r["currency"], Decimal(0)) + Decimal(r["cost"])
    return sorted(sums.items())
