"""Passwords are stored with Argon2id at OWASP's setting, and older PBKDF2 hashes still sign
in and are rehashed (assess/people/hashers.py). The rest of the suite uses a fast hasher
(tests/conftest.py); these tests put the production list back."""

import pytest
from django.contrib.auth.hashers import make_password

from assess import settings as production
from tests.conftest import PASSWORD, make_user


@pytest.fixture
def production_hashers(settings):
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS


def test_a_new_password_is_stored_with_argon2id_at_owasps_setting(production_hashers, db):
    user = make_user("new@owner.example")
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD) and not user.check_password("not it")


def test_an_older_pbkdf2_hash_signs_in_and_is_rehashed(production_hashers, client, db):
    user = make_user("old@owner.example")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    client.logout()
    response = client.post("/accounts/login/", {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
