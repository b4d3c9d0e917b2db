import re
import time
from unittest import mock

from django.contrib.auth import get_user_model
from django.utils import timezone

from assess.models import SSODomain
from assess.people import addresses, returning
from assess.services import answers_save
from tests.conftest import PASSWORD, sent_mail

SIGNUP_LINK = re.compile(r"https?://[^/\s]+(/accounts/signup/[\w:.-]+/)")


def sign_up(client, email, next_url=""):
    """The first step: the address; the link mailed to it (None if the mail has none)."""
    data = {"email": email} | ({"next": next_url} if next_url else {})
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 200 and "Check your e-mail" in response.text
    found = SIGNUP_LINK.search(sent_mail()[-1].body)
    return found[1] if found else None


def test_it_signs_up_through_a_mailed_link_and_lands_on_the_organisation_form(client, db):
    link = sign_up(client, "New.Person@Example.org")
    assert sent_mail()[0].to == ["new.person@example.org"]
    assert not get_user_model().objects.exists()  # nothing until the link is opened
    page = client.get(link)
    assert "new.person@example.org is confirmed" in page.text
    response = client.post(
        link, {"name": "New Person", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert response.status_code == 302 and response.url == "/orgs/new/"
    user = get_user_model().objects.get()
    assert user.email == user.username == "new.person@example.org"
    assert user.first_name == "New Person" and user.check_password(PASSWORD)
    assert addresses.is_verified(user)
    assert client.get("/orgs/new/").status_code == 200
    # The link is spent: the account exists now.
    assert client.get(link).url == "/accounts/login/"


def same_page(html, email):
    """The page with the address and the CSRF token (new on each page) taken out."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return html.replace(email, "X")


def test_sign_up_answers_the_same_whether_or_not_the_address_has_an_account(client, owner):
    fresh = client.post("/accounts/signup/", {"email": "nobody@example.org"})
    taken = client.post("/accounts/signup/", {"email": owner.email})
    assert taken.status_code == fresh.status_code == 200
    assert same_page(taken.text, owner.email) == same_page(fresh.text, "nobody@example.org")
    # A mail either way; the account holder's says how to sign in, and makes nothing.
    assert [m.to for m in sent_mail()] == [["nobody@example.org"], [owner.email]]
    assert "It already has one" in sent_mail()[1].body
    assert "/accounts/password_reset/" in sent_mail()[1].body
    assert not SIGNUP_LINK.search(sent_mail()[1].body)
    assert get_user_model().objects.count() == 1


def test_a_domain_claimed_for_single_sign_on_cannot_sign_up_with_a_password(client, org):
    SSODomain.objects.create(domain="acme.example", organization=org)
    response = client.post("/accounts/signup/", {"email": "Dana@Acme.example"})
    assert response.status_code == 200
    assert "Addresses at acme.example sign in through their organisation" in response.text
    assert sent_mail() == []


def test_it_refuses_mismatched_passwords_with_a_message(client, db):
    link = sign_up(client, "x@example.org")
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert response.status_code == 200
    assert "didn’t match" in response.text or "didn't match" in response.text
    assert not get_user_model().objects.exists()


def test_a_forged_or_expired_sign_up_link_makes_nothing(client, db):
    link = sign_up(client, "late@example.org")
    forged = client.get(link[:-3] + "xx/")
    assert forged.status_code == 404 and "This link no longer works" in forged.text
    with mock.patch("django.core.signing.time.time", return_value=time.time() + 25 * 3600):
        expired = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert expired.status_code == 404
    assert not get_user_model().objects.exists()


def test_sign_up_mails_to_one_address_are_limited(client, db):
    for _ in range(5):
        client.post("/accounts/signup/", {"email": "target@example.org"})
    assert len(sent_mail()) == addresses.MAILS_PER_ADDRESS


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
    assert len(sent_mail()) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", sent_mail()[0].body).group(1)
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
    assert len(sent_mail()) == 0


def test_an_invitee_who_signs_up_lands_back_on_the_invite(client, org):
    invite = f"/orgs/join/{org.invite_token}/"
    login_page = client.get(f"/accounts/login/?next={invite}").text
    assert f"/accounts/signup/?next={invite}" in login_page
    link = sign_up(client, "invitee@example.org", invite)
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302 and response.url == invite


def test_signup_ignores_a_next_address_on_another_site(client, db):
    link = sign_up(client, "x2@example.org", "https://evil.example/")
    response = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.url == "/orgs/new/"


def test_the_migration_counts_accounts_that_showed_their_address_as_verified(org, owner):
    """0019_sign_in on a database from before: an accepted invitation to the account's own
    address, or an account only single sign-on can reach, counts as verified; nothing else."""
    from datetime import timedelta
    from importlib import import_module

    from django.apps import apps
    from django.utils import timezone

    from assess.models import Invitation, VerifiedAddress, invitation_token_hash
    from tests.conftest import make_user

    migration = import_module("assess.migrations.0019_sign_in")
    VerifiedAddress.objects.all().delete()
    invited = make_user("ivy@client.example", verified=False)
    forwarded = make_user("fred@client.example", verified=False)  # accepted someone else's
    sso = make_user("sam@acme.example", verified=False)
    sso.set_unusable_password()
    sso.save()
    for n, (email, user) in enumerate(
        [("ivy@client.example", invited), ("other@client.example", forwarded)]
    ):
        Invitation.objects.create(
            organization=org,
            email=email,
            role="member",
            token_hash=invitation_token_hash(f"t{n}"),
            expires=timezone.now() + timedelta(days=1),
            accepted_at=timezone.now(),
            accepted_by=user,
        )
    migration.verify_existing(apps, None)
    verified = set(VerifiedAddress.objects.values_list("user__email", "how"))
    assert verified == {("ivy@client.example", "invitation"), ("sam@acme.example", "sso")}
    assert not addresses.is_verified(owner)  # signed up with a password: not yet


def test_the_migration_hashes_recovery_codes_already_issued(owner):
    from importlib import import_module

    from django.apps import apps
    from django_otp.plugins.otp_static.models import StaticDevice

    from assess.people import two_factor

    device = StaticDevice.objects.create(user=owner, name="recovery")
    device.token_set.create(token="abcd2345")
    import_module("assess.migrations.0019_sign_in").hash_recovery_codes(apps, None)
    assert device.token_set.get().token == two_factor.recovery_code_hash("abcd2345")
    assert two_factor.code_check(owner, "ABCD 2345") == device


KEPT = "the answers saved so far are kept"


def test_the_sign_in_page_promises_nothing_about_answers(client, db):
    """Who signs in is not known yet: an invited newcomer has no answers to keep."""
    for nxt in ("/invitations/some-token/", "/a/00000000-0000-0000-0000-000000000000/s/2/"):
        page = client.get(f"/accounts/login/?next={nxt}").text
        assert "Please sign in to continue; you will return to where you were." in page
        assert "answers" not in page.split("<main", 1)[1]


def _sign_in_to(client, user, next_url):
    response = client.post(
        "/accounts/login/", {"username": user.email, "password": PASSWORD, "next": next_url}
    )
    assert response.url == next_url
    return client.get(next_url).text


def test_an_invited_newcomer_back_at_a_draft_without_answers_is_not_told_they_are_kept(
    client, member, assessment
):
    page = _sign_in_to(client, member, f"/a/{assessment.code}/s/1/")
    assert KEPT not in page


def test_someone_back_at_a_draft_with_saved_answers_is_told_they_are_kept(
    client, owner, assessment
):
    answers_save(assessment=assessment, section_number=1, values={"PRO-05": (("no",), "")})
    assert KEPT in _sign_in_to(client, owner, f"/a/{assessment.code}/s/2/")


def test_answers_kept_is_said_only_of_the_account_s_own_drafts(owner, outsider, assessment):
    answers_save(assessment=assessment, section_number=1, values={"PRO-05": (("no",), "")})
    url = f"/a/{assessment.code}/review/"
    assert returning.answers_kept(owner, url)
    assert not returning.answers_kept(outsider, url)
    assert not returning.answers_kept(owner, "/invitations/x/")
    assert not returning.answers_kept(owner, "/a/not-a-uuid/")
    type(assessment).objects.filter(pk=assessment.pk).update(
        status="submitted", submitted_at=timezone.now(), result={}
    )
    assert not returning.answers_kept(owner, url)
