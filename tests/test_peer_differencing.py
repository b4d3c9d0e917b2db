"""The differencing attacks on peer comparisons (issue 30), mounted against the database:
an attacker who runs the viewing organisation and another consenting one, under its own
name or another, toggles the other's consent, re-submits it, deletes it, or compares
narrower groups with wider ones, and reads what the viewer is shown. None of it may change
what the viewer sees by one real organisation's result."""

import copy
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from assess.insights import peer_releases, peers
from assess.insights.result_scores import MAIN_DIMENSIONS
from assess.models import (
    Assessment,
    Membership,
    Organization,
    OrganizationDeletion,
    PeerRelease,
)
from assess.ownership.deletion import organization_purge
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


def _submit(org, like, score):
    result = copy.deepcopy(like.result)
    for d in MAIN_DIMENSIONS:
        result["scores"][d]["score"] = score
    Assessment.objects.create(
        organization=org, bank=like.bank, status="submitted", submitted_at=timezone.now(),
        result=result,
    )  # fmt: skip


def _peer(like, name, score, *, consent=True, sector=None):
    org = Organization.objects.create(
        name=name,
        sector=sector or like.organization.sector,
        size_band=like.organization.size_band,
        peer_consent=consent,
    )
    _submit(org, like, score)
    return org


@pytest.fixture
def world(viewer):
    """Ten real peers, the last of them, the target, alone in the top band, and their
    releases cut. The attacker's second organisation does not contribute yet."""
    for i in range(9):
        _peer(viewer, f"Real {i}", 30)
    target = _peer(viewer, "Target", 90)
    second = _peer(viewer, "Attacker's second", 10, consent=False)
    assert peer_releases.refresh()
    return target, second


def _seen(viewer):
    fresh = Assessment.objects.select_related("organization").get(pk=viewer.pk)
    return [(g["size"], g["rows"], g["shares"]) for g in peers.comparison_for(fresh)]


def _toggle(org, consent):
    Organization.objects.filter(pk=org.pk).update(peer_consent=consent)
    peer_releases.refresh()  # what the consent view queues


def _strangers_join(like, n, score=50, prefix="Newcomer"):
    orgs = [_peer(like, f"{prefix} {i}", score) for i in range(n)]
    peer_releases.refresh()
    return orgs


def test_a_second_organisation_under_another_name_reveals_nothing(world, viewer):
    """The sock puppet: it shares nobody with the viewer, so it counts like any stranger.
    Consenting, withdrawing, consenting again and re-submitting it changes nothing shown."""
    _target, second = world
    before = _seen(viewer)
    assert before
    _toggle(second, True)
    assert _seen(viewer) == before
    _toggle(second, False)
    assert _seen(viewer) == before
    _toggle(second, True)
    for score in (0, 50, 99):
        _submit(second, viewer, score)
        peer_releases.refresh()
        assert _seen(viewer) == before


def test_the_figures_do_move_once_k_organisations_have_changed(world, viewer):
    """The control: the tests here would see a change if one got through."""
    before = _seen(viewer)
    _strangers_join(viewer, 9)
    assert _seen(viewer) == before  # nine: not yet
    _strangers_join(viewer, 1, prefix="Tenth")
    after = _seen(viewer)
    assert after and after != before
    assert after[0][0] == before[0][0] + 10


@pytest.mark.parametrize("role", ["owner", "member", "consultant"])
def test_an_organisation_that_shares_a_person_does_not_count_towards_k(world, viewer, owner, role):
    """Ten peers, one of them run by the viewer's owner: nine strangers are too few."""
    target, _second = world
    assert _seen(viewer)
    Membership.objects.create(user=owner, organization=target, role=role)
    assert _seen(viewer) == []


def test_a_colleague_in_common_is_enough(world, viewer, org):
    target, _second = world
    colleague = make_user("colleague@both.example")
    Membership.objects.create(user=colleague, organization=org)
    Membership.objects.create(user=colleague, organization=target)
    assert _seen(viewer) == []


def test_a_withdrawal_hides_the_group_until_k_others_have_changed(world, viewer):
    target, _second = world
    before = _seen(viewer)
    _toggle(target, False)
    assert _seen(viewer) == []  # at once: the target's result is shown to nobody
    _strangers_join(viewer, 1)
    assert _seen(viewer) == []  # one stranger in the target's place would give it away
    _strangers_join(viewer, 7, prefix="More")
    assert _seen(viewer) == []  # the target and eight newcomers: nine changes
    _strangers_join(viewer, 1, prefix="Ninth")
    after = _seen(viewer)
    assert after and after != before
    # The release shown now and the one before differ by the target and nine newcomers.
    old, new = PeerRelease.objects.filter(group="all").order_by("pk")[:2]
    assert (old.size, old.current, new.size, new.current) == (11, False, 19, True)


def test_re_consenting_brings_nothing_back_by_itself(world, viewer):
    target, _second = world
    before = _seen(viewer)
    _toggle(target, False)
    _toggle(target, True)
    # The release the target is in is intact again: the same figures, nothing new.
    assert _seen(viewer) == before


def test_narrowing_to_the_sector_never_singles_out_the_one_outside_it(viewer):
    """ "All" is the sector and one organisation more: only "all" may be shown, and the
    sector stays hidden even after "all" has grown past it, while the old "all" is kept."""
    for i in range(10):
        _peer(viewer, f"Sector {i}", 30)
    _peer(viewer, "Elsewhere", 90, sector="energy")
    peer_releases.refresh()
    shown = peers.comparison_for(Assessment.objects.get(pk=viewer.pk))
    assert [g["name"] for g in shown] == ["size"]  # size and all: the same eleven, said once
    assert shown[0]["size"] == 11
    for i in range(12):
        _peer(viewer, f"Energy {i}", 50, sector="energy")
    peer_releases.refresh()
    names = [g["name"] for g in peers.comparison_for(Assessment.objects.get(pk=viewer.pk))]
    assert "sector" not in names  # ten sector peers against the eleven "all" once showed


def test_an_organisation_waiting_for_deletion_or_purged_counts_nowhere(world, viewer):
    target, _second = world
    before = _seen(viewer)
    deletion = OrganizationDeletion.objects.create(organization=target, purge_after=timezone.now())
    assert _seen(viewer) == []
    deletion.delete()  # restored within the grace period: as it was
    assert _seen(viewer) == before
    organization_purge(target)
    assert not PeerRelease.objects.filter(members__organization_id=target.pk).exists()
    peer_releases.refresh()
    assert _seen(viewer) == []  # the release is short of its size: not shown, not re-cut


def test_only_an_organisation_that_contributes_sees_peers_by_default(world, viewer):
    assert _seen(viewer)
    Organization.objects.filter(pk=viewer.organization_id).update(peer_consent=False)
    assert _seen(viewer) == []


def test_reciprocity_is_a_setting(world, viewer, settings):
    settings.PEER_RECIPROCITY = False
    Organization.objects.filter(pk=viewer.organization_id).update(peer_consent=False)
    assert _seen(viewer)


def test_cleanup_cuts_releases_and_forgets_old_ones(world, viewer, settings):
    _toggle(world[0], False)
    for i in range(10):
        _peer(viewer, f"Later {i}", 50)
    out = io.StringIO()
    call_command("cleanup", stdout=out)
    assert "Cut 3 new peer releases; forgot 0 old ones." in out.getvalue()
    assert PeerRelease.objects.filter(current=False).count() == 3
    settings.PEER_RELEASE_HISTORY_DAYS = 0
    assert peer_releases.prune(timezone.now() + timedelta(seconds=1)) == 3
    assert PeerRelease.objects.filter(current=True).count() == 3
