"""The owners' page of API tokens: making one (shown once), the list, revoking."""

from django.utils import timezone

from assess.models import AccessEvent, ApiToken, api_token_hash
from tests.api_helpers import ApiClient, token_for
from tests.conftest import signed_in


def _page(org):
    return f"/orgs/{org.code}/api-tokens/"


def test_an_owner_makes_a_token_and_sees_it_once(owner_client, org, owner):
    response = owner_client.post(
        _page(org), {"name": "CISO Assistant", "scope": "write", "days": 30}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert token.token_hash == api_token_hash(secret) and token.user == owner
    assert secret in response.text and (token.expires - timezone.now()).days in (29, 30)
    assert secret not in owner_client.get(_page(org)).text  # never again
    assert ApiClient(secret).get(f"/api/v1/orgs/{org.code}").status_code == 200
    assert AccessEvent.objects.filter(action=AccessEvent.Action.API_TOKEN_MADE).exists()


def test_a_bad_form_keeps_what_was_entered(owner_client, org):
    response = owner_client.post(_page(org), {"name": "GRC sync", "scope": "admin", "days": 30})
    assert "The token was not made" in response.text and 'value="GRC sync"' in response.text
    assert not ApiToken.objects.exists()


def test_the_list_shows_every_token_and_revoking_stops_one(
    owner_client, org, owner, member, django_assert_num_queries
):
    token_for(org, owner, "read")
    secret = token_for(org, member, "write")
    owner_client.get(_page(org))
    # session, user, organisation, owner check, tokens with their makers
    with django_assert_num_queries(5):
        page = owner_client.get(_page(org)).text
    assert "bob@member.example" in page and "alice@owner.example" in page
    token = ApiToken.objects.get(user=member)
    response = owner_client.post(f"{_page(org)}{token.pk}/revoke/")
    assert response.status_code == 302
    assert ApiClient(secret).get(f"/api/v1/orgs/{org.code}").status_code == 401
    assert "Revoked" in owner_client.get(_page(org)).text


def test_a_member_who_is_not_an_owner_cannot_open_or_revoke(client, org, owner, member):
    token_for(org, owner)
    token = ApiToken.objects.get()
    signed_in(client, member)
    assert client.get(_page(org)).status_code == 403
    assert client.post(_page(org), {"name": "x", "scope": "read", "days": 30}).status_code == 403
    assert client.post(f"{_page(org)}{token.pk}/revoke/").status_code == 403
    assert ApiToken.objects.active().count() == 1


def test_another_organisations_owner_gets_404(client, org, owner, outsider, other_org):
    token_for(org, owner)
    token = ApiToken.objects.get()
    signed_in(client, outsider)
    assert client.get(_page(org)).status_code == 404
    assert client.post(f"{_page(org)}{token.pk}/revoke/").status_code == 404
    # and an owner cannot revoke another organisation's token through their own page
    assert client.post(f"{_page(other_org)}{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.active().count() == 1


def test_anonymous_visitors_are_sent_to_sign_in(client, org):
    response = client.get(_page(org))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
