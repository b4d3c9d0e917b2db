"""Peer comparisons: the latest result of each organisation, kept current, and the
comparison shown with a result.

Every organisation's latest submitted result is kept in `LatestResult` as its four main scores
and outcome (a row per organisation, updated when an assessment is submitted); peer releases
(`peer_releases`) freeze each group's cohort from those rows. A comparison reads the current
releases and checks consent at each reading, never cached: withdrawing it hides, on the next
page anyone opens, every group whose release holds the organisation."""

import functools

from django.conf import settings
from django.db.models import Count, Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from assess import vocabulary
from assess.charts.peers import standing_chart
from assess.insights import peer_releases, peer_stats
from assess.insights.result_scores import MAIN_DIMENSIONS, main_scores, main_scores_of, summary
from assess.models import (
    SECTORS,
    SIZE_BANDS,
    Assessment,
    LatestResult,
    Membership,
    PeerRelease,
    PeerReleaseMember,
)


def latest_result_update(assessment):
    """Make a submitted assessment its organisation's latest result, unless a later one is."""
    if assessment.status != Assessment.Status.SUBMITTED or not assessment.result:
        return
    values = {"assessment": assessment, "submitted_at": assessment.submitted_at}
    values.update(main_scores(assessment.result))
    values.update(summary(assessment.result))
    current = LatestResult.objects.filter(organization_id=assessment.organization_id).first()
    if current is None:
        LatestResult.objects.create(organization_id=assessment.organization_id, **values)
    elif current.submitted_at <= assessment.submitted_at:
        for name, value in values.items():
            setattr(current, name, value)
        current.save()


@receiver(post_save, sender=Assessment, dispatch_uid="assess.insights.peers.latest_result_update")
def _on_assessment_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        latest_result_update(instance)


def related_organizations(org):
    """The organisations that share an owner, a member or a consultant with `org` (itself
    among them). None of them counts towards k in `org`'s comparisons: someone who runs
    several organisations knows their results (docs/peer-comparison.md, "Who counts")."""
    people = Membership.objects.filter(organization=org).values("user")
    return Membership.objects.filter(user__in=people).values("organization")


def sees_peers(org):
    """Reciprocity (settings.PEER_RECIPROCITY): only an organisation that contributes its own
    result sees others'."""
    return org.peer_consent or not settings.PEER_RECIPROCITY


def _groups(org):
    """(name, peers, strangers) for each of `org`'s groups whose current release is intact:
    every member still consenting, none waiting for deletion, none purged since the cut. A
    release that lost a member is not shown until a new one is cut (peer_releases), so that
    nobody's leaving changes a figure by one organisation. `peers`: the release's members
    but `org`; `strangers`: how many of them share no person with `org`.

    Three small queries: the current releases, whether each is intact (counted by the
    database), the organisations linked to `org`. A release's members never change once cut,
    so each process reads them once (`_members`); consent and deletion are read every time."""
    names = {key: name for name, key in peer_releases.group_keys(org)}
    releases = list(
        PeerRelease.objects.filter(current=True, group__in=list(names)).values_list(
            "pk", "group", "size", "created_at"
        )
    )
    if not releases:
        return []
    leaving = (Q(organization__peer_consent=False) | Q(organization__deletion__isnull=False)) & ~Q(
        organization_id=org.pk  # its own withdrawal tells the viewer nothing
    )
    counts = {
        pk: (members, gone)
        for pk, members, gone in PeerReleaseMember.objects.filter(
            release_id__in=[r[0] for r in releases]
        )
        .values("release_id")
        .annotate(members=Count("pk"), gone=Count("pk", filter=leaving))
        .values_list("release_id", "members", "gone")
    }
    related = set(related_organizations(org).values_list("organization", flat=True))
    groups = []
    order = list(names)  # most specific group first, as group_keys gives them
    for pk, key, size, created_at in sorted(releases, key=lambda r: order.index(r[1])):
        if counts.get(pk) != (size, 0):
            continue
        members = _members(pk, created_at)
        peers = [p for p in members if p.org != org.pk]
        strangers = len(peers) - sum(1 for p in peers if p.org in related)
        groups.append((names[key], peers, strangers))
    return groups


@functools.lru_cache(maxsize=64)
def _members(release_id, created_at):
    """A release's members as Peers, read once per process. Keyed by the cut's time as well
    as the id, so that an id used again (a test's rolled-back database) is never mistaken
    for an older release."""
    dims = MAIN_DIMENSIONS
    return tuple(
        peer_stats.Peer(org_id, assessment_id, dict(zip(dims, scores, strict=True)), outcome)
        for org_id, assessment_id, outcome, *scores in PeerReleaseMember.objects.filter(
            release_id=release_id
        ).values_list("organization_id", "assessment_id", "outcome", *dims)
    )


def comparison_for(assessment):
    """What the result page and the report show of peers for this assessment's organisation
    (its profile as it is now): a list of groups, possibly empty. Read once per request (the
    page and its stored PDF's key both use it), never kept longer."""
    if "_peer_comparison" not in assessment.__dict__:
        assessment.__dict__["_peer_comparison"] = _comparison(assessment)
    return assessment.__dict__["_peer_comparison"]


def shown_for(assessment):
    """What the result page and the report show of peers, computed before rendering (template
    tags never query): the groups with their charts, and whether this result has every score
    peers are compared on (results frozen by older versions may not)."""
    return {
        "peer_groups": [
            {**g, "svg": standing_chart(g["rows"], g["label"])} for g in comparison_for(assessment)
        ],
        "peer_comparable": None not in main_scores(assessment.result).values(),
        "peer_reciprocal": sees_peers(assessment.organization),
    }


def fingerprint(assessment):
    """What of peers a report would show now, for its stored PDF's key (none for an
    assessment of no organisation yet)."""
    if getattr(assessment, "organization_id", None) is None:
        return []
    return comparison_for(assessment)


def _comparison(assessment):
    org = assessment.organization
    if not sees_peers(org):
        return []
    views = peer_stats.comparison(
        main_scores_of(assessment),
        _groups(org),
        k=peer_releases.threshold(),
        dimensions=MAIN_DIMENSIONS,
        outcomes=vocabulary.OUTCOMES,
    )
    shown, same_as = [], {}
    for v in views:  # groups of the very same members show the same figures: show them once
        first = next((s for s in shown if s.members == v.members), None)
        if first is None:
            shown.append(v)
        else:
            same_as.setdefault(first.name, []).append(group_label(v.name, org))
    return [_presented(v, org, same_as.get(v.name, [])) for v in shown]


def group_label(name, org):
    if name == "sector":
        return _("peers in your sector (%(sector)s)") % {"sector": dict(SECTORS)[org.sector]}
    if name == "size":
        return _("peers of your size (%(size)s)") % {"size": dict(SIZE_BANDS)[org.size_band]}
    return _("all peers")


def _presented(view, org, also):
    labels = vocabulary.dimension_labels()
    outcome_labels = vocabulary.outcome_labels()
    group = group_label(view.name, org)
    rows = [
        {
            "label": labels[s.dimension],
            "below": s.below,
            "above": s.above,
            "same": s.same,
            "sentence": vocabulary.standing_sentence(labels[s.dimension], s.below, s.above, group),
        }
        for s in view.standings
    ]
    return {
        "name": view.name,
        "label": group,
        "size": view.size,
        "also": also,
        "rows": rows,
        "shares": [
            {"outcome": o, "label": outcome_labels[o], "percent": view.shares[o]}
            for o in vocabulary.OUTCOMES
        ],
    }
