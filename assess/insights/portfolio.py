"""A consultant's portfolio: every organisation the user belongs to, with its latest result
and open workshops, filtered and sorted as the page's GET parameters ask.

Three queries whatever the number of clients: the memberships with their organisations and
latest results, the open workshops, and those workshops' participants."""

import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django_countries import countries

from assess import vocabulary
from assess.models import SECTORS, Membership, Participant, Section, Workshop
from assess.report.exports import csv_safe
from assess.report.presenter import recommendation_label

SORTS = ("name", "sector", "country", "outcome", "date")
NO_RESULT = "none"


@dataclass
class Client:
    org: object
    role: str
    latest: object  # LatestResult or None
    stale: bool
    outcome_label: str = ""
    sector_label: str = ""
    headquarters_name: str = ""
    country_codes: frozenset = frozenset()
    workshops: list = field(default_factory=list)

    @property
    def outcome(self):
        return self.latest.outcome if self.latest else NO_RESULT


def _outcome_label(latest):
    """The latest result's recommendation with its depth, as the result page names it."""
    return recommendation_label(latest) if latest else _("No result yet")


@dataclass(frozen=True)
class Filters:
    sector: str = ""
    country: str = ""
    outcome: str = ""
    sort: str = "name"
    descending: bool = False

    @classmethod
    def from_query(cls, query):
        """Filters from GET parameters; a value the page never offers is ignored, not an error."""
        sort = query.get("sort", "name")
        descending = sort.startswith("-")
        sort = sort.removeprefix("-")
        outcome = query.get("outcome", "")
        return cls(
            sector=query.get("sector", "") if query.get("sector") in dict(SECTORS) else "",
            country=query.get("country", "").upper()[:2],
            outcome=outcome if outcome in (*vocabulary.OUTCOMES, NO_RESULT) else "",
            sort=sort if sort in SORTS else "name",
            descending=descending and sort in SORTS,
        )

    def keeps(self, client):
        return (
            (not self.sector or client.org.sector == self.sector)
            and (not self.country or self.country in client.country_codes)
            and (not self.outcome or client.outcome == self.outcome)
        )


def _workshops(org_ids):
    sections = (
        Section.objects.filter(bank=OuterRef("assessment__bank"))
        .values("bank")
        .annotate(n=Count("pk"))
        .values("n")
    )
    workshops = list(
        Workshop.objects.filter(status=Workshop.Status.OPEN, assessment__organization__in=org_ids)
        .annotate(sections=Subquery(sections))
        .values("pk", "created", "assessment__code", "assessment__organization_id", "sections")
        .order_by("created")
    )
    finished = {w["pk"]: [0, 0] for w in workshops}
    last = {w["pk"]: w["sections"] or 0 for w in workshops}
    rows = Participant.objects.filter(workshop__in=list(finished)).values_list(
        "workshop_id", "last_section"
    )
    for workshop_id, last_section in rows:
        finished[workshop_id][0] += 1
        finished[workshop_id][1] += last_section >= last[workshop_id] > 0
    by_org = {}
    for w in workshops:
        joined, at_end = finished[w["pk"]]
        by_org.setdefault(w["assessment__organization_id"], []).append(
            {
                "code": w["assessment__code"],
                "created": w["created"],
                "joined": joined,
                "at_end": at_end,
            }
        )
    return by_org


def clients(user):
    """Every organisation the user belongs to, as Clients, by name."""
    memberships = list(
        Membership.objects.filter(user=user)
        .select_related("organization__latest_result")
        .order_by("organization__name", "organization__pk")
    )
    orgs = [m.organization for m in memberships]
    workshops = _workshops([o.pk for o in orgs]) if orgs else {}
    cutoff = timezone.now() - timedelta(days=settings.REASSESS_AFTER_DAYS)
    # Labels looked up once per distinct value: translating them row by row costs more
    # than the rest of the page.
    sectors = {code: str(label) for code, label in SECTORS}
    roles = {code: str(label) for code, label in Membership.Role.choices}
    out = []
    for m in memberships:
        org = m.organization
        latest = getattr(org, "latest_result", None)
        out.append(
            Client(
                org=org,
                role=roles.get(m.role, m.role),
                latest=latest,
                stale=latest is not None and latest.submitted_at < cutoff,
                outcome_label=_outcome_label(latest),
                sector_label=sectors.get(org.sector, org.sector),
                headquarters_name=_country_name(org.headquarters.code),
                country_codes=frozenset(
                    {org.headquarters.code, *(c.code for c in org.countries)} - {""}
                ),
                workshops=workshops.get(org.pk, []),
            )
        )
    return out


def _country_name(code):
    return str(countries.name(code)) if code else ""


def _sort_key(sort):
    outcomes = {o: i for i, o in enumerate(vocabulary.OUTCOMES)}
    keys = {
        "name": lambda c: (c.org.name.casefold(),),
        "sector": lambda c: (c.sector_label.casefold(), c.org.name.casefold()),
        "country": lambda c: (c.org.headquarters.code or "~", c.org.name.casefold()),
        "outcome": lambda c: (outcomes.get(c.outcome, len(outcomes)), c.org.name.casefold()),
        "date": lambda c: (
            c.latest.submitted_at.timestamp() if c.latest else float("-inf"),
            c.org.name.casefold(),
        ),
    }
    return keys[sort]


def chosen(all_clients, filters):
    kept = [c for c in all_clients if filters.keeps(c)]
    return sorted(kept, key=_sort_key(filters.sort), reverse=filters.descending)


def choices(all_clients):
    """The sectors and countries the filters offer: those of the user's clients."""
    sectors = sorted({(c.org.sector, c.sector_label) for c in all_clients})
    codes = set().union(*(c.country_codes for c in all_clients)) if all_clients else set()
    names = {code: _country_name(code) for code in codes}
    return sectors, sorted(names.items(), key=lambda kv: kv[1])


def portfolio_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Organisation"),
            _("Sector"),
            _("Headquarters"),
            _("Your role"),
            _("Latest result"),
            _("Confidence (%)"),
            pgettext("date column", "Submitted"),
            _("Re-assessment due"),
            _("Open workshops"),
            _("Workshop participants"),
        ]
    )
    for c in rows:
        latest = c.latest
        row = [
            c.org.name,
            c.sector_label,
            c.headquarters_name,
            c.role,
            c.outcome_label,
            "" if not latest or latest.confidence is None else f"{latest.confidence:.0f}",
            f"{latest.submitted_at:%Y-%m-%d}" if latest else "",
            _("yes") if c.stale else "",
            len(c.workshops),
            sum(w["joined"] for w in c.workshops),
        ]
        writer.writerow([csv_safe(cell) for cell in row])
    return out.getvalue()
