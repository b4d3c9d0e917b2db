"""Sessions: a new key at sign-in, none left behind at sign-out, deactivation or a password
change made elsewhere."""

from django.contrib.sessions.models import Session
from django.test import Client

from assess.people.security import user_sessions_end
from tests.conftest import PASSWORD, signed_in

LOGIN = "/accounts/login/"
PRIVATE = "/orgs/new/"  # any page that needs a signed-in user


def same_browser(client):
    """Another client holding the same session cookie, as a stolen or kept cookie would."""
    other = Client()
    other.cookies["sessionid"] = client.cookies["sessionid"].value
    return other


def test_signing_in_gives_a_new_session_key(client, owner):
    s = client.session  # an anonymous session exists before signing in
    s["seen"] = True
    s.save()
    before = client.cookies["sessionid"].value
    response = client.post(LOGIN, {"username": owner.email, "password": PASSWORD})
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_signing_out_ends_the_session_so_the_old_cookie_no_longer_works(client, owner):
    signed_in(client, owner)
    kept = same_browser(client)
    assert kept.get(PRIVATE).status_code == 200
    client.post("/accounts/logout/")
    response = kept.get(PRIVATE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_deactivating_a_user_signs_them_out_everywhere(client, owner, member):
    signed_in(client, owner)
    elsewhere = signed_in(Client(), owner)
    colleague = signed_in(Client(), member)
    owner.is_active = False
    owner.save()
    for c in (client, elsewhere):
        response = c.get(PRIVATE)
        assert response.status_code == 302 and response.url.startswith(LOGIN)
    # The sessions are gone, not just refused: reactivating does not bring them back.
    owner.is_active = True
    owner.save()
    assert client.get(PRIVATE).status_code == 302
    assert colleague.get(PRIVATE).status_code == 200


def test_deactivating_in_the_admin_ends_the_sessions(client, owner, db):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root@example.org", "root@example.org", "x")
    signed_in(client, owner)
    staff = signed_in(Client(), admin)
    page = staff.get(f"/admin/auth/user/{owner.pk}/change/")
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "username": owner.username,
            "is_active": "",
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
            "groups": [],
            "user_permissions": [],
        }
    )
    response = staff.post(f"/admin/auth/user/{owner.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    owner.refresh_from_db()
    assert not owner.is_active
    assert client.get(PRIVATE).status_code == 302
    assert Session.objects.count() == 1  # only the administrator's


def test_saving_an_active_user_leaves_their_sessions_alone(client, owner):
    signed_in(client, owner)
    owner.first_name = "Alicia"
    owner.save()
    assert client.get(PRIVATE).status_code == 200


def test_ending_a_users_sessions_counts_only_theirs(client, owner, member):
    signed_in(client, owner)
    signed_in(Client(), owner)
    signed_in(Client(), member)
    assert user_sessions_end(owner) == 2
    assert Session.objects.count() == 1


def test_changing_the_password_keeps_this_session_and_ends_the_others(client, owner):
    signed_in(client, owner)
    elsewhere = signed_in(Client(), owner)
    new = PASSWORD + "-changed"
    response = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get(PRIVATE).status_code == 200
    response = elsewhere.get(PRIVATE)
    assert response.status_code == 302 and response.url.startswith(LOGIN)
