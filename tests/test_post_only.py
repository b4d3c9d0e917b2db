"""Endpoints that only write: GET is refused with 405, and a POST without the CSRF token with
403, changing nothing. The list is checked against the URLconf, so a new POST-only view must
be added here; and every route of the site refuses a POST without the token."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assess.api.tokens import api_token_create
from assess.models import (
    Assessment,
    DataExport,
    Holding,
    Invitation,
    Membership,
    Organization,
    OutgoingMail,
    Workshop,
)
from assess.services import assessment_submit, participant_join, workshop_start
from tests.conftest import signed_in
from tests.test_url_walk import API, ROUTES
from tests.urlwalk import admin_path, all_routes, allowed_methods

# route: (path, who may use it)
POST_ONLY = {
    "accounts/logout/": ("/accounts/logout/", "owner"),
    "orgs/switch/": ("/orgs/switch/", "owner"),
    "language/": ("/language/", "owner"),
    "orgs/<uuid:code>/invite/renew/": ("/orgs/{org}/invite/renew/", "owner"),
    "orgs/<uuid:code>/peers/": ("/orgs/{org}/peers/", "owner"),
    "orgs/<uuid:code>/data/export/": ("/orgs/{org}/data/export/", "owner"),
    "orgs/<uuid:code>/delete/": ("/orgs/{org}/delete/", "owner"),
    "orgs/<uuid:code>/restore/": ("/orgs/{org}/restore/", "owner"),
    "account/delete/": ("/account/delete/", "owner"),
    "orgs/<uuid:code>/assessments/new/": ("/orgs/{org}/assessments/new/", "owner"),
    "orgs/<uuid:code>/members/<int:pk>/role/": ("/orgs/{org}/members/{m}/role/", "owner"),
    "orgs/<uuid:code>/members/<int:pk>/remove/": ("/orgs/{org}/members/{m}/remove/", "owner"),
    "orgs/<uuid:code>/invitations/<int:pk>/revoke/": (
        "/orgs/{org}/invitations/{i}/revoke/",
        "owner",
    ),
    "orgs/<uuid:code>/mail/<int:pk>/try-again/": ("/orgs/{org}/mail/{mail}/try-again/", "owner"),
    "orgs/<uuid:code>/workshops/new/": ("/orgs/{org}/workshops/new/", "owner"),
    "orgs/<uuid:code>/memberships/<int:pk>/remove/": (
        "/orgs/{org}/memberships/{h}/remove/",
        "owner",
    ),
    "orgs/<uuid:code>/api-tokens/<int:pk>/revoke/": ("/orgs/{org}/api-tokens/{t}/revoke/", "owner"),
    "orgs/<uuid:code>/two-factor-policy/": ("/orgs/{org}/two-factor-policy/", "owner"),
    "accounts/verify/": ("/accounts/verify/", "owner"),
    "a/<uuid:code>/submit/": ("/a/{a}/submit/", "owner"),
    "a/<uuid:code>/copy/": ("/a/{s}/copy/", "owner"),
    "a/<uuid:code>/what-if/verdict/": ("/a/{s}/what-if/verdict/", "owner"),
    "a/<uuid:code>/report/retry/": ("/a/{s}/report/retry/", "owner"),
    "workshops/<uuid:code>/<slug:action>/": ("/workshops/{w}/close/", "owner"),
    "admin/logout/": ("/admin/logout/", "admin"),
    "admin/assess/questionbank/<int:pk>/preview/restart/": (
        "/admin/assess/questionbank/{bank}/preview/restart/",
        "admin",
    ),
}


def test_the_list_has_every_view_that_takes_only_post():
    found = {route for route, view in all_routes().items() if allowed_methods(view) == {"POST"}}
    assert found, "the decorators are no longer recognised"
    assert found <= set(POST_ONLY), "add the new POST-only view to POST_ONLY"


@pytest.fixture
def place(org, owner, bank, db):
    from django.contrib.auth import get_user_model

    draft = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    done = assessment_submit(
        assessment=Assessment.objects.create(organization=org, bank=bank, created_by=owner),
        user=owner,
    )
    workshop = workshop_start(organization=org, user=owner)
    admin = get_user_model().objects.create_superuser("root@example.org", "root@example.org", "x")
    return {
        "values": {
            "org": org.code,
            "a": draft.code,
            "s": done.code,
            "w": workshop.assessment.code,
            "bank": bank.pk,
            "m": Membership.objects.get(organization=org, role="member").pk,
            "h": Holding.objects.create(organization=org, body_name="Circle", depth="receive").pk,
            "t": api_token_create(organization=org, user=owner, name="sync", scope="read", days=30)[
                0
            ].pk,
            "e": DataExport.objects.create(
                organization=org,
                requested_by=owner,
                scope="organization",
                expires_at=timezone.now() + timedelta(days=1),
            ).code,
            "i": Invitation.objects.create(
                organization=org,
                email="carol@acme.example",
                role="member",
                token_hash="0" * 64,
                expires=timezone.now() + timedelta(days=1),
            ).pk,
            "mail": OutgoingMail.objects.create(
                to=["carol@acme.example"], subject="Invitation", organization=org, status="failed"
            ).pk,
        },
        "users": {"owner": owner, "admin": admin},
        "org": org,
        "bank": bank,
    }


def _state(org):
    org = Organization.objects.get(pk=org.pk)
    return (
        org.invite_token,
        list(Assessment.objects.filter(organization=org).values_list("code", "status")),
        list(Workshop.objects.values_list("status", "join_token")),
        list(Membership.objects.filter(organization=org).values_list("user", "role")),
        list(org.invitations.pending().values_list("pk", flat=True)),
        list(Holding.objects.filter(organization=org).values_list("pk", flat=True)),
        list(org.outgoing_mail.values_list("pk", "status")),
        list(org.api_tokens.active().values_list("pk", flat=True)),
    )


@pytest.mark.parametrize(("route", "path", "who"), [(r, *v) for r, v in POST_ONLY.items()])
def test_a_writing_endpoint_refuses_get_and_a_post_without_the_csrf_token(place, route, path, who):
    path = path.format(**place["values"])
    user = place["users"][who]
    before = _state(place["org"])
    assert signed_in(Client(), user).get(path).status_code == 405
    guarded = signed_in(Client(enforce_csrf_checks=True), user)
    data = {"org": str(place["org"].code)}
    response = guarded.post(path, data)
    assert response.status_code == 403
    assert "This page expired before it was sent" in response.text  # our CSRF failure page
    assert _state(place["org"]) == before
    assert guarded.get("/orgs/new/").status_code == 200  # still signed in
    # With the token the same POST goes through: the 403 was for the missing token.
    token = guarded.cookies["csrftoken"].value
    response = guarded.post(path, {**data, "csrfmiddlewaretoken": token})
    assert response.status_code in (200, 302)


def _every_route_path(place, participant):
    for kind, template in ROUTES.values():
        if kind == API or template.startswith("/api/"):
            # The API takes a bearer token in a header, never a cookie, so no other site can
            # make a browser call it: no CSRF token (tests/test_api_walk.py: a session is 401).
            continue
        yield template.format(
            **place["values"],
            invite=place["org"].invite_token,
            join=participant.workshop.join_token,
            participant=participant.token,
            uid="MQ",
            forged="x",
        )
    for route in all_routes():
        if route.startswith("admin/"):
            yield admin_path(
                route, bank=place["bank"], user=place["users"]["owner"], organization=place["org"]
            )


def test_no_page_takes_a_post_without_the_csrf_token(place):
    """Signed in as a superuser, so that every page would otherwise act on the POST."""
    participant = participant_join(workshop=Workshop.objects.get(), name="Paula", role="ciso")
    client = signed_in(Client(enforce_csrf_checks=True), place["users"]["admin"])
    before = _state(place["org"])
    accepted = []
    paths = list(_every_route_path(place, participant))
    for path in paths:
        response = client.post(path, {"action": "next", "name": "Someone", "role": "ciso"})
        if response.status_code != 403:
            accepted.append(f"{path}: {response.status_code}")
    assert accepted == []
    assert len(paths) > 100
    assert _state(place["org"]) == before
