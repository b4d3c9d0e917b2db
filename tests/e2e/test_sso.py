"""Single sign-on in a browser: the sign-in page's button, the provider's own page on
127.0.0.1 (oidc-provider-mock), and back, signed in and a member of the organisation that
claims the address's domain."""

import pytest

from assess.models import SSODomain
from assess.services import organization_create
from tests.e2e.conftest import check_accessibility
from tests.oidc_provider import oidc_provider, set_person


@pytest.fixture
def provider(settings, transactional_db):
    with oidc_provider(settings) as base:
        yield base


def test_sso_sign_in_through_the_local_provider(site, new_context, ciso, provider):
    org = organization_create(
        user=ciso, name="Federated Ltd", sector="energy", size_band="large", countries=["DE"]
    )
    SSODomain.objects.create(domain="federated.example", organization=org)
    set_person(provider, "emp-42", email="jo@federated.example", name="Jo Weber")

    page = new_context().new_page()
    page.goto(f"{site}/accounts/login/")
    check_accessibility(page)
    page.get_by_role("link", name="Sign in with your company account (single sign-on)").click()
    assert page.url.startswith(provider)
    page.locator("#subject-input").fill("emp-42")
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.get_by_role("link", name="jo@federated.example").wait_for()
    assert page.url == f"{site}/orgs/{org.code}/"
    assert "Federated Ltd" in page.locator("main").inner_text()
