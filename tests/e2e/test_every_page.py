"""Every page outside the admin: no WCAG 2.2 A/AA violation at desktop width, and no
sideways scrolling on a 390 px phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assess.models import AccessEvent, Assessment, Invitation, invitation_token_hash
from assess.selectors import bank_view
from assess.services import (
    answers_save,
    assessment_start,
    assessment_submit,
    organization_create,
    participant_join,
    workshop_start,
)
from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in
from tests.peer_helpers import contributing_peers


def _answer_all(assessment, participant=None):
    view = bank_view(assessment.bank)
    for number, section in enumerate(view.sections, start=1):
        values = {}
        for q in section.question_list:
            known = [c for c in q.choice_list if not c.is_unknown and c.code != "none"]
            values[q.code] = ((known[-1].code,), "A comment long enough to wrap " * 3)
        answers_save(
            assessment=assessment, section_number=number, values=values, participant=participant
        )


@pytest.fixture
def pages(site, ciso):
    org = organization_create(
        user=ciso,
        name="Every Page Ltd",
        sector="information_technology",
        size_band="enterprise",
        countries=["GB", "US"],
        headquarters="GB",
    )
    earlier = assessment_start(organization=org, user=ciso)
    _answer_all(earlier)
    assessment_submit(assessment=earlier, user=ciso)
    done = assessment_start(organization=org, user=ciso)
    _answer_all(done)
    assessment_submit(assessment=done, user=ciso)
    contributing_peers(Assessment.objects.get(pk=done.pk))  # comparisons on result and report
    draft = assessment_start(organization=org, user=ciso)
    workshop = workshop_start(organization=org, user=ciso)
    person = participant_join(workshop=workshop, name="Pat", role="risk")
    _answer_all(workshop.assessment, person)
    public = [
        "/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/accounts/password_reset/done/",
        "/join/",
        f"/w/{workshop.join_token}/",
        f"/p/{person.token}/s/1/",
        f"/p/{person.token}/done/",
        "/w/not-a-token/",
        "/accounts/two-factor/verify/",  # without the password step: back to sign-in
    ]
    private = [
        f"/orgs/{org.code}/",
        f"/orgs/{org.code}/edit/",
        "/orgs/new/",
        "/portfolio/",
        f"/a/{draft.code}/s/1/",
        f"/a/{draft.code}/s/3/",
        f"/a/{draft.code}/review/",
        f"/a/{draft.code}/what-if/",
        f"/a/{done.code}/result/",
        f"/a/{done.code}/what-if/",
        f"/a/{done.code}/report/",
        f"/a/{done.code}/report.pdf",  # "being prepared": no worker runs here
        f"/workshops/{workshop.assessment.code}/",
        f"/workshops/{workshop.assessment.code}/consensus/",
        f"/orgs/join/{org.invite_token}/",
        "/orgs/00000000-0000-0000-0000-000000000000/",
    ]
    Invitation.objects.create(
        organization=org,
        email="invitee@every-page.example",
        role="consultant",
        token_hash=invitation_token_hash("every-page-invitation"),
        expires=timezone.now() + timedelta(days=7),
    )
    AccessEvent.objects.create(
        organization=org, user=ciso, email=ciso.email, action="viewed_result", detail="x" * 120
    )
    private += [
        f"/orgs/{org.code}/members/",
        f"/orgs/{org.code}/access-log/",
        "/invitations/every-page-invitation/",
        "/invitations/not-a-token/",
        "/accounts/two-factor/",
        "/accounts/two-factor/setup/",
        "/accounts/two-factor/recovery/",
    ]
    assert Assessment.objects.filter(organization=org).count() == 4
    assert Assessment.objects.filter(organization__name__startswith="Peer ").count() == 10
    return public, private


@pytest.mark.parametrize("width", [1280, 390])
def test_every_page_is_accessible_and_fits(site, new_context, ciso, pages, width):
    public, private = pages
    page = new_context(viewport={"width": width, "height": 900}).new_page()
    for path in public:
        page.goto(site + path)
        (check_accessibility if width == 1280 else no_sideways_scroll)(page)
    sign_in(page, site, ciso)
    for path in private:
        page.goto(site + path)
        (check_accessibility if width == 1280 else no_sideways_scroll)(page)


# Words no longer than this must never be split across lines inside a table cell; longer
# runs (URLs, codes) may wrap, since a 390 px phone cannot show them on one line anyway.
LONGEST_WORD = 25

BROKEN_WORDS = """() => {
  const broken = [];
  for (const cell of document.querySelectorAll('main td, main th')) {
    if (!cell.getClientRects().length) continue;  // not shown
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      // A word is a run without spaces; a hyphen between letters is a fair place to break.
      const re = /(?:[^\\s-]|(?<!\\p{L})-|-(?!\\p{L}))+/gu;
      let m;
      while ((m = re.exec(node.data))) {
        if (m[0].length > LONGEST) continue;
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const rects = [...range.getClientRects()].filter(r => r.width > 0);
        const tops = new Set(rects.map(r => Math.round(r.top)));
        const where = `<${cell.tagName.toLowerCase()}> "${cell.innerText.slice(0, 60)}"`;
        if (tops.size > 1) broken.push(`${m[0]} in ${where}`);
      }
    }
  }
  return broken;
}""".replace("LONGEST", str(LONGEST_WORD))


def test_no_table_cell_on_a_phone_is_narrower_than_its_longest_word(site, new_context, ciso, pages):
    """At 390 px every table stacks or scrolls sideways in its own container: no word in a
    cell is broken across lines ("CIS/O", "Score (0-/100)")."""
    public, private = pages
    page = new_context(viewport={"width": 390, "height": 900}).new_page()
    sign_in(page, site, ciso)
    checked = []
    for path in public + private:
        page.goto(site + path)
        tables = page.locator("main table").count()
        if not tables:
            continue
        checked.append(path)
        broken = page.evaluate(BROKEN_WORDS)
        assert broken == [], f"{path}: words broken across lines: {broken[:5]}"
    # The result, the printable report and the workshop board have tables.
    assert {p.split("/")[-2] for p in checked} >= {"result", "report"}, checked
    assert any(p.startswith("/workshops/") for p in checked), checked
