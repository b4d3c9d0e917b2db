"""Peer releases: each peer group's cohort, frozen until enough of it has changed.

A comparison never reads the live pool of contributions: it reads the group's current
`PeerRelease`. `refresh` cuts a new release for a group only when `peer_stats.may_cut`
allows it: at least k organisations (settings.PEER_MIN_GROUP), and at least a share of
the group (settings.PEER_RELEASE_CHANGE_PERCENT), have joined, left or re-submitted since
the current release, and the new cohort is not within k-1 organisations of any release
kept. So
toggling one organisation's consent, re-submitting it or deleting it changes no figure
anyone sees (docs/peer-comparison.md, "When the published figures change").

`refresh` runs in the task worker (`assess.tasks.peer_releases_refresh`, queued whenever a
contributor's result is submitted, a consent or a contributor's profile changes, or a
contributor is deleted or restored) and from `manage.py cleanup`, which also forgets
releases older than settings.PEER_RELEASE_HISTORY_DAYS, the current ones aside."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assess.insights import peer_stats
from assess.insights.result_scores import MAIN_DIMENSIONS
from assess.models import LatestResult, PeerRelease, PeerReleaseMember


def threshold():
    """k: the fewest organisations a comparison may be computed over (settings.PEER_MIN_GROUP)."""
    return max(2, int(getattr(settings, "PEER_MIN_GROUP", 10)))


def change_share():
    """The share of a group that must change before it gets a new release (at least k
    organisations whatever the share; settings.PEER_RELEASE_CHANGE_PERCENT)."""
    return max(0, int(getattr(settings, "PEER_RELEASE_CHANGE_PERCENT", 10))) / 100


def group_keys(org):
    """(name, key) of the groups an organisation is compared with, most specific first."""
    return [("sector", f"sector:{org.sector}"), ("size", f"size:{org.size_band}"), ("all", "all")]


def _pool():
    """Every contribution as it stands: the latest result of each consenting organisation
    not waiting for deletion, with all four compared scores, by group key."""
    rows = (
        LatestResult.objects.filter(
            organization__peer_consent=True, organization__deletion__isnull=True
        )
        .filter(**{f"{d}__isnull": False for d in MAIN_DIMENSIONS})
        .values_list(
            "organization_id",
            "assessment_id",
            "organization__sector",
            "organization__size_band",
            "outcome",
            *MAIN_DIMENSIONS,
        )
    )
    groups = {}
    for org_id, assessment_id, sector, size_band, outcome, *scores in rows:
        entry = (org_id, assessment_id, outcome, *scores)
        for key in ("all", f"sector:{sector}", f"size:{size_band}"):
            groups.setdefault(key, []).append(entry)
    return groups


def _cohorts(releases):
    """{release id: Cohort} of these releases, read in one query."""
    pairs = {r.pk: set() for r in releases}
    for release_id, org_id, assessment_id in PeerReleaseMember.objects.filter(
        release__in=list(pairs)
    ).values_list("release_id", "organization_id", "assessment_id"):
        pairs[release_id].add((org_id, assessment_id))
    return {r.pk: peer_stats.Cohort(frozenset(pairs[r.pk]), r.size) for r in releases}


def _kept(k, sizes):
    """Every release kept, as Cohorts; only those whose size is within k-1 of one of
    `sizes` can be nearer than k to a cohort of that size, so only those are read."""
    near = [r for r in PeerRelease.objects.all() if any(abs(r.size - s) < k for s in sizes)]
    return list(_cohorts(near).values())


def refresh(now=None):
    """Cut a new release for every group that may have one; the keys of the groups cut."""
    now = now or timezone.now()
    k, share = threshold(), change_share()
    with transaction.atomic():
        # The current releases' rows, locked: two refreshes at once would each check their
        # cut against the releases before the other's.
        current = {r.group: r for r in PeerRelease.objects.select_for_update().filter(current=True)}
        current_cohorts = _cohorts(list(current.values()))
        pool = _pool()
        candidates = {}
        for key in sorted(set(pool) | set(current)):
            entries = pool.get(key, [])
            cohort = peer_stats.Cohort(frozenset((e[0], e[1]) for e in entries), len(entries))
            release = current.get(key)
            now_cohort = current_cohorts[release.pk] if release else None
            if now_cohort == cohort or len(entries) < k:
                continue
            if now_cohort and peer_stats.changes(cohort, now_cohort) < peer_stats.change_needed(
                now_cohort.size, k, share
            ):
                continue
            candidates[key] = (cohort, entries)
        if not candidates:
            return []
        kept = _kept(k, {len(e) for _c, e in candidates.values()})
        cut = []
        for key, (cohort, entries) in candidates.items():
            release = current.get(key)
            now_cohort = current_cohorts[release.pk] if release else None
            if not peer_stats.may_cut(cohort, now_cohort, kept, k=k, share=share):
                continue
            _cut(key, entries, release, now)
            kept.append(cohort)
            cut.append(key)
        return cut


def _cut(key, entries, previous, now):
    if previous is not None:
        PeerRelease.objects.filter(pk=previous.pk).update(current=False)
    try:
        with transaction.atomic():
            release = PeerRelease.objects.create(group=key, created_at=now, size=len(entries))
    except IntegrityError:  # another refresh cut this group first (its first release)
        return
    PeerReleaseMember.objects.bulk_create(
        PeerReleaseMember(
            release=release,
            organization_id=org_id,
            assessment_id=assessment_id,
            outcome=outcome,
            **dict(zip(MAIN_DIMENSIONS, scores, strict=True)),
        )
        for org_id, assessment_id, outcome, *scores in entries
    )


def prune(now=None):
    """Forget releases older than settings.PEER_RELEASE_HISTORY_DAYS, except the current
    ones; how many went."""
    now = now or timezone.now()
    days = int(getattr(settings, "PEER_RELEASE_HISTORY_DAYS", 365))
    old = PeerRelease.objects.filter(current=False, created_at__lt=now - timedelta(days=days))
    count = old.count()
    old.delete()
    return count
