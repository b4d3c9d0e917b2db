"""Peer comparisons: the table they read, kept current, and the comparison for a result.

Every organisation's latest submitted result is kept in `LatestResult` as its four main scores
and outcome (a row per organisation, updated when an assessment is submitted), so that a
comparison reads a few small columns instead of thousands of result snapshots. Consent is
read from the organisation at each comparison, never cached: withdrawing it takes effect on
the next page anyone opens."""

from django.conf import settings
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils.translation import gettext as _

from assess import vocabulary
from assess.charts.peers import standing_chart
from assess.insights import peer_stats
from assess.insights.result_scores import MAIN_DIMENSIONS, main_scores, main_scores_of, summary
from assess.models import SECTORS, SIZE_BANDS, Assessment, LatestResult, Membership


def threshold():
    """k: the fewest organisations a comparison may be computed over (settings.PEER_MIN_GROUP)."""
    return max(2, int(getattr(settings, "PEER_MIN_GROUP", 10)))


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
    among them). None of them counts in `org`'s comparisons: someone who runs several
    organisations could otherwise toggle one's consent and read a peer's band from the
    difference (docs/peer-comparison.md, "Who counts")."""
    people = Membership.objects.filter(organization=org).values("user")
    return Membership.objects.filter(user__in=people).values("organization")


def sees_peers(org):
    """Reciprocity (settings.PEER_RECIPROCITY): only an organisation that contributes its own
    result sees others'."""
    return org.peer_consent or not settings.PEER_RECIPROCITY


def _pool(org):
    """The consenting organisations' entries with all four scores, leaving out the viewer's
    and every organisation that shares a person with it: (same sector?, same size band?,
    Peer)."""
    rows = (
        LatestResult.objects.filter(
            organization__peer_consent=True, organization__deletion__isnull=True
        )
        .exclude(organization_id=org.pk)
        .exclude(organization_id__in=related_organizations(org))
        .filter(**{f"{d}__isnull": False for d in MAIN_DIMENSIONS})
        .annotate(
            same_sector=ExpressionWrapper(
                Q(organization__sector=org.sector), output_field=BooleanField()
            ),
            same_size=ExpressionWrapper(
                Q(organization__size_band=org.size_band), output_field=BooleanField()
            ),
        )
        .values_list(
            "organization_id", "sample_key", "same_sector", "same_size", "outcome", *MAIN_DIMENSIONS
        )
        .order_by("sample_key", "organization_id")  # the samples' order: sorting is then cheap
    )
    dims = MAIN_DIMENSIONS
    for org_id, key, same_sector, same_size, outcome, a, b, c, d in rows:
        scores = {dims[0]: a, dims[1]: b, dims[2]: c, dims[3]: d}
        yield same_sector, same_size, peer_stats.Peer(org_id, key, scores, outcome)


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
    everyone, sector, size = [], [], []
    for same_sector, same_size, peer in _pool(org):
        everyone.append(peer)
        if same_sector:
            sector.append(peer)
        if same_size:
            size.append(peer)
    groups = [("sector", sector), ("size", size), ("all", everyone)]
    views = peer_stats.comparison(
        main_scores_of(assessment),
        groups,
        k=threshold(),
        dimensions=MAIN_DIMENSIONS,
        outcomes=vocabulary.OUTCOMES,
    )
    shown, same_as = [], {}
    for v in views:  # groups of the very same sample show the same figures: show them once
        first = next(
            (s for s in shown if s.size == v.size and _sample_of(s) == _sample_of(v)), None
        )
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


def _sample_of(view):
    return view.members


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
