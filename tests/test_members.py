"""E-mailed invitations, roles and removal, and the access log, over HTTP; the outsider's and
the non-owner member's side of every owner-only page."""

import csv
import importlib
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import formats, timezone, translation

from assess.models import AccessEvent, Invitation, Membership
from assess.people import access_log
from tests.conftest import PASSWORD, make_user, run_queued_tasks, sent_mail, signed_in
from tests.smtp_server import SMTPServer

LINK = re.compile(r"https?://[^/\s]+(/invitations/[\w-]+/)")


def invite(client, org, emails, role="member"):
    return client.post(f"/orgs/{org.code}/members/", {"emails": emails, "role": role})


def link_in(body):
    return LINK.search(body)[1]


def test_an_owner_invites_by_email_each_address_gets_its_own_link(owner_client, org):
    response = invite(owner_client, org, "carol@client.example, dan@consult.example", "consultant")
    assert response.status_code == 302 and response.url == f"/orgs/{org.code}/members/"
    assert [m.to for m in sent_mail()] == [["carol@client.example"], ["dan@consult.example"]]
    links = {link_in(m.body) for m in sent_mail()}
    assert len(links) == 2
    assert "Acme Bank" in sent_mail()[0].subject and "as consultant" in sent_mail()[0].body
    for page in (owner_client.get(f"/orgs/{org.code}/"), owner_client.get(response.url)):
        assert "carol@client.example" in page.text and "dan@consult.example" in page.text
    # Only a hash of the token is stored.
    token = next(iter(links)).split("/")[2]
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_bad_addresses_send_nothing_and_keep_what_was_typed(owner_client, org):
    response = invite(owner_client, org, "carol@client.example not-an-address", "owner")
    assert response.status_code == 200
    assert "These are not e-mail addresses: not-an-address" in response.text
    assert "carol@client.example not-an-address</textarea>" in response.text
    assert '<option value="owner" selected>' in response.text
    assert sent_mail() == [] and not Invitation.objects.exists()


def test_a_member_already_in_the_organisation_is_not_invited(owner_client, org, member):
    invite(owner_client, org, member.email)
    assert sent_mail() == []
    page = owner_client.get(f"/orgs/{org.code}/members/")
    assert f"Already members, so not invited: {member.email}" in page.text


def test_the_invitee_signs_up_accepts_once_and_gets_the_role(client, owner, org):
    invite(signed_in(client, owner), org, "Carol@Client.example", "consultant")
    path = link_in(sent_mail()[0].body)
    client.logout()
    # Not signed in: the link leads to sign-in, which keeps where the invitee was going.
    response = client.get(path)
    assert response.status_code == 302 and response.url.startswith("/accounts/login/?next=")
    client.post("/accounts/signup/", {"email": "carol@client.example", "next": path})
    signup_link = re.search(r"https?://[^/\s]+(/accounts/signup/\S+/)", sent_mail()[-1].body)[1]
    signup = client.post(
        signup_link, {"name": "Carol", "password1": PASSWORD, "password2": PASSWORD}
    )
    assert signup.url == path
    page = client.get(path)
    assert "Join Acme Bank?" in page.text and "to join as consultant" in page.text
    joined = client.post(path)
    assert joined.url == f"/orgs/{org.code}/"
    membership = Membership.objects.get(organization=org, user__email="carol@client.example")
    assert membership.role == "consultant"
    assert "Acme Bank" in client.get(joined.url).text
    again = client.get(path)
    assert again.status_code == 404 and "already been used" in again.text
    event = AccessEvent.objects.get(organization=org, action="joined")
    assert event.email == "carol@client.example" and event.ip_address == "127.0.0.1"


def test_an_invitation_is_for_its_address_only(client, owner, org, outsider):
    invite(signed_in(client, owner), org, "carol@client.example")
    path = link_in(sent_mail()[0].body)
    signed_in(client, outsider)
    response = client.post(path)
    assert response.status_code == 400
    assert "This invitation was sent to carol@client.example" in response.text
    assert not Membership.objects.filter(organization=org, user=outsider).exists()
    assert Invitation.objects.get().is_pending  # still usable by its addressee


def test_an_expired_invitation_no_longer_works(client, owner, org, settings):
    settings.INVITATION_DAYS = 3
    invite(signed_in(client, owner), org, "eve@outsider.example")
    invitation = Invitation.objects.get()
    assert timedelta(days=2, hours=23) < invitation.expires - timezone.now() <= timedelta(days=3)
    Invitation.objects.update(expires=timezone.now() - timedelta(seconds=1))
    signed_in(client, make_user("eve2@outsider.example"))
    response = client.post(link_in(sent_mail()[0].body))
    assert response.status_code == 404 and "has expired" in response.text


def test_a_revoked_invitation_no_longer_works(client, owner, org, outsider):
    invite(signed_in(client, owner), org, outsider.email)
    invitation = Invitation.objects.get()
    response = client.post(
        f"/orgs/{org.code}/invitations/{invitation.pk}/revoke/", {"next": "dashboard"}
    )
    assert response.url == f"/orgs/{org.code}/"
    assert f"/invitations/{invitation.pk}/revoke/" not in client.get(f"/orgs/{org.code}/").text
    assert not org.invitations.pending().exists()
    signed_in(client, outsider)
    assert client.post(link_in(sent_mail()[0].body)).status_code == 404
    assert not Membership.objects.filter(organization=org, user=outsider).exists()


def test_inviting_an_address_again_replaces_its_pending_invitation(owner_client, org):
    invite(owner_client, org, "carol@client.example")
    Invitation.objects.update(created=timezone.now() - timedelta(minutes=61))
    invite(owner_client, org, "carol@client.example", "owner")
    assert list(org.invitations.pending().values_list("role", flat=True)) == ["owner"]
    first, second = (link_in(m.body) for m in sent_mail())
    assert owner_client.get(first).status_code == 404
    assert owner_client.get(second).status_code == 200


def test_re_inviting_within_the_hour_sends_no_second_mail(owner_client, org):
    for _ in range(20):
        invite(owner_client, org, "carol@client.example")
    assert len(sent_mail()) == 1
    assert Invitation.objects.count() == 1
    page = owner_client.get(f"/orgs/{org.code}/members/").text
    assert "Invited less than an hour ago, so not sent again: carol@client.example" in page


def test_invitations_are_limited_per_inviter_per_day(owner_client, org, settings):
    settings.INVITATIONS_PER_INVITER_DAY = 3
    invite(owner_client, org, "a@x.example b@x.example")
    response = invite(owner_client, org, "c@x.example d@x.example")
    assert response.status_code == 200
    assert "You can send 3 invitations a day, and 1 more today" in response.text
    assert len(sent_mail()) == 2 and Invitation.objects.count() == 2


def test_invitations_are_limited_per_organisation_per_day(client, owner, org, settings):
    settings.INVITATIONS_PER_ORGANIZATION_DAY = 2
    second_owner = make_user("olive@owner.example")
    Membership.objects.create(user=second_owner, organization=org, role="owner")
    invite(signed_in(client, owner), org, "a@x.example b@x.example")
    response = invite(signed_in(client, second_owner), org, "c@x.example")
    assert "This organisation can send 2 invitations a day, and 0 more today" in response.text
    assert len(sent_mail()) == 2


def test_an_owner_whose_address_is_unverified_may_not_invite(client, org):
    legacy = make_user("uma@owner.example", verified=False)
    Membership.objects.create(user=legacy, organization=org, role="owner")
    response = invite(signed_in(client, legacy), org, "carol@client.example")
    assert response.status_code == 200
    assert "Confirm your own e-mail address before inviting anyone" in response.text
    assert not Invitation.objects.exists()
    # What was sent is the link that verifies the owner's own address.
    assert [m.to for m in sent_mail()] == [["uma@owner.example"]]
    verify = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", sent_mail()[0].body)[1]
    assert client.get(verify).status_code == 302
    assert invite(client, org, "carol@client.example").status_code == 302
    assert Invitation.objects.get().email == "carol@client.example"


def test_accepting_an_emailed_invitation_verifies_the_address(client, owner, org):
    from assess.people import addresses

    invite(signed_in(client, owner), org, "carol@client.example")
    path = link_in(sent_mail()[0].body)
    carol = make_user("carol@client.example", verified=False)
    signed_in(client, carol)
    assert client.post(path).status_code == 302
    assert addresses.is_verified(carol)


def test_the_organisation_invite_link_still_works_and_is_logged(client, org, outsider):
    signed_in(client, outsider)
    response = client.post(f"/orgs/join/{org.invite_token}/")
    assert response.url == f"/orgs/{org.code}/"
    assert Membership.objects.get(organization=org, user=outsider).role == "member"
    assert AccessEvent.objects.filter(organization=org, action="joined", user=outsider).exists()


def test_an_owner_changes_a_role_and_it_is_logged(owner_client, org, member):
    m = Membership.objects.get(user=member, organization=org)
    response = owner_client.post(f"/orgs/{org.code}/members/{m.pk}/role/", {"role": "consultant"})
    assert response.url == f"/orgs/{org.code}/members/"
    m.refresh_from_db()
    assert m.role == "consultant"
    event = AccessEvent.objects.get(action="changed_role")
    assert event.detail == "bob@member.example: member to consultant"
    bad = owner_client.post(f"/orgs/{org.code}/members/{m.pk}/role/", {"role": "admin"})
    assert "Choose a role from the list" in owner_client.get(bad.url).text


def test_the_last_owner_can_be_neither_demoted_nor_removed(owner_client, org, owner):
    mine = Membership.objects.get(user=owner, organization=org)
    demote = owner_client.post(f"/orgs/{org.code}/members/{mine.pk}/role/", {"role": "member"})
    assert "needs at least one owner" in owner_client.get(demote.url).text
    leave = owner_client.post(f"/orgs/{org.code}/members/{mine.pk}/remove/")
    assert "needs at least one owner" in owner_client.get(leave.url).text
    mine.refresh_from_db()
    assert mine.role == "owner"


def test_with_a_second_owner_the_first_may_step_down(owner_client, org, owner, member):
    Membership.objects.filter(user=member).update(role="owner")
    mine = Membership.objects.get(user=owner, organization=org)
    owner_client.post(f"/orgs/{org.code}/members/{mine.pk}/role/", {"role": "member"})
    mine.refresh_from_db()
    assert mine.role == "member"


def test_an_owner_removes_a_member_who_then_sees_nothing(client, owner, org, member, assessment):
    m = Membership.objects.get(user=member, organization=org)
    signed_in(client, owner).post(f"/orgs/{org.code}/members/{m.pk}/remove/")
    assert not Membership.objects.filter(pk=m.pk).exists()
    assert AccessEvent.objects.get(action="removed").detail == member.email
    signed_in(client, member)
    assert client.get(f"/orgs/{org.code}/").status_code == 404
    assert client.get(f"/a/{assessment.code}/").status_code == 404


def test_a_member_leaves_from_the_dashboard(client, member, org):
    signed_in(client, member)
    page = client.get(f"/orgs/{org.code}/").text
    m = Membership.objects.get(user=member, organization=org)
    assert f"/orgs/{org.code}/members/{m.pk}/remove/" in page
    response = client.post(f"/orgs/{org.code}/members/{m.pk}/remove/")
    assert response.url == "/"
    assert not Membership.objects.filter(pk=m.pk).exists()
    assert AccessEvent.objects.get(action="left").email == member.email


OWNER_ONLY_GET = ["members/", "access-log/", "access-log.csv"]


def test_a_member_who_is_not_an_owner_is_refused_every_owner_page(client, owner, member, org):
    invite(signed_in(client, owner), org, "carol@client.example")
    invitation = Invitation.objects.get()
    owners = Membership.objects.get(user=owner)
    signed_in(client, member)
    for path in OWNER_ONLY_GET:
        assert client.get(f"/orgs/{org.code}/{path}").status_code == 403, path
    for path, data in [
        ("members/", {"emails": "mallory@evil.example", "role": "owner"}),
        (f"members/{owners.pk}/role/", {"role": "member"}),
        (f"members/{owners.pk}/remove/", {}),
        (f"invitations/{invitation.pk}/revoke/", {}),
    ]:
        assert client.post(f"/orgs/{org.code}/{path}", data).status_code == 403, path
    owners.refresh_from_db()
    assert owners.role == "owner" and Invitation.objects.get().is_pending
    assert len(sent_mail()) == 1
    page = client.get(f"/orgs/{org.code}/").text
    assert "carol@client.example" not in page and "/access-log/" not in page


def test_an_owner_of_another_organisation_gets_404_on_every_page(client, org, other_org, outsider):
    m = Membership.objects.filter(organization=org).first()
    signed_in(client, outsider)
    for path in OWNER_ONLY_GET:
        assert client.get(f"/orgs/{org.code}/{path}").status_code == 404, path
    for path in [f"members/{m.pk}/role/", f"members/{m.pk}/remove/", "members/"]:
        assert client.post(f"/orgs/{org.code}/{path}", {"role": "member"}).status_code == 404
    # Nor through their own organisation's address with Acme's membership id.
    assert client.post(f"/orgs/{other_org.code}/members/{m.pk}/remove/").status_code == 404
    assert Membership.objects.filter(pk=m.pk).exists()


def test_sign_in_result_pdf_and_csv_are_in_the_access_log(
    client, owner, member, org, assessment, run_tasks
):
    from tests.test_result import submit_with

    submit_with(signed_in(client, owner), assessment, owner, "low")
    run_tasks()
    client.logout()
    client.post(
        "/accounts/login/",
        {"username": member.email, "password": PASSWORD},
        REMOTE_ADDR="203.0.113.7",
    )
    for path in ("result/", "report/", "report.pdf", "answers.csv"):
        assert client.get(f"/a/{assessment.code}/{path}").status_code == 200, path
    events = list(
        AccessEvent.objects.filter(organization=org, user=member)
        .order_by("pk")
        .values_list("action", "ip_address")
    )
    assert events[0] == ("signed_in", "203.0.113.7")
    assert [a for a, _ip in events[1:]] == [
        "viewed_result",
        "viewed_report",
        "downloaded_pdf",
        "downloaded_csv",
    ]
    page = signed_in(client, owner).get(f"/orgs/{org.code}/access-log/").text
    assert "203.0.113.7" in page and "Downloaded the PDF report" in page
    # The result is named by its date and linked, not shown as a 36-character code.
    assessment.refresh_from_db()
    submitted = formats.date_format(assessment.submitted_at, "DATETIME_FORMAT")
    link = f'<a href="/a/{assessment.code}/result/">result submitted {submitted} UTC</a>'
    assert page.count(link) == 4, page
    assert f"({assessment.code})" not in page


def test_the_access_log_says_its_entries_in_the_readers_language(
    owner_client, org, owner, member, assessment
):
    from tests.test_result import submit_with

    m = Membership.objects.get(user=member, organization=org)
    owner_client.post(f"/orgs/{org.code}/members/{m.pk}/role/", {"role": "consultant"})
    submit_with(owner_client, assessment, owner, "low")
    owner_client.get(f"/a/{assessment.code}/answers.csv")
    assessment.refresh_from_db()
    for lang, role_change, submitted in [
        ("en", "bob@member.example, from member to consultant", "result submitted %s UTC"),
        ("fr", "bob@member.example, de membre à consultant", "résultat soumis le %s UTC"),
        ("de", "bob@member.example, von Mitglied zu Berater", "Ergebnis eingereicht am %s UTC"),
    ]:
        page = owner_client.get(f"/orgs/{org.code}/access-log/", HTTP_ACCEPT_LANGUAGE=lang).text
        assert f'<html lang="{lang}"' in page
        assert role_change in page, lang
        with translation.override(lang):
            when = formats.date_format(assessment.submitted_at, "DATETIME_FORMAT")
        assert f'<a href="/a/{assessment.code}/result/">{submitted % when}</a>' in page, lang
        assert ": member to consultant" not in page and "UTC (" not in page


@pytest.mark.parametrize(
    "action, detail, data, said",
    [
        (
            "viewed_result",
            "assessment submitted 2026-12-06 12:05 UTC (fd2aac00-7f5f-4966-b399-98c65d2a6b3e)",
            {
                "assessment": "fd2aac00-7f5f-4966-b399-98c65d2a6b3e",
                "submitted": "2026-12-06T12:05:00+00:00",
            },
            "result submitted Dec. 6, 2026, 12:05 p.m. UTC",
        ),
        (
            "downloaded_csv",
            "draft assessment (fd2aac00-7f5f-4966-b399-98c65d2a6b3e)",
            {"assessment": "fd2aac00-7f5f-4966-b399-98c65d2a6b3e", "submitted": None},
            "a draft assessment",
        ),
        (
            "changed_role",
            "bob@x.example: member to owner",
            {"email": "bob@x.example", "old_role": "member", "role": "owner"},
            "bob@x.example, from member to owner",
        ),
        (
            "invited",
            "c@x.example as consultant",
            {"email": "c@x.example", "role": "consultant"},
            "c@x.example, as consultant",
        ),
        (
            "joined",
            "by single sign-on, as member",
            {"via": "sso", "role": "member"},
            "by single sign-on, as member",
        ),
        ("joined", "as owner", {"role": "owner"}, "by invitation, as owner"),
        ("joined", "by the invite link", {"via": "invite_link"}, "by the invite link"),
        ("removed", "bob@x.example", {"email": "bob@x.example"}, "bob@x.example"),
        (
            "changed_policy",
            "two-factor required",
            {"two_factor_required": True},
            "two-factor authentication required of every member",
        ),
        ("left", "something said otherwise", {}, "something said otherwise"),
    ],
)
def test_entries_written_before_data_existed_get_theirs_from_their_detail(
    action, detail, data, said
):
    migration = importlib.import_module("assess.migrations.0017_access_event_data")
    assert migration.data_from_detail(action, detail) == data
    # And the page says the entry as it says a new one of the same facts.
    with translation.override("en"):
        assert access_log.describe(AccessEvent(action=action, detail=detail, data=data)) == said


def test_the_access_log_exports_as_csv_with_formulas_neutralised(owner_client, org):
    AccessEvent.objects.create(
        organization=org, email="x@y.example", action="left", detail="=HYPERLINK(1)"
    )
    response = owner_client.get(f"/orgs/{org.code}/access-log.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["time (UTC)", "e-mail", "action", "detail", "assessment", "IP address"]
    assert rows[1][1:5] == ["x@y.example", "Left", "'=HYPERLINK(1)", ""]
    assert AccessEvent.objects.filter(action="exported_log", organization=org).exists()


def test_the_access_log_page_takes_a_fixed_number_of_queries(
    owner_client, org, owner, django_assert_num_queries
):
    AccessEvent.objects.bulk_create(
        AccessEvent(organization=org, user=owner, email=owner.email, action="signed_in")
        for _ in range(150)
    )
    # session, user, organisation, owner check, count, one page of entries
    with django_assert_num_queries(6):
        page = owner_client.get(f"/orgs/{org.code}/access-log/")
    assert page.text.count("<tr><td ") == 100 and "Page 1 of 2" in page.text


def test_prune_access_log_deletes_entries_older_than_the_setting(org, settings):
    settings.ACCESS_LOG_DAYS = 30
    old = AccessEvent.objects.create(
        organization=org, action="left", created=timezone.now() - timedelta(days=31)
    )
    recent = AccessEvent.objects.create(
        organization=org, action="left", created=timezone.now() - timedelta(days=29)
    )
    out = io.StringIO()
    call_command("prune_access_log", stdout=out)
    assert "Deleted 1 access log entries older than 30 days" in out.getvalue()
    assert not AccessEvent.objects.filter(pk=old.pk).exists()
    assert AccessEvent.objects.filter(pk=recent.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_invitations_go_out_through_a_real_smtp_server(client, settings):
    owner = make_user("olga@acme.example")
    from assess.services import organization_create

    org = organization_create(
        user=owner, name="Acme Bank", sector="energy", size_band="small", countries=["FR"]
    )
    with SMTPServer() as smtp:
        settings.MAILERS = smtp.mailers()
        settings.DEFAULT_FROM_EMAIL = "readiness@acme.example"
        invite(signed_in(client, owner), org, "pia@acme.example, quinn@acme.example", "owner")
        assert run_queued_tasks() == 2  # the task worker sends them
    assert sorted(to for to, _m in smtp.inbox.messages) == [
        ["pia@acme.example"],
        ["quinn@acme.example"],
    ]
    message = smtp.inbox.messages[0][1]
    assert message["From"] == "readiness@acme.example"
    path = link_in(smtp.inbox.body(0))
    signed_in(client, make_user(smtp.inbox.messages[0][0][0]))
    assert client.post(path).status_code == 302
    assert Membership.objects.get(
        organization=org, user__email=smtp.inbox.messages[0][0][0]
    ).role == ("owner")


def test_an_organisation_name_saved_with_a_line_break_still_invites(owner_client, org):
    """Names saved before they were cleaned: the subject is still one line, never a 500."""
    org.name = "Acme\r\nBank"
    org.save()
    response = invite(owner_client, org, "carol@client.example")
    assert response.status_code == 302
    assert sent_mail()[0].subject == "You are invited to Acme Bank on Alliance Readiness"
