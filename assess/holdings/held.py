"""Reads of the memberships held, made before rendering and passed in (no template tag
queries): the rows the result page, the report and the dashboard compare, the controls in the
reader's language, the key they give the stored PDF, and the portfolio's renewals."""

import datetime
import hashlib
import json

from django.utils import timezone

from assess import translations as i18n
from assess.holdings.controls import TEXT_FIELDS
from assess.models import Control, Holding, Organization

TRACK_OF_DEPTH = {
    "receive": "operational",
    "contribute": "operational",
    "supporter": "normative",
    "signatory": "normative",
}


def row(h):
    """One membership as the pages show it: plain values, nothing that queries."""
    in_catalogue = h.alliance is not None
    track = h.alliance.track if in_catalogue else TRACK_OF_DEPTH.get(h.depth, "")
    return {
        "pk": h.pk,
        "name": h.body_name,
        "slug": h.alliance.slug if in_catalogue else "",
        "track": track if track in ("operational", "normative") else TRACK_OF_DEPTH[h.depth],
        "depth": h.depth,
        "depth_label": h.get_depth_display(),
        "tier": h.tier,
        "cost": h.annual_cost,
        "currency": h.currency,
        "since": h.since,
        "renewal_date": h.renewal_date,
        "owner_role": h.owner_role,
        "contribution": h.contribution,
        "notes": h.notes,
        "retired": in_catalogue and not h.alliance.active,
        "in_catalogue": in_catalogue,
    }


def rows(org):
    """The organisation's memberships, one query."""
    return [row(h) for h in Holding.objects.filter(organization=org).select_related("alliance")]


def shown_controls(lang=None):
    """The active controls, their texts in `lang` (the active language by default)."""
    lang = lang or i18n.current()
    return [
        {
            "key": c.key,
            "framework": c.framework,
            "reference": c.reference,
            **{f: i18n.pick(getattr(c, f), c.translations, f, lang) for f in TEXT_FIELDS},
            "sectors": c.sectors,
            "countries": c.countries,
            "met_by": c.met_by,
            "source": c.source,
            "source_as_of": c.source_as_of,
        }
        for c in Control.objects.filter(active=True)
    ]


def for_report(assessment):
    """What the report shows beside the frozen result from live data: the memberships held
    and the controls mapping."""
    return {"holdings": rows(assessment.organization), "controls": shown_controls()}


def fingerprint(assessment):
    """What of the memberships and controls a report would show now, for its stored PDF's
    key: a change to either renders it again ("" for an assessment of no organisation yet)."""
    if getattr(assessment, "organization_id", None) is None:
        return ""
    held = Holding.objects.filter(organization_id=assessment.organization_id).values_list(
        "pk", "updated"
    )
    controls = [c.document() | {"active": c.active} for c in Control.objects.all()]
    payload = json.dumps(
        [[pk, when.isoformat()] for pk, when in held] + controls, sort_keys=True, default=str
    )
    return hashlib.sha256(payload.encode()).hexdigest()


RENEWALS_AHEAD = 90  # days the portfolio looks ahead


def renewals_due(user, *, today=None, days=RENEWALS_AHEAD):
    """Renewals due within `days` across the user's organisations (a consultant's clients),
    soonest first, one query."""
    today = today or timezone.localdate()
    orgs = Organization.objects.for_user(user)
    due = (
        Holding.objects.filter(
            organization__in=orgs,
            renewal_date__gte=today,
            renewal_date__lte=today + datetime.timedelta(days=days),
        )
        .select_related("organization", "alliance")
        .order_by("renewal_date", "organization__name", "body_name")
    )
    return [dict(row(h), org=h.organization, days_left=(h.renewal_date - today).days) for h in due]
