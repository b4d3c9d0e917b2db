"""The differencing attack on peer comparisons (issue 30): someone who owns the viewing
organisation and another consenting one toggles the other's consent, or re-submits, and
compares what the viewer is shown. Neither may change what a real peer contributes."""

import copy

import pytest
from django.utils import timezone

from assess.insights import peers
from assess.insights.result_scores import MAIN_DIMENSIONS
from assess.models import Assessment, LatestResult, Membership, Organization
from assess.services import assessment_submit
from tests.conftest import make_user
from tests.ownership_helpers import answer_all


@pytest.fixture
def viewer(org, owner, bank, settings):
    settings.PEER_MIN_GROUP = 10
    a = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    answer_all(a)
    a = assessment_submit(assessment=a, user=owner)
    Organization.objects.filter(pk=org.pk).update(peer_consent=True)
    return Assessment.objects.select_related("organization").get(pk=a.pk)


def _peer(like, name, score, key, *, consent=True):
    org = Organization.objects.create(
        name=name,
        sector=like.organization.sector,
        size_band=like.organization.size_band,
        peer_consent=consent,
    )
    result = copy.deepcopy(like.result)
    for d in MAIN_DIMENSIONS:
        result["scores"][d]["score"] = score
    Assessment.objects.create(
        organization=org,
        bank=like.bank,
        status="submitted",
        submitted_at=timezone.now(),
        result=result,
    )
    LatestResult.objects.filter(organization=org).update(sample_key=key)
    return org


@pytest.fixture
def world(viewer):
    """Ten real peers (sample keys 10..19); the last of them, the target, alone in the top
    band. The attacker's second organisation has the lowest key, so it enters the sample
    of ten when it consents and pushes the target out."""
    for i in range(9):
        _peer(viewer, f"Real {i}", 30, 10 + i)
    target = _peer(viewer, "Target", 90, 19)
    second = _peer(viewer, "Attacker's second", 10, 1, consent=False)
    return target, second


def _seen(viewer):
    fresh = Assessment.objects.select_related("organization").get(pk=viewer.pk)
    return [(g["size"], g["rows"], g["shares"]) for g in peers.comparison_for(fresh)]


def _toggle(org, consent):
    Organization.objects.filter(pk=org.pk).update(peer_consent=consent)


def test_the_attack_works_against_an_organisation_that_shares_nobody(world, viewer):
    """The control: the same toggle by a stranger's organisation moves the figures, so the
    tests below would see a leak if the exclusion failed."""
    _target, second = world
    before = _seen(viewer)
    _toggle(second, True)
    assert before and _seen(viewer) != before


@pytest.mark.parametrize("role", ["owner", "member", "consultant"])
def test_toggling_an_organisation_that_shares_a_person_reveals_nothing(world, viewer, owner, role):
    _target, second = world
    Membership.objects.create(user=owner, organization=second, role=role)
    before = _seen(viewer)
    _toggle(second, True)
    assert _seen(viewer) == before
    _toggle(second, False)
    assert _seen(viewer) == before


def test_a_colleague_in_common_is_enough(world, viewer, org):
    _target, second = world
    colleague = make_user("colleague@both.example")
    Membership.objects.create(user=colleague, organization=org)
    Membership.objects.create(user=colleague, organization=second)
    before = _seen(viewer)
    _toggle(second, True)
    assert _seen(viewer) == before


def test_re_submitting_the_second_organisation_reveals_nothing(world, viewer, owner):
    _target, second = world
    Membership.objects.create(user=owner, organization=second, role="owner")
    _toggle(second, True)
    before = _seen(viewer)
    for score in (0, 50, 99):
        _peer_resubmit(second, viewer, score)
        assert _seen(viewer) == before


def _peer_resubmit(org, like, score):
    result = copy.deepcopy(like.result)
    for d in MAIN_DIMENSIONS:
        result["scores"][d]["score"] = score
    Assessment.objects.create(
        organization=org,
        bank=like.bank,
        status="submitted",
        submitted_at=timezone.now(),
        result=result,
    )


def test_an_organisation_that_does_not_contribute_sees_no_comparison(world, viewer, settings):
    settings.PEER_RECIPROCITY = True
    assert _seen(viewer)
    _toggle(viewer.organization, False)
    assert _seen(viewer) == []
    settings.PEER_RECIPROCITY = False
    assert _seen(viewer)


def test_an_organisation_waiting_for_deletion_counts_nowhere(world, viewer):
    from assess.models import OrganizationDeletion

    target, _second = world
    before = _seen(viewer)
    OrganizationDeletion.objects.create(organization=target, purge_after=timezone.now())
    assert _seen(viewer) != before  # the group falls below k: nothing from it is shown
    assert _seen(viewer) == []
