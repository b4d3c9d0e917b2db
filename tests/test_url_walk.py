"""Every route of the URLconf, tried by people who must not reach Acme Bank's data: an
anonymous visitor, a member of another organisation, a participant of another organisation's
workshop, and a participant of Acme's own workshop going for the facilitator's pages.

Each route is listed below with the kind of access it has; a route added to urls.py without
being listed here fails test_every_route_is_walked. Admin routes are filled in by pattern."""

from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assess.api.tokens import api_token_create
from assess.models import (
    AccessEvent,
    Answer,
    Assessment,
    DataExport,
    Holding,
    Invitation,
    Membership,
    Organization,
    OutgoingMail,
    Participant,
    invitation_token_hash,
)
from assess.selectors import bank_view
from assess.services import answers_save, assessment_submit, participant_join, workshop_start
from assess.views.workshops import SESSION_PARTICIPANTS
from tests.conftest import signed_in
from tests.oidc_provider import oidc_provider
from tests.urlwalk import admin_path, all_routes

PUBLIC = "public"  # anyone: no organisation's data
ACCOUNT = "account"  # any signed-in user, about themselves
MEMBER = "member"  # members of the object's organisation only
BEARER = "bearer"  # whoever holds the token in the link
API = "api"  # the JSON API: a bearer token in a header, never a session (tests/test_api_walk.py)

ROUTES = {
    "": (PUBLIC, "/"),
    "health/": (PUBLIC, "/health/"),
    "health/<str:subset>/": (PUBLIC, "/health/app/"),
    "accounts/signup/": (PUBLIC, "/accounts/signup/"),
    "accounts/signup/<str:token>/": (BEARER, "/accounts/signup/{forged}/"),
    "accounts/verify/": (ACCOUNT, "/accounts/verify/"),
    "accounts/verify/<str:token>/": (BEARER, "/accounts/verify/{forged}/"),
    "accounts/login/": (PUBLIC, "/accounts/login/"),
    "accounts/logout/": (PUBLIC, "/accounts/logout/"),
    "accounts/password_reset/": (PUBLIC, "/accounts/password_reset/"),
    "accounts/password_reset/done/": (PUBLIC, "/accounts/password_reset/done/"),
    "accounts/reset/<uidb64>/<token>/": (PUBLIC, "/accounts/reset/{uid}/{forged}/"),
    "accounts/reset/done/": (PUBLIC, "/accounts/reset/done/"),
    "join/": (PUBLIC, "/join/"),
    "language/": (PUBLIC, "/language/"),
    "accounts/two-factor/verify/": (PUBLIC, "/accounts/two-factor/verify/"),
    "accounts/sso/": (PUBLIC, "/accounts/sso/"),  # to the provider
    "accounts/sso/callback/": (PUBLIC, "/accounts/sso/callback/?code={forged}&state={forged}"),
    "accounts/two-factor/": (ACCOUNT, "/accounts/two-factor/"),
    "accounts/two-factor/setup/": (ACCOUNT, "/accounts/two-factor/setup/"),
    "accounts/two-factor/recovery/": (ACCOUNT, "/accounts/two-factor/recovery/"),
    "accounts/two-factor/recovery/renew/": (ACCOUNT, "/accounts/two-factor/recovery/renew/"),
    "accounts/two-factor/disable/": (ACCOUNT, "/accounts/two-factor/disable/"),
    "accounts/password_change/": (ACCOUNT, "/accounts/password_change/"),
    "accounts/password_change/done/": (ACCOUNT, "/accounts/password_change/done/"),
    "orgs/new/": (ACCOUNT, "/orgs/new/"),
    "portfolio/": (ACCOUNT, "/portfolio/"),
    "portfolio.csv": (ACCOUNT, "/portfolio.csv"),
    "orgs/switch/": (ACCOUNT, "/orgs/switch/"),
    "account/": (ACCOUNT, "/account/"),
    "account/delete/": (ACCOUNT, "/account/delete/"),
    "orgs/join/<str:token>/": (BEARER, "/orgs/join/{invite}/"),
    "w/<str:token>/": (BEARER, "/w/{join}/"),
    "p/<str:token>/s/<int:number>/": (BEARER, "/p/{participant}/s/1/"),
    "p/<str:token>/done/": (BEARER, "/p/{participant}/done/"),
    "orgs/<uuid:code>/": (MEMBER, "/orgs/{org}/"),
    "orgs/<uuid:code>/edit/": (MEMBER, "/orgs/{org}/edit/"),
    "orgs/<uuid:code>/invite/renew/": (MEMBER, "/orgs/{org}/invite/renew/"),
    "orgs/<uuid:code>/peers/": (MEMBER, "/orgs/{org}/peers/"),
    "orgs/<uuid:code>/data/": (MEMBER, "/orgs/{org}/data/"),
    "orgs/<uuid:code>/data/export/": (MEMBER, "/orgs/{org}/data/export/"),
    "orgs/<uuid:code>/delete/": (MEMBER, "/orgs/{org}/delete/"),
    "orgs/<uuid:code>/restore/": (MEMBER, "/orgs/{org}/restore/"),
    "exports/<uuid:code>/": (MEMBER, "/exports/{e}/"),
    "orgs/<uuid:code>/assessments/new/": (MEMBER, "/orgs/{org}/assessments/new/"),
    "orgs/<uuid:code>/members/": (MEMBER, "/orgs/{org}/members/"),
    "orgs/<uuid:code>/members/<int:pk>/role/": (MEMBER, "/orgs/{org}/members/{m}/role/"),
    "orgs/<uuid:code>/members/<int:pk>/remove/": (MEMBER, "/orgs/{org}/members/{m}/remove/"),
    "orgs/<uuid:code>/invitations/<int:pk>/revoke/": (
        MEMBER,
        "/orgs/{org}/invitations/{i}/revoke/",
    ),
    "orgs/<uuid:code>/mail/<int:pk>/try-again/": (MEMBER, "/orgs/{org}/mail/{mail}/try-again/"),
    "orgs/<uuid:code>/access-log/": (MEMBER, "/orgs/{org}/access-log/"),
    "orgs/<uuid:code>/memberships/": (MEMBER, "/orgs/{org}/memberships/"),
    "orgs/<uuid:code>/memberships/new/": (MEMBER, "/orgs/{org}/memberships/new/"),
    "orgs/<uuid:code>/memberships/<int:pk>/": (MEMBER, "/orgs/{org}/memberships/{h}/"),
    "orgs/<uuid:code>/memberships/<int:pk>/remove/": (
        MEMBER,
        "/orgs/{org}/memberships/{h}/remove/",
    ),
    "reminders/unsubscribe/<str:token>/": (BEARER, "/reminders/unsubscribe/{forged}/"),
    "orgs/<uuid:code>/two-factor-policy/": (MEMBER, "/orgs/{org}/two-factor-policy/"),
    "orgs/<uuid:code>/access-log.csv": (MEMBER, "/orgs/{org}/access-log.csv"),
    "invitations/<str:token>/": (BEARER, "/invitations/{invite}/"),
    "orgs/<uuid:code>/workshops/new/": (MEMBER, "/orgs/{org}/workshops/new/"),
    "a/<uuid:code>/": (MEMBER, "/a/{a}/"),
    "a/<uuid:code>/s/<int:number>/": (MEMBER, "/a/{a}/s/1/"),
    "a/<uuid:code>/review/": (MEMBER, "/a/{a}/review/"),
    "a/<uuid:code>/submit/": (MEMBER, "/a/{a}/submit/"),
    "a/<uuid:code>/result/": (MEMBER, "/a/{s}/result/"),
    "a/<uuid:code>/copy/": (MEMBER, "/a/{s}/copy/"),
    "a/<uuid:code>/what-if/": (MEMBER, "/a/{s}/what-if/"),
    "a/<uuid:code>/what-if/verdict/": (MEMBER, "/a/{s}/what-if/verdict/"),
    "a/<uuid:code>/report/": (MEMBER, "/a/{s}/report/"),
    "a/<uuid:code>/report.pdf": (MEMBER, "/a/{s}/report.pdf"),
    "a/<uuid:code>/report/status/": (MEMBER, "/a/{s}/report/status/"),
    "a/<uuid:code>/report/retry/": (MEMBER, "/a/{s}/report/retry/"),
    "a/<uuid:code>/answers.csv": (MEMBER, "/a/{s}/answers.csv"),
    "workshops/<uuid:code>/": (MEMBER, "/workshops/{w}/"),
    "workshops/<uuid:code>/consensus/": (MEMBER, "/workshops/{w}/consensus/"),
    "workshops/<uuid:code>/present/": (MEMBER, "/workshops/{w}/present/"),
    "workshops/<uuid:code>/<slug:action>/": (MEMBER, "/workshops/{w}/close/"),
    "orgs/<uuid:code>/api-tokens/": (MEMBER, "/orgs/{org}/api-tokens/"),
    "orgs/<uuid:code>/api-tokens/<int:pk>/revoke/": (MEMBER, "/orgs/{org}/api-tokens/{t}/revoke/"),
    "api/openapi.json": (PUBLIC, "/api/openapi.json"),
    "api/docs": (PUBLIC, "/api/docs"),
    "api/": (API, "/api/"),
    "^api/": (API, "/api/v2/orgs/{org}"),
    "api/v1/orgs/<org>": (API, "/api/v1/orgs/{org}"),
    "api/v1/orgs/<org>/assessments": (API, "/api/v1/orgs/{org}/assessments"),
    "api/v1/orgs/<org>/workshops": (API, "/api/v1/orgs/{org}/workshops"),
    "api/v1/assessments/<code>": (API, "/api/v1/assessments/{s}"),
    "api/v1/assessments/<code>/pdf": (API, "/api/v1/assessments/{s}/pdf"),
    "api/v1/assessments/<code>/answers": (API, "/api/v1/assessments/{a}/answers"),
    "api/v1/assessments/<code>/submit": (API, "/api/v1/assessments/{a}/submit"),
    "api/v1/bank": (API, "/api/v1/bank"),
}
FORGED = "Zz" * 21  # a well-formed token that belongs to no one

ACME_ANSWER_NOTE = "ACME-ASSESSMENT-NOTE"  # the organisation's own answers
ACME_PARTICIPANT_NOTES = ("ACME-PARTICIPANT-ONE-NOTE", "ACME-PARTICIPANT-TWO-NOTE")
ACME_INVITEE = "acme-invitee@acme.example"  # a pending e-mailed invitation
ACME_LOG_DETAIL = "ACME-ACCESS-LOG-DETAIL"  # an entry of the access log
ACME_HOLDING = "ACME-HOLDING-NOTE"  # a membership the organisation holds


def test_every_route_is_walked():
    routes = {r for r in all_routes() if not r.startswith("admin/")}
    assert routes == set(ROUTES), "list new routes in ROUTES with their kind of access"


def _answer_section_one(assessment, note, participant=None):
    view = bank_view(assessment.bank)
    values = {}
    for q in view.section(1).question_list:
        choice = [c for c in q.choice_list if not c.is_unknown][0]
        values[q.code] = ((choice.code,), note)
    answers_save(assessment=assessment, section_number=1, values=values, participant=participant)


@pytest.fixture
def world(org, owner, other_org, outsider, bank):
    """Acme Bank with every kind of object, and a rival with a workshop of its own."""
    draft = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    _answer_section_one(draft, ACME_ANSWER_NOTE)
    done = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    _answer_section_one(done, ACME_ANSWER_NOTE)
    assessment_submit(assessment=done, user=owner)
    workshop = workshop_start(organization=org, user=owner)
    one = participant_join(workshop=workshop, name="Paula", role="ciso")
    two = participant_join(workshop=workshop, name="Quentin", role="cio")
    _answer_section_one(workshop.assessment, ACME_PARTICIPANT_NOTES[0], one)
    _answer_section_one(workshop.assessment, ACME_PARTICIPANT_NOTES[1], two)
    rival_workshop = workshop_start(organization=other_org, user=outsider)
    rival = participant_join(workshop=rival_workshop, name="Rita", role="risk")
    invitation = Invitation.objects.create(
        organization=org,
        email=ACME_INVITEE,
        role="owner",
        token_hash=invitation_token_hash("acme-invitation-token"),
        expires=timezone.now() + timedelta(days=7),
    )
    AccessEvent.objects.create(organization=org, action="viewed_result", detail=ACME_LOG_DETAIL)
    holding = Holding.objects.create(
        organization=org, body_name="Acme's circle", depth="receive", notes=ACME_HOLDING
    )
    failed_mail = OutgoingMail.objects.create(
        to=[ACME_INVITEE], subject="Invitation", organization=org, invitation=invitation
    )
    OutgoingMail.objects.filter(pk=failed_mail.pk).update(status="failed", attempts=6)
    api_token, _secret = api_token_create(
        organization=org, user=owner, name="GRC sync", scope="write", days=30
    )
    archive = DataExport.objects.create(
        organization=org,
        requested_by=owner,
        scope=DataExport.Scope.ORGANIZATION,
        status=DataExport.Status.READY,
        archive=ACME_LOG_DETAIL.encode(),
        expires_at=timezone.now() + timedelta(days=1),
    )
    return {
        "holding": holding,
        "api_token": api_token,
        "export": archive,
        "invitation": invitation,
        "mail": failed_mail,
        "membership": Membership.objects.get(organization=org, role="member"),
        "org": org,
        "draft": draft,
        "done": done,
        "workshop": workshop,
        "acme_participant": one,
        "other_acme_participant": two,
        "rival_workshop": rival_workshop,
        "rival_participant": rival,
    }


def _participant_client(participant):
    """A browser with no account that joined this participant's workshop."""
    client = Client()
    session = client.session
    session[SESSION_PARTICIPANTS] = {str(participant.workshop.pk): participant.token}
    session.save()
    return client


def _visitor(kind, world, outsider):
    """(client, signed in?, join token held, participant token held, secrets it must not see)"""
    acme_secrets = [
        ACME_ANSWER_NOTE,
        *ACME_PARTICIPANT_NOTES,
        world["org"].invite_token,
        world["workshop"].join_token,
        world["acme_participant"].token,
        world["other_acme_participant"].token,
        ACME_INVITEE,
        ACME_LOG_DETAIL,
        ACME_HOLDING,
    ]
    if kind == "anonymous":
        return Client(), False, None, None, ["Acme Bank", *acme_secrets]
    if kind == "outsider":
        return signed_in(Client(), outsider), True, None, None, ["Acme Bank", *acme_secrets]
    if kind == "rival participant":
        p = world["rival_participant"]
        return (
            _participant_client(p),
            False,
            p.workshop.join_token,
            p.token,
            [
                "Acme Bank",
                *acme_secrets,
            ],
        )
    # Acme's own participant: their workshop's name and their own answers are theirs to see,
    # but not the organisation's answers, a colleague's, or the facilitator's pages.
    p = world["acme_participant"]
    secrets = [s for s in acme_secrets if s not in (p.token, p.workshop.join_token)]
    secrets.remove(ACME_PARTICIPANT_NOTES[0])
    return _participant_client(p), False, p.workshop.join_token, p.token, secrets


def _fill(template, world, owner, join, participant):
    return template.format(
        org=world["org"].code,
        a=world["draft"].code,
        s=world["done"].code,
        w=world["workshop"].assessment.code,
        invite=FORGED,
        join=join or FORGED,
        participant=participant or FORGED,
        uid=urlsafe_base64_encode(force_bytes(owner.pk)),
        forged=FORGED,
        m=world["membership"].pk,
        i=world["invitation"].pk,
        h=world["holding"].pk,
        mail=world["mail"].pk,
        t=world["api_token"].pk,
        e=world["export"].code,
    )


def _snapshot(world, own=None):
    """What a visitor must not be able to change (a participant may change their own answers)."""
    org = Organization.objects.get(pk=world["org"].pk)
    workshop = world["workshop"]
    workshop.refresh_from_db()
    return (
        org.name,
        org.invite_token,
        org.peer_consent,
        org.require_two_factor,
        Membership.objects.filter(organization=org).count(),
        list(Assessment.objects.filter(organization=org).values_list("code", "status")),
        Answer.objects.filter(assessment__organization=org).exclude(participant=own).count(),
        (workshop.status, workshop.join_token, workshop.show_names),
        Participant.objects.filter(workshop=workshop).count(),
        list(Membership.objects.filter(organization=org).values_list("user", "role")),
        list(org.invitations.pending().values_list("pk", flat=True)),
        list(Holding.objects.filter(organization=org).values_list("pk", "updated")),
        list(org.outgoing_mail.values_list("pk", "status", "attempts")),
        list(org.api_tokens.active().values_list("pk", flat=True)),
        hasattr(Organization.objects.get(pk=org.pk), "deletion"),
        DataExport.objects.count(),
    )


def _expected(kind, signed_in_, holds_token, method, response):
    """Whether the response is one this visitor may get for this kind of route."""
    status = response.status_code
    to_login = status == 302 and response.url.startswith("/accounts/login/")
    if kind == PUBLIC:
        return status in (200, 302, 405)
    if kind == API:  # no bearer token: 401 (404 off the API's paths, 405 a method it never takes)
        return status in (401, 404, 405) and response["Content-Type"] == "application/problem+json"
    if kind == ACCOUNT:
        return to_login if not signed_in_ else status in (200, 302, 404, 405)
    if kind == MEMBER:
        if not signed_in_:
            return to_login
        return status in (404, 405)  # 405: a method the page never takes, before the 404
    # BEARER: only the token's holder gets in; anyone else gets the invalid-link page (or
    # 405 for a method the link never takes).
    if holds_token:
        return status in (200, 302)
    return status in (404, 405) or (to_login and not signed_in_)


@pytest.fixture
def sso_on(settings):
    """Single sign-on on, with a real provider on 127.0.0.1, so its routes answer."""
    with oidc_provider(settings) as base:
        yield base


VISITORS = ["anonymous", "outsider", "rival participant", "acme participant"]


@pytest.mark.parametrize("visitor", VISITORS)
def test_no_visitor_reaches_another_organisations_data_anywhere_on_the_site(
    visitor, world, owner, outsider, sso_on
):
    client, is_signed_in, join, participant, secrets = _visitor(visitor, world, outsider)
    own = Participant.objects.filter(token=participant).first()

    before = _snapshot(world, own)
    problems = []
    # Signing out last, or the rest of the walk would be anonymous.
    for route, (kind, template) in sorted(ROUTES.items(), key=lambda r: r[0] == "accounts/logout/"):
        path = _fill(template, world, owner, join, participant)
        holds = (join and join in path) or (participant and participant in path)
        for method in ("get", "post"):
            data = {"org": str(world["org"].code)} if route == "orgs/switch/" else {}
            response = getattr(client, method)(path, data)
            bodies = [response.content.decode(errors="replace")]
            if response.status_code == 302:  # one hop: where it sends them shows nothing either
                bodies.append(client.get(response.url).content.decode(errors="replace"))
            if not _expected(kind, is_signed_in, holds, method, response):
                problems.append(f"{method.upper()} {path} ({kind}): {response.status_code}")
            leaked = [s for s in secrets for body in bodies if s in body]
            if leaked:
                problems.append(f"{method.upper()} {path} shows {leaked}")
            if _snapshot(world, own) != before:
                problems.append(f"{method.upper()} {path} changed Acme's data")
                before = _snapshot(world, own)
    assert problems == []


@pytest.mark.parametrize("visitor", VISITORS)
def test_no_visitor_gets_into_the_admin(visitor, world, owner, outsider, bank):
    client, *_rest, secrets = _visitor(visitor, world, outsider)
    problems = []
    routes = [r for r in all_routes() if r.startswith("admin/")]
    assert len(routes) > 50
    for route in routes:
        path = admin_path(route, bank=bank, user=owner, organization=world["org"])
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            status = response.status_code
            if route == "admin/login/":  # our two-step sign-in, not the admin's own form
                ok = status == 302 and response.url.startswith("/accounts/login/?next=")
            elif route == "admin/logout/":  # the admin sends non-staff to its index (and on)
                ok = status == 302 and response.url == "/admin/"
            else:
                ok = status == 404 or (
                    status == 302 and response.url.startswith("/admin/login/?next=")
                )
            if not ok:
                problems.append(f"{method.upper()} {path}: {status}")
            if any(s in response.content.decode(errors="replace") for s in secrets):
                problems.append(f"{method.upper()} {path} shows Acme's data")
    assert problems == []


def test_a_participant_sees_their_own_workshop_and_answers(world):
    """The walk above is not vacuous: with their own link a participant gets in."""
    p = world["acme_participant"]
    client = _participant_client(p)
    page = client.get(f"/p/{p.token}/s/1/").text
    assert ACME_PARTICIPANT_NOTES[0] in page and ACME_PARTICIPANT_NOTES[1] not in page
    rival = world["rival_participant"]
    page = _participant_client(rival).get(f"/w/{rival.workshop.join_token}/").text
    assert "Rival Ltd" in page and "Acme Bank" not in page


def test_the_password_reset_link_of_a_member_needs_its_token(client, owner, world):
    uid = urlsafe_base64_encode(force_bytes(owner.pk))
    forged = client.get(f"/accounts/reset/{uid}/{FORGED}/")
    assert "This link no longer works" in forged.text
    real = client.get(f"/accounts/reset/{uid}/{default_token_generator.make_token(owner)}/")
    assert real.status_code == 302  # Django swaps the token for a session and redirects


def test_the_portfolio_is_each_users_own(world, owner, outsider):
    """The walk above is not vacuous for the portfolio: Acme's owner finds Acme there."""
    own = signed_in(Client(), owner)
    assert "Acme Bank" in own.get("/portfolio/").text
    assert "Acme Bank" in own.get("/portfolio.csv").content.decode("utf-8-sig")
    rival = signed_in(Client(), outsider).get("/portfolio/").text
    assert "Rival Ltd" in rival and "Acme Bank" not in rival


# Routes that show some organisation's data and so fall under its two-factor policy: every
# member route, and the pages that gather all of a person's organisations.
POLICY_ROUTES = {r for r, (kind, _t) in ROUTES.items() if kind == MEMBER} | {
    "portfolio/",
    "portfolio.csv",
    "orgs/switch/",
}


def test_every_route_showing_an_organisations_data_is_under_its_two_factor_policy(
    world, owner, member
):
    """Acme requires two-factor authentication; Bob, its member, signed in without it, walks
    every route: each one that shows Acme's data sends him to set it up (or refuses the
    method), shows none of Acme's secrets and changes nothing."""
    org = world["org"]
    org.require_two_factor = True
    org.save()
    walk = dict(world, membership=Membership.objects.get(organization=org, user=owner))
    client = signed_in(Client(), member)
    secrets = [ACME_ANSWER_NOTE, *ACME_PARTICIPANT_NOTES, org.invite_token, ACME_INVITEE]
    before = _snapshot(world)
    problems = []
    assert len(POLICY_ROUTES) > 30
    # Every route (signing out last): those under the policy send him to set it up; none
    # shows Acme's data or changes it.
    for route in sorted(ROUTES, key=lambda r: (r == "accounts/logout/", r)):
        path = _fill(ROUTES[route][1], walk, owner, None, None)
        for method in ("get", "post"):
            data = {"org": str(org.code)} if route == "orgs/switch/" else {}
            response = getattr(client, method)(path, data)
            to_setup = response.status_code == 302 and response.url.startswith(
                "/accounts/two-factor/setup/"
            )
            if route in POLICY_ROUTES and not (to_setup or response.status_code == 405):
                problems.append(f"{method.upper()} {path}: {response.status_code}")
            if any(s in response.content.decode(errors="replace") for s in secrets):
                problems.append(f"{method.upper()} {path} shows Acme's data")
            if _snapshot(world) != before:
                problems.append(f"{method.upper()} {path} changed Acme's data")
                before = _snapshot(world)
    assert problems == []
    # The walk is not vacuous: with a second factor the same member gets in.
    from tests.two_factor_helpers import give_two_factor, sign_in_with_code

    device, _codes = give_two_factor(member)
    verified = Client()
    sign_in_with_code(verified, member, device)
    assert verified.get("/portfolio/").status_code == 200
    assert verified.get(f"/orgs/{org.code}/").status_code == 200
