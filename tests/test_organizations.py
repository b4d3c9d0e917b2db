import pytest

from assess.models import Membership, Organization
from tests.conftest import sent_mail, signed_in


def test_a_new_user_creates_an_organisation_and_owns_it(client, outsider):
    signed_in(client, outsider)
    response = client.post(
        "/orgs/new/",
        {
            "name": "Müller & Søn — 株式会社",
            "sector": "energy",
            "size_band": "medium",
            "headquarters": "DE",
            "countries": ["DE", "JP"],
        },
    )
    org = Organization.objects.get(name="Müller & Søn — 株式会社")
    assert response.status_code == 302 and response.url == f"/orgs/{org.code}/"
    assert Membership.objects.get(organization=org).role == "owner"
    assert [c.code for c in org.countries] == ["DE", "JP"]
    page = client.get(response.url)
    assert "Müller &amp; Søn — 株式会社" in page.text


def test_bad_organisation_input_keeps_what_was_typed(client, outsider):
    signed_in(client, outsider)
    response = client.post(
        "/orgs/new/", {"name": "Half filled", "sector": "not-a-sector", "size_band": "small"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert 'value="Half filled"' in response.text
    assert not Organization.objects.filter(name="Half filled").exists()


def test_home_sends_a_user_without_organisation_to_create_one(client, outsider):
    signed_in(client, outsider)
    Membership.objects.filter(user=outsider).delete()
    assert client.get("/").url == "/orgs/new/"


def test_the_dashboard_lists_the_organisations_assessments(client, owner, org, assessment):
    signed_in(client, owner)
    response = client.get(f"/orgs/{org.code}/")
    assert response.status_code == 200
    assert "Acme Bank" in response.text
    assert f"/a/{assessment.code}/s/1/" in response.text
    assert "In progress" in response.text


def test_the_dashboard_query_count_does_not_grow_with_assessments(
    client, owner, org, bank, django_assert_num_queries
):
    from assess.models import Assessment

    signed_in(client, owner)
    Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    client.get(f"/orgs/{org.code}/")  # remembers the current organisation in the session
    # session, user, organisation, assessments, current bank, switcher, members, and for an
    # owner the pending invitations, and the memberships held
    with django_assert_num_queries(9):
        client.get(f"/orgs/{org.code}/")
    Assessment.objects.bulk_create(
        [Assessment(organization=org, bank=bank, created_by=owner) for _ in range(10)]
    )
    with django_assert_num_queries(9):
        client.get(f"/orgs/{org.code}/")


def test_a_user_switches_between_organisations(client, owner, org, other_org):
    Membership.objects.create(user=owner, organization=other_org)
    signed_in(client, owner)
    page = client.get(f"/orgs/{org.code}/")
    assert "Rival Ltd" in page.text  # offered in the switcher
    response = client.post("/orgs/switch/", {"org": str(other_org.code)})
    assert response.url == f"/orgs/{other_org.code}/"
    assert client.get("/").url == f"/orgs/{other_org.code}/"


def test_it_edits_the_profile(client, owner, org):
    signed_in(client, owner)
    response = client.post(
        f"/orgs/{org.code}/edit/",
        {
            "name": "Acme Bank plc",
            "sector": "financial_services",
            "size_band": "enterprise",
            "headquarters": "GB",
            "countries": ["GB"],
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name, org.size_band) == ("Acme Bank plc", "enterprise")


@pytest.mark.parametrize("path", ["/orgs/{code}/", "/orgs/{code}/edit/"])
def test_it_hides_an_organisation_from_outsiders(client, outsider, org, path):
    signed_in(client, outsider)
    assert client.get(path.format(code=org.code)).status_code == 404


def test_outsiders_cannot_switch_into_an_organisation(client, outsider, org):
    signed_in(client, outsider)
    assert client.post("/orgs/switch/", {"org": str(org.code)}).status_code == 404
    assert client.post("/orgs/switch/", {"org": "not-a-uuid"}).status_code == 404


def test_outsiders_cannot_start_an_assessment_for_another_org(client, outsider, org, bank):
    signed_in(client, outsider)
    assert client.post(f"/orgs/{org.code}/assessments/new/").status_code == 404
    assert not org.assessments.exists()


def test_starting_without_a_published_bank_says_what_to_do(client, owner, org):
    signed_in(client, owner)
    response = client.post(f"/orgs/{org.code}/assessments/new/", follow=True)
    assert "No question bank is published yet" in response.text
    assert not org.assessments.exists()


def test_an_owner_invites_a_colleague_who_accepts(client, owner, outsider, org):
    signed_in(client, owner)
    page = client.get(f"/orgs/{org.code}/").text
    assert f"/orgs/join/{org.invite_token}/" in page
    signed_in(client, outsider)
    confirm = client.get(f"/orgs/join/{org.invite_token}/")
    assert "Join Acme Bank?" in confirm.text
    assert not Membership.objects.filter(user=outsider, organization=org).exists()
    response = client.post(f"/orgs/join/{org.invite_token}/")
    assert response.url == f"/orgs/{org.code}/"
    assert Membership.objects.get(user=outsider, organization=org).role == "member"
    assert client.get(f"/orgs/{org.code}/").status_code == 200


def test_an_invite_needs_a_signed_in_user_and_a_valid_token(client, outsider, org):
    response = client.get(f"/orgs/join/{org.invite_token}/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    signed_in(client, outsider)
    response = client.post("/orgs/join/not-the-token/")
    assert response.status_code == 404 and "invite link is not valid" in response.text
    assert not Membership.objects.filter(user=outsider, organization=org).exists()


def test_a_renewed_invite_revokes_the_old_link_and_only_owners_renew(
    client, owner, member, outsider, org
):
    old = org.invite_token
    signed_in(client, member)
    assert client.post(f"/orgs/{org.code}/invite/renew/").status_code == 403
    assert "Invite link" not in client.get(f"/orgs/{org.code}/").text
    signed_in(client, owner)
    client.post(f"/orgs/{org.code}/invite/renew/")
    org.refresh_from_db()
    assert org.invite_token != old
    signed_in(client, outsider)
    assert client.post(f"/orgs/join/{old}/").status_code == 404
    assert not Membership.objects.filter(user=outsider, organization=org).exists()


def test_an_organisation_name_is_one_line(client, outsider):
    signed_in(client, outsider)
    response = client.post(
        "/orgs/new/",
        {
            "name": "Acme\r\nBcc: victim@example.com\n  Bank",
            "sector": "energy",
            "size_band": "small",
            "headquarters": "FR",
            "countries": ["FR"],
        },
    )
    assert response.status_code == 302
    assert Organization.objects.filter(name="Acme Bcc: victim@example.com Bank").exists()


def test_only_owners_edit_the_profile(client, member, org):
    signed_in(client, member)
    assert "/edit/" not in client.get(f"/orgs/{org.code}/").text
    assert client.get(f"/orgs/{org.code}/edit/").status_code == 403
    response = client.post(
        f"/orgs/{org.code}/edit/",
        {"name": "Taken over", "sector": "energy", "size_band": "small", "headquarters": "FR"},
    )
    assert response.status_code == 403
    org.refresh_from_db()
    assert org.name == "Acme Bank"


def test_an_unverified_address_joins_by_the_invite_link_only_once_confirmed(client, org):
    import re

    from tests.conftest import make_user

    legacy = make_user("lee@legacy.example", verified=False)
    signed_in(client, legacy)
    invite = f"/orgs/join/{org.invite_token}/"
    assert "First confirm that lee@legacy.example is your address" in client.get(invite).text
    response = client.post(invite)
    assert response.status_code == 302 and response.url == invite
    assert not Membership.objects.filter(organization=org, user=legacy).exists()
    assert [m.to for m in sent_mail()] == [["lee@legacy.example"]]
    verify = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", sent_mail()[0].body)[1]
    assert client.get(verify).url == "/"
    assert client.post(invite).status_code == 302
    assert Membership.objects.filter(organization=org, user=legacy).exists()


def test_a_verification_link_is_for_the_address_it_was_sent_to(client, db):
    import re

    from assess.people import addresses
    from tests.conftest import make_user

    user = make_user("ann@old.example", verified=False)
    signed_in(client, user)
    page = client.get("/accounts/two-factor/").text
    assert "ann@old.example is not confirmed yet" in page
    client.post("/accounts/verify/")
    verify = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", sent_mail()[0].body)[1]
    user.email = user.username = "ann@new.example"  # changed since (in the admin, say)
    user.save()
    assert client.get(verify).status_code == 404
    assert not addresses.is_verified(user)
