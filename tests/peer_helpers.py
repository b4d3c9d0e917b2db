"""Contributing peers for the pages that show comparisons."""

import copy
from datetime import timedelta

from django.utils import timezone

from assess.insights import peer_releases
from assess.insights.result_scores import MAIN_DIMENSIONS
from assess.models import Assessment, Organization


def contributing_peers(like, n=10, *, days_ago=30):
    """n consenting organisations in `like`'s sector and size band, each with a submitted
    copy of `like`'s latest result, its scores spread from 5 to 95. `like`'s organisation
    contributes too: only contributors see peers (settings.PEER_RECIPROCITY). The peer groups'
    releases are cut from them."""
    org = like.organization
    Organization.objects.filter(pk=org.pk).update(peer_consent=True)
    org.peer_consent = True
    orgs = []
    for i in range(n):
        peer = Organization.objects.create(
            name=f"Peer {i}", sector=org.sector, size_band=org.size_band, peer_consent=True
        )
        result = copy.deepcopy(like.result)
        for d in MAIN_DIMENSIONS:
            result["scores"][d]["score"] = 5 + (i * 10) % 100
        Assessment.objects.create(
            organization=peer,
            bank=like.bank,
            status="submitted",
            submitted_at=timezone.now() - timedelta(days=days_ago),
            result=result,
        )
        orgs.append(peer)
    peer_releases.refresh()  # their releases, as the task worker would cut them
    return orgs


def earlier_result(like, days_ago=400, shift=-20):
    """A submitted result of `like`'s organisation from earlier, its scores moved by shift."""
    result = copy.deepcopy(like.result)
    for d in MAIN_DIMENSIONS:
        score = result["scores"][d]["score"]
        result["scores"][d]["score"] = max(0, min(100, score + shift))
    return Assessment.objects.create(
        organization=like.organization,
        bank=like.bank,
        status="submitted",
        submitted_at=like.submitted_at - timedelta(days=days_ago),
        result=result,
    )
