"""An owner invites a colleague by e-mail; the mail goes through a real SMTP server on
127.0.0.1, and the colleague opens its link in a browser, creates an account and joins."""

import re

from assess.models import AccessEvent, Membership
from assess.services import organization_create
from tests.conftest import PASSWORD, run_queued_tasks
from tests.e2e.conftest import check_accessibility, sign_in
from tests.smtp_server import SMTPServer


def test_a_colleague_accepts_an_emailed_invitation(site, new_context, ciso, settings):
    org = organization_create(
        user=ciso, name="Invite Ltd", sector="energy", size_band="medium", countries=["NL"]
    )
    with SMTPServer() as smtp:
        settings.MAILERS = smtp.mailers()
        page = new_context().new_page()
        sign_in(page, site, ciso)
        page.goto(f"{site}/orgs/{org.code}/")
        page.get_by_role("link", name="Invite by e-mail, change roles").click()
        page.get_by_label("E-mail addresses").fill("Nadia@Invite.example")
        page.locator("#id_role").select_option("consultant")
        page.get_by_role("button", name="Send invitations").click()
        page.get_by_text("Invitations made for nadia@invite.example").wait_for()
        check_accessibility(page)
        page.goto(f"{site}/orgs/{org.code}/")
        assert "nadia@invite.example" in page.locator("#h-members + ul + p + h3 + ul").inner_text()
        run_queued_tasks()  # the task worker sends the mail the request queued
        ((to, _message),) = smtp.inbox.messages
        assert to == ["nadia@invite.example"]
        link = re.search(r"http://\S+/invitations/\S+/", smtp.inbox.body(0))[0]

        colleague = new_context().new_page()
        colleague.goto(link)
        assert "/accounts/login/" in colleague.url
        colleague.get_by_role("link", name="Create an account").click()
        colleague.get_by_label("Work email").fill("nadia@invite.example")
        colleague.get_by_role("button", name="Send the link").click()
        colleague.get_by_role("heading", name="Check your e-mail").wait_for()
        check_accessibility(colleague)
        run_queued_tasks()
        signup = re.search(r"http://\S+/accounts/signup/\S+/", smtp.inbox.body(1))[0]
    colleague.goto(signup)
    colleague.get_by_label("Your name").fill("Nadia")
    colleague.locator("#id_password1").fill(PASSWORD)
    colleague.locator("#id_password2").fill(PASSWORD)
    check_accessibility(colleague)
    colleague.get_by_role("button", name="Create account").click()
    colleague.get_by_role("heading", name="Join Invite Ltd?").wait_for()
    assert "to join as consultant" in colleague.locator("main").inner_text()
    colleague.get_by_role("button", name="Accept and join").click()
    colleague.get_by_text("You joined Invite Ltd.").wait_for()
    assert colleague.url == f"{site}/orgs/{org.code}/"
    membership = Membership.objects.get(organization=org, user__email="nadia@invite.example")
    assert membership.role == "consultant"
    colleague.goto(link)
    assert "already been used" in colleague.locator("main").inner_text()
    assert AccessEvent.objects.filter(organization=org, action="joined").count() == 1
