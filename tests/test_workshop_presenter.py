"""The presenter view for the room's projector, the board's invitation, and what the board
and a participant's page offer in each state of a workshop."""

import re

import pytest

from assess.services import assessment_submit, participant_join, workshop_close, workshop_start
from tests.conftest import signed_in


@pytest.fixture
def workshop(org, bank, owner):
    return workshop_start(organization=org, user=owner)


def test_the_presenter_shows_the_full_address_the_code_a_large_qr_and_who_joined(
    client, owner, workshop
):
    participant_join(workshop=workshop, name="Ann", role="ciso")
    signed_in(client, owner)
    page = client.get(f"/workshops/{workshop.assessment.code}/present/").text
    assert '<p class="presenter-address">http://testserver<wbr>/join/</p>' in page
    assert f'<span aria-hidden="true">{workshop.short_code}</span>' in page
    assert f"http://testserver/w/{workshop.join_token}/" in page
    # The QR code scales to the space the page gives it: no fixed 130 px size.
    svg = re.search(r'<figure class="presenter-qr"><svg[^>]*>', page).group()
    assert "viewBox" in svg and "width=" not in svg
    assert "<strong>1</strong> person has joined" in page
    assert f'data-refresh-url="/workshops/{workshop.assessment.code}/present/?fragment=1"' in page


def test_the_presenter_count_refreshes_from_a_fragment(
    client, owner, workshop, django_assert_num_queries
):
    signed_in(client, owner)
    url = f"/workshops/{workshop.assessment.code}/present/?fragment=1"
    assert "<strong>0</strong> people have joined" in client.get(url).text
    for name in ("Ann", "Ben"):
        participant_join(workshop=workshop, name=name, role="other")
    with django_assert_num_queries(4):
        fragment = client.get(url).text
    assert "<strong>2</strong> people have joined" in fragment and "<html" not in fragment
    assert workshop.join_token not in fragment and "Ann" not in fragment
    with django_assert_num_queries(4):
        client.get(f"/workshops/{workshop.assessment.code}/present/")


def test_only_the_facilitators_organisation_may_open_the_presenter(
    client, outsider, member, workshop
):
    url = f"/workshops/{workshop.assessment.code}/present/"
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    signed_in(client, outsider)
    for path in (url, url + "?fragment=1"):
        response = client.get(path)
        assert response.status_code == 404
        assert workshop.short_code not in response.text
        assert workshop.join_token not in response.text
    signed_in(client, member)
    assert client.get(url).status_code == 200


def test_a_closed_workshop_shows_no_code_on_the_projector(client, owner, workshop):
    workshop_close(workshop=workshop)
    signed_in(client, owner)
    page = client.get(f"/workshops/{workshop.assessment.code}/present/").text
    assert "This workshop is closed: it takes no new participants." in page
    assert workshop.short_code not in page and workshop.join_token not in page


def test_the_board_gives_the_full_join_address_and_a_scalable_qr(client, owner, workshop):
    signed_in(client, owner)
    page = client.get(f"/workshops/{workshop.assessment.code}/").text
    assert '<strong class="join-address">http://testserver/join/</strong>' in page
    svg = re.search(r'<figure class="workshop-qr mb-0"><svg[^>]*>', page).group()
    assert "viewBox" in svg and "width=" not in svg
    assert f'href="/workshops/{workshop.assessment.code}/present/"' in page


def _actions(page):
    return set(re.findall(r'class="btn [^"]*"[^>]*>([^<]+)</(?:a|button)>', page))


def test_the_board_offers_only_what_each_state_allows(client, owner, workshop):
    signed_in(client, owner)
    url = f"/workshops/{workshop.assessment.code}/"
    assert _actions(client.get(url).text) >= {
        "Show the invitation on a projector",
        "Settle the consensus",
        "Close the workshop",
        "Issue a new link and code",
    }
    workshop_close(workshop=workshop)
    closed = _actions(client.get(url).text)
    assert {"Settle the consensus", "Reopen"} <= closed
    assert not closed & {
        "Close the workshop",
        "Issue a new link and code",
        "Show the invitation on a projector",
    }
    assessment_submit(assessment=workshop.assessment, user=owner)
    submitted = client.get(url).text
    actions = _actions(submitted)
    assert {"See the result", "View the printable report"} <= actions
    assert not actions & {"Settle the consensus", "Reopen", "Close the workshop"}
    assert "The consensus is submitted" in submitted
    assert workshop.short_code not in submitted and workshop.join_token not in submitted


def test_a_participants_page_offers_changes_only_while_the_workshop_is_open(
    client, owner, workshop
):
    person = participant_join(workshop=workshop, name="Ann", role="ciso")
    url = f"/p/{person.token}/done/"
    page = client.get(url).text
    assert "See or change my answers" in page and "until the facilitator closes" in page
    workshop_close(workshop=workshop)
    page = client.get(url).text
    assert "See or change my answers" not in page and "See my answers" in page
    assert "can no longer change" in page and "Not answered yet" not in page
    assessment_submit(assessment=workshop.assessment, user=owner)
    page = client.get(url).text
    assert "See or change my answers" not in page and "settled and submitted" in page
