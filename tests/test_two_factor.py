import re

import pytest
from django.contrib.auth import get_user_model
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assess.models import AccessEvent
from assess.people import two_factor
from assess.services import answers_save
from tests.conftest import PASSWORD, signed_in
from tests.two_factor_helpers import code_now, give_two_factor, sign_in_with_code


def signed_in_user_id(client):
    return client.session.get("_auth_user_id")


# Setting it up


def test_setup_shows_the_qr_code_and_key_and_a_first_code_turns_it_on(client, owner):
    signed_in(client, owner)
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200
    assert "<svg" in page.text
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', page.text).group(1)
    assert two_factor.secret_base32(device) == secret

    response = client.post("/accounts/two-factor/setup/", {"code": code_now(device)})
    assert response.status_code == 302 and response.url == "/accounts/two-factor/recovery/"
    device.refresh_from_db()
    assert device.confirmed
    shown = client.get("/accounts/two-factor/recovery/").text
    codes = re.findall(r"<li>([a-z0-9]+)</li>", shown)
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    assert sorted(two_factor.recovery_code_hash(c) for c in codes) == sorted(
        StaticToken.objects.values_list("token", flat=True)
    )
    # Shown once only.
    again = client.get("/accounts/two-factor/recovery/").text
    assert not any(c in again for c in codes)
    assert "shown only once" in again


def test_reloading_the_setup_page_keeps_the_key_until_it_is_confirmed(client, owner):
    signed_in(client, owner)
    key = re.compile(r'id="totp-secret">([A-Z2-7]+)<')
    first = key.search(client.get("/accounts/two-factor/setup/").text).group(1)
    assert key.search(client.get("/accounts/two-factor/setup/").text).group(1) == first
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    client.post("/accounts/two-factor/setup/", {"code": code_now(device)})
    # Moving to another app later starts from a new key.
    assert key.search(client.get("/accounts/two-factor/setup/").text).group(1) != first


def test_a_wrong_first_code_is_refused_in_the_page_and_turns_nothing_on(client, owner):
    signed_in(client, owner)
    client.get("/accounts/two-factor/setup/")
    response = client.post("/accounts/two-factor/setup/", {"code": "000000x"})
    assert response.status_code == 200
    assert "That code does not match" in response.text
    assert not two_factor.has_two_factor(owner)
    # The same key is still on the page, so the app set up a moment ago still fits.
    device = TOTPDevice.objects.get(user=owner, confirmed=False)
    assert two_factor.secret_base32(device) in response.text


# Signing in


def test_the_password_alone_does_not_sign_in_an_account_with_two_factor(client, owner, org):
    give_two_factor(owner)
    response = client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/accounts/two-factor/verify/"
    assert signed_in_user_id(client) is None
    assert client.get(org.get_absolute_url()).status_code == 302


def test_the_right_code_signs_in_and_returns_where_they_were_going(client, owner, org):
    device, _codes = give_two_factor(owner)
    response = sign_in_with_code(client, owner, device, next_url=org.get_absolute_url())
    assert response.status_code == 302 and response.url == org.get_absolute_url()
    assert signed_in_user_id(client) == str(owner.pk)
    assert client.get(org.get_absolute_url()).status_code == 200
    assert AccessEvent.objects.filter(organization=org, user=owner, action="signed_in").exists()


def test_the_code_step_tells_of_answers_kept_only_when_there_are_some(client, owner, assessment):
    device, _codes = give_two_factor(owner)
    url = f"/a/{assessment.code}/s/2/"
    sign_in_with_code(client, owner, device, next_url=url)
    assert "the answers saved so far are kept" not in client.get(url).text
    client.logout()
    answers_save(assessment=assessment, section_number=1, values={"PRO-05": (("no",), "")})
    response = sign_in_with_code(client, owner, device, next_url=url)
    assert response.url == url
    assert "the answers saved so far are kept" in client.get(url).text


def test_a_wrong_code_keeps_them_out_with_a_message(client, owner):
    give_two_factor(owner)
    client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    response = client.post("/accounts/two-factor/verify/", {"code": "123456"})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert signed_in_user_id(client) is None


def test_a_recovery_code_signs_in_once(client, owner):
    _device, codes = give_two_factor(owner)
    for attempt in range(2):
        client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
        response = client.post("/accounts/two-factor/verify/", {"code": codes[0].upper()})
        if attempt == 0:
            assert response.status_code == 302
            assert signed_in_user_id(client) == str(owner.pk)
            client.post("/accounts/logout/")
        else:
            assert response.status_code == 200 and "That code is not right" in response.text
            assert signed_in_user_id(client) is None
    assert StaticToken.objects.filter(device__user=owner).count() == len(codes) - 1


def test_wrong_codes_are_counted_per_account_and_then_refused(client, owner, monkeypatch):
    monkeypatch.setattr(two_factor, "CODE_LIMIT", 3)
    device, _codes = give_two_factor(owner)
    client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    for _ in range(3):
        client.post("/accounts/two-factor/verify/", {"code": "000000"})
    response = client.post("/accounts/two-factor/verify/", {"code": code_now(device, 1)})
    assert response.status_code == 200
    assert "Too many wrong codes for this account" in response.text
    assert signed_in_user_id(client) is None


def test_the_right_code_does_not_use_up_the_allowance(client, owner, monkeypatch):
    monkeypatch.setattr(two_factor, "CODE_LIMIT", 1)
    device, codes = give_two_factor(owner)
    assert sign_in_with_code(client, owner, device).status_code == 302
    client.post("/accounts/logout/")
    client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    assert client.post("/accounts/two-factor/verify/", {"code": codes[0]}).status_code == 302


def test_the_code_step_needs_the_password_step_first(client, owner):
    give_two_factor(owner)
    response = client.get("/accounts/two-factor/verify/")
    assert response.status_code == 302 and response.url == "/accounts/login/"


def test_a_pending_sign_in_expires(client, owner, settings):
    device, _codes = give_two_factor(owner)
    settings.TWO_FACTOR_PENDING_SECONDS = -1
    client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    response = client.post("/accounts/two-factor/verify/", {"code": code_now(device, 1)})
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert signed_in_user_id(client) is None


def test_an_account_without_two_factor_signs_in_with_the_password(client, owner):
    response = client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/"
    assert signed_in_user_id(client) == str(owner.pk)


def test_turning_it_off_asks_for_a_current_code(client, owner):
    device, _codes = give_two_factor(owner)
    sign_in_with_code(client, owner, device)
    response = client.post("/accounts/two-factor/disable/", {"code": "999999"})
    assert response.status_code == 200 and "That code is not right" in response.text
    assert two_factor.has_two_factor(owner)
    response = client.post("/accounts/two-factor/disable/", {"code": code_now(device, 1)})
    assert response.status_code == 302
    assert not two_factor.has_two_factor(owner)
    assert not StaticToken.objects.filter(device__user=owner).exists()


def test_new_recovery_codes_replace_the_old_ones(client, owner):
    device, codes = give_two_factor(owner)
    sign_in_with_code(client, owner, device)
    response = client.post("/accounts/two-factor/recovery/renew/", {"current": codes[3]})
    assert response.status_code == 302
    new = re.findall(r"<li>([a-z0-9]+)</li>", client.get(response.url).text)
    assert len(new) == two_factor.RECOVERY_CODE_COUNT and not set(new) & set(codes)


def test_new_recovery_codes_take_a_current_code(client, owner):
    device, codes = give_two_factor(owner)
    sign_in_with_code(client, owner, device)
    before = sorted(StaticToken.objects.values_list("token", flat=True))
    for data in ({}, {"current": "000000"}):
        response = client.post("/accounts/two-factor/recovery/renew/", data)
        assert response.status_code == 200
        assert sorted(StaticToken.objects.values_list("token", flat=True)) == before
    assert "That code is not right" in response.text
    assert two_factor.RECOVERY_SHOWN not in client.session


def test_replacing_the_authenticator_takes_a_current_code(client, owner):
    old, codes = give_two_factor(owner)
    sign_in_with_code(client, owner, old)
    page = client.get("/accounts/two-factor/setup/").text
    assert 'name="current"' in page
    new = TOTPDevice.objects.get(user=owner, confirmed=False)
    # Only the new app's code: refused, and the app in use stays.
    response = client.post("/accounts/two-factor/setup/", {"code": code_now(new)})
    assert response.status_code == 200 and "This field is required" in response.text
    response = client.post(
        "/accounts/two-factor/setup/", {"current": "123456", "code": code_now(new)}
    )
    assert response.status_code == 200 and "That code is not right" in response.text
    assert TOTPDevice.objects.get(user=owner, confirmed=True).pk == old.pk
    # With a current code (a recovery code here) the new app replaces the old one.
    response = client.post(
        "/accounts/two-factor/setup/", {"current": codes[0], "code": code_now(new)}
    )
    assert response.status_code == 302
    assert TOTPDevice.objects.get(user=owner, confirmed=True).pk == new.pk


def test_recovery_codes_are_stored_hashed_and_still_sign_in(client, owner):
    _device, codes = give_two_factor(owner)
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert len(stored) == len(codes) and not stored & set(codes)
    assert not any(c[:8] in t or t in c for c in codes for t in stored)
    client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    response = client.post("/accounts/two-factor/verify/", {"code": codes[5]})
    assert response.status_code == 302 and signed_in_user_id(client) == str(owner.pk)


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/two-factor/",
        "/accounts/two-factor/setup/",
        "/accounts/two-factor/recovery/",
        "/accounts/two-factor/disable/",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


# An organisation's policy


def test_an_owner_requires_it_and_a_member_without_it_is_sent_to_set_it_up(
    client, owner, member, org, assessment
):
    device, _codes = give_two_factor(owner)
    sign_in_with_code(client, owner, device)
    response = client.post(f"/orgs/{org.code}/two-factor-policy/", {"require_two_factor": "on"})
    assert response.status_code == 302
    org.refresh_from_db()
    assert org.require_two_factor
    assert AccessEvent.objects.filter(organization=org, action="changed_policy").exists()

    client.post("/accounts/logout/")
    signed_in(client, member)
    for url in (org.get_absolute_url(), f"/a/{assessment.code}/"):
        response = client.get(url, follow=True)
        assert response.redirect_chain[0][0].startswith("/accounts/two-factor/setup/?next=")
        assert "Acme Bank requires two-factor authentication" in response.text
        assert "Acme Bank</h1>" not in response.text

    # Setting it up lets them in, back where they were going.
    device = TOTPDevice.objects.get(user=member, confirmed=False)
    response = client.post(
        "/accounts/two-factor/setup/", {"code": code_now(device), "next": org.get_absolute_url()}
    )
    recovery = client.get(response.url)
    assert f'href="{org.get_absolute_url()}">Continue' in recovery.text
    assert client.get(org.get_absolute_url()).status_code == 200


def test_an_owner_without_two_factor_cannot_require_it(owner_client, org):
    response = owner_client.post(
        f"/orgs/{org.code}/two-factor-policy/", {"require_two_factor": "on"}, follow=True
    )
    assert "Turn on two-factor authentication for your own account first" in response.text
    org.refresh_from_db()
    assert not org.require_two_factor


def test_a_member_cannot_change_the_policy_and_an_outsider_cannot_see_it(
    client, member, outsider, org
):
    signed_in(client, member)
    assert client.post(f"/orgs/{org.code}/two-factor-policy/").status_code == 403
    signed_in(client, outsider)
    assert client.post(f"/orgs/{org.code}/two-factor-policy/").status_code == 404
    client.logout()
    response = client.post(f"/orgs/{org.code}/two-factor-policy/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    org.refresh_from_db()
    assert not org.require_two_factor


def test_the_policy_tells_an_outsider_nothing_and_reaches_no_other_organisation(
    client, outsider, org, other_org
):
    org.require_two_factor = True
    org.save()
    signed_in(client, outsider)
    assert client.get(org.get_absolute_url()).status_code == 404
    assert client.get(other_org.get_absolute_url()).status_code == 200


# The admin


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user(
        username="ada@staff.example",
        email="ada@staff.example",
        password=PASSWORD,
        is_staff=True,
        is_superuser=True,
    )


def test_the_admin_signs_in_through_the_two_step_sign_in(client, staff):
    response = client.get("/admin/login/?next=/admin/assess/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fadmin%2Fassess%2F"
    assert client.get("/admin/").url.startswith("/admin/login/")


def test_admin_require_2fa_sends_staff_without_it_to_set_it_up(client, staff, settings):
    settings.ADMIN_REQUIRE_2FA = True
    signed_in(client, staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/accounts/two-factor/setup/?next=%2Fadmin%2F"
    device, _codes = give_two_factor(staff)
    client.logout()
    sign_in_with_code(client, staff, device)
    assert client.get("/admin/").status_code == 200


def test_without_the_setting_staff_reach_the_admin_with_a_password(client, staff):
    signed_in(client, staff)
    assert client.get("/admin/").status_code == 200


# Query counts


def test_the_two_factor_pages_take_a_fixed_number_of_queries(
    client, owner, django_assert_num_queries
):
    signed_in(client, owner)
    with django_assert_num_queries(6):  # and whether the address is verified
        assert client.get("/accounts/two-factor/").status_code == 200
    # and the organisations requiring it (to leave), and whether a device is in use (one
    # query per kind of device)
    with django_assert_num_queries(8):
        assert client.get("/accounts/two-factor/setup/").status_code == 200
    device, _codes = give_two_factor(owner)
    client.logout()
    client.post("/accounts/login/", {"username": owner.email, "password": PASSWORD})
    with django_assert_num_queries(2):
        assert client.get("/accounts/two-factor/verify/").status_code == 200


def test_a_member_of_an_organisation_that_requires_it_can_leave_without_it(client, member, org):
    org.require_two_factor = True
    org.save()
    signed_in(client, member)
    setup = client.get(org.get_absolute_url())
    assert setup.url.startswith("/accounts/two-factor/setup/")
    page = client.get(setup.url).text
    m = org.membership_set.get(user=member)
    assert f'action="/orgs/{org.code}/members/{m.pk}/remove/"' in page
    assert "Leave Acme Bank" in page
    response = client.post(f"/orgs/{org.code}/members/{m.pk}/remove/")
    assert response.status_code == 302 and response.url == "/"
    assert not org.membership_set.filter(user=member).exists()
    assert AccessEvent.objects.get(action="left").email == member.email


def test_without_two_factor_a_member_removes_no_one_else(client, owner, member, org):
    org.require_two_factor = True
    org.save()
    signed_in(client, owner)  # an owner, signed in without a second factor
    m = org.membership_set.get(user=member)
    response = client.post(f"/orgs/{org.code}/members/{m.pk}/remove/")
    assert response.url.startswith("/accounts/two-factor/setup/")
    assert org.membership_set.filter(user=member).exists()
