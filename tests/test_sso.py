"""Single sign-on against a real OpenID Connect provider on 127.0.0.1: the app's redirect,
the provider's sign-in form, the callback that swaps the code for tokens over HTTP."""

from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model

from assess.models import AccessEvent, Membership, SSODomain
from tests.conftest import PASSWORD
from tests.oidc_provider import oidc_provider, set_person
from tests.two_factor_helpers import code_now, give_two_factor


@pytest.fixture
def provider(settings, db):
    with oidc_provider(settings) as base:
        yield base


def sso_sign_in(client, sub, next_url=""):
    """Start at the app, say yes at the provider as `sub`, come back: the app's last answer."""
    start = client.get("/accounts/sso/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302
    at_provider = requests.post(start.url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text[:500]
    back = urlsplit(at_provider.headers["Location"])
    assert back.path == "/accounts/sso/callback/"
    return client.get(f"{back.path}?{back.query}")


def test_the_first_sign_in_creates_the_account_and_the_claimed_domain_membership(
    client, provider, org
):
    SSODomain.objects.create(domain="Acme.example", organization=org, role="consultant")
    set_person(provider, "u-123", email="Dana@Acme.Example", name="Dana Scully")
    response = sso_sign_in(client, "u-123")
    assert response.status_code == 302 and response.url == "/"
    user = get_user_model().objects.get(email="dana@acme.example")
    assert user.username == "dana@acme.example" and user.first_name == "Dana Scully"
    assert not user.has_usable_password()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Membership.objects.get(user=user).organization == org
    assert Membership.objects.get(user=user).role == "consultant"
    assert client.get(org.get_absolute_url()).status_code == 200
    assert AccessEvent.objects.filter(organization=org, user=user, action="joined").exists()


def test_an_unclaimed_domain_gets_an_account_and_no_organisation(client, provider, org):
    set_person(provider, "u-9", email="frank@elsewhere.example")
    assert sso_sign_in(client, "u-9").status_code == 302
    user = get_user_model().objects.get(email="frank@elsewhere.example")
    assert not Membership.objects.filter(user=user).exists()
    assert client.get(org.get_absolute_url()).status_code == 404


def test_an_existing_account_signs_in_by_its_address_and_keeps_its_password(
    client, provider, owner, org
):
    set_person(provider, "alice-sub", email=owner.email.upper())
    response = sso_sign_in(client, "alice-sub", next_url=org.get_absolute_url())
    assert response.status_code == 302 and response.url == org.get_absolute_url()
    assert client.session["_auth_user_id"] == str(owner.pk)
    assert get_user_model().objects.count() == 2  # owner and member: no new account
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_a_later_sign_in_does_not_add_a_removed_member_back(client, provider, org):
    SSODomain.objects.create(domain="acme.example", organization=org)
    set_person(provider, "u-1", email="gil@acme.example")
    sso_sign_in(client, "u-1")
    Membership.objects.filter(user__email="gil@acme.example").delete()
    client.logout()
    sso_sign_in(client, "u-1")
    assert not Membership.objects.filter(user__email="gil@acme.example").exists()


def test_someone_with_two_factor_still_gives_a_code_after_the_provider(client, provider, owner):
    device, _codes = give_two_factor(owner)
    set_person(provider, "alice-sub", email=owner.email)
    response = sso_sign_in(client, "alice-sub")
    assert response.status_code == 302 and response.url == "/accounts/two-factor/verify/"
    assert "_auth_user_id" not in client.session
    response = client.post("/accounts/two-factor/verify/", {"code": code_now(device, 1)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_a_refusal_at_the_provider_signs_in_no_one_and_says_so(client, provider):
    start = client.get("/accounts/sso/")
    denied = requests.post(start.url, data={"action": "deny"}, allow_redirects=False, timeout=10)
    back = urlsplit(denied.headers["Location"])
    assert parse_qs(back.query)["error"] == ["access_denied"]
    response = client.get(f"{back.path}?{back.query}", follow=True)
    assert "Single sign-on did not complete" in response.text
    assert "_auth_user_id" not in client.session


def test_a_callback_with_a_forged_code_signs_in_no_one(client, provider):
    start = client.get("/accounts/sso/")
    state = parse_qs(urlsplit(start.url).query)["state"][0]
    response = client.get(f"/accounts/sso/callback/?code=forged&state={state}", follow=True)
    assert "Single sign-on did not complete" in response.text
    assert "_auth_user_id" not in client.session


def test_a_callback_with_a_state_this_browser_never_started_signs_in_no_one(client, provider):
    client.get("/accounts/sso/")
    response = client.get("/accounts/sso/callback/?code=x&state=not-ours", follow=True)
    assert "Single sign-on did not complete" in response.text
    assert "_auth_user_id" not in client.session


def test_the_sign_in_page_offers_single_sign_on_only_when_configured(client, db, settings):
    assert "single sign-on" not in client.get("/accounts/login/").text
    assert client.get("/accounts/sso/").status_code == 404
    assert client.get("/accounts/sso/callback/?code=x&state=y").status_code == 404
    with oidc_provider(settings):
        page = client.get("/accounts/login/?next=/orgs/new/").text
        assert 'href="/accounts/sso/?next=/orgs/new/"' in page


def test_an_address_the_provider_has_not_verified_is_refused(client, provider, org, owner):
    SSODomain.objects.create(domain="acme.example", organization=org)
    set_person(provider, "u-5", email="mallory@acme.example", email_verified=False)
    response = sso_sign_in(client, "u-5")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert not get_user_model().objects.filter(email="mallory@acme.example").exists()
    assert not Membership.objects.filter(user__email="mallory@acme.example").exists()
    # Nor does it name an existing account.
    set_person(provider, "u-6", email=owner.email, email_verified="false")
    sso_sign_in(client, "u-6")
    assert "_auth_user_id" not in client.session


def test_an_id_token_from_another_issuer_signs_in_no_one(client, provider, owner, settings):
    settings.OIDC_OP_ISSUER = "https://idp.elsewhere.example"
    set_person(provider, "alice-sub", email=owner.email)
    response = sso_sign_in(client, "alice-sub")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("payload", "refused"),
    [
        ({"iss": "https://idp", "aud": "us"}, False),
        ({"iss": "https://idp", "aud": ["us"]}, False),
        ({"iss": "https://idp", "aud": ["us", "them"], "azp": "us"}, False),
        ({"iss": "https://idp", "aud": ["us", "them"], "azp": "them"}, True),
        ({"iss": "https://idp", "aud": ["us", "them"]}, True),
        ({"iss": "https://idp", "aud": "them"}, True),
        ({"iss": "https://idp"}, True),
        ({"iss": "https://other", "aud": "us"}, True),
        ({"aud": "us"}, True),
    ],
)
def test_an_id_token_must_be_for_this_client_from_this_issuer(payload, refused):
    from assess.people.sso import id_token_problem

    assert bool(id_token_problem(payload, issuer="https://idp", client_id="us")) is refused


def test_an_account_registered_in_advance_is_not_taken_over_at_single_sign_on(
    client, provider, org
):
    """The takeover: someone registered dana@<claimed domain> with a password of their own
    (before addresses were verified) and turned on two-factor; Dana's first single sign-on
    must not land in that account, nor lock her out through its second factor."""
    from tests.conftest import make_user

    squatter = make_user("dana@acme.example", verified=False)
    give_two_factor(squatter)
    SSODomain.objects.create(domain="acme.example", organization=org)
    set_person(provider, "dana-sub", email="dana@acme.example")
    response = sso_sign_in(client, "dana-sub")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert "two_factor_pending" not in client.session
    page = client.get(response.url).text
    assert "its address was never confirmed, so single sign-on cannot open it" in page
    assert not Membership.objects.filter(organization=org, user=squatter).exists()


def test_an_account_whose_address_was_verified_is_linked(client, provider, owner):
    from assess.models import VerifiedAddress

    VerifiedAddress.objects.filter(user=owner).delete()
    set_person(provider, "alice-sub", email=owner.email)
    sso_sign_in(client, "alice-sub")
    assert "_auth_user_id" not in client.session
    VerifiedAddress.objects.create(user=owner, email=owner.email, how="link")
    sso_sign_in(client, "alice-sub")
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_an_account_made_by_single_sign_on_is_verified(client, provider, db):
    from assess.people import addresses

    set_person(provider, "u-7", email="hal@elsewhere.example")
    sso_sign_in(client, "u-7")
    assert addresses.is_verified(get_user_model().objects.get(email="hal@elsewhere.example"))
