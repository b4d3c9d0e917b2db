import re

from django.contrib.auth import get_user_model
from django.core import mail

from tests.conftest import PASSWORD


def test_it_signs_up_and_lands_on_the_organisation_form(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "New.Person@Example.org",
            "name": "New Person",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302 and response.url == "/orgs/new/"
    user = get_user_model().objects.get()
    assert user.email == user.username == "new.person@example.org"
    assert client.get("/orgs/new/").status_code == 200


def test_it_refuses_a_taken_email_and_keeps_what_was_typed(client, owner):
    response = client.post(
        "/accounts/signup/",
        {
            "email": owner.email,
            "name": "Someone Else",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "An account with this email exists" in response.text
    assert 'value="Someone Else"' in response.text
    assert get_user_model().objects.count() == 1


def test_it_refuses_mismatched_passwords_with_a_message(client, db):
    response = client.post(
        "/accounts/signup/",
        {"email": "x@example.org", "password1": PASSWORD, "password2": PASSWORD + "x"},
    )
    assert response.status_code == 200
    assert "didn’t match" in response.text or "didn't match" in response.text
    assert 'value="x@example.org"' in response.text


def test_it_signs_in_with_any_case_email_and_out_with_post(client, owner):
    response = client.post(
        "/accounts/login/", {"username": "ALICE@owner.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 302
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/").status_code == 200  # the public welcome page again
    assert "Create an account" in client.get("/").text


def test_a_wrong_password_says_so(client, owner):
    response = client.post("/accounts/login/", {"username": owner.email, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.text


def test_password_reset_sends_a_working_link(client, owner):
    response = client.post("/accounts/password_reset/", {"email": owner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert "Set a new password" in response.text
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "Another-strong-pass-77", "new_password2": "Another-strong-pass-77"},
    )
    assert response.status_code == 302
    owner.refresh_from_db()
    assert owner.check_password("Another-strong-pass-77")


def test_password_reset_for_an_unknown_email_reveals_nothing(client, db):
    response = client.post("/accounts/password_reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_an_invitee_who_signs_up_lands_back_on_the_invite(client, org):
    invite = f"/orgs/join/{org.invite_token}/"
    login_page = client.get(f"/accounts/login/?next={invite}").text
    assert f"/accounts/signup/?next={invite}" in login_page
    response = client.post(
        f"/accounts/signup/?next={invite}",
        {
            "email": "invitee@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": invite,
        },
    )
    assert response.status_code == 302 and response.url == invite


def test_signup_ignores_a_next_address_on_another_site(client, db):
    response = client.post(
        "/accounts/signup/",
        {
            "email": "x2@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "next": "https://evil.example/",
        },
    )
    assert response.url == "/orgs/new/"
