"""The outsider walk of the API: every operation in the OpenAPI document, called with no
token, another organisation's token, an expired, a revoked token and the token of a member
who left. None reaches Acme's data or changes it; a guard fails when a path is added to the
API without being listed here."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assess.api.tokens import api_token_revoke
from assess.api.urls import api
from assess.models import AccessEvent, Answer, ApiToken, Assessment, Membership
from assess.services import workshop_start
from tests.api_helpers import NOTE, ApiClient, answer_all, submitted_assessment, token_for

# Every operation, with a path to call it by and a body that would be accepted.
OPERATIONS = {
    ("get", "/api/v1/orgs/{org}"): None,
    ("get", "/api/v1/orgs/{org}/assessments"): None,
    ("post", "/api/v1/orgs/{org}/assessments"): None,
    ("get", "/api/v1/orgs/{org}/workshops"): None,
    ("get", "/api/v1/assessments/{code}"): None,
    ("get", "/api/v1/assessments/{code}/pdf"): None,
    ("get", "/api/v1/assessments/{code}/answers"): None,
    ("put", "/api/v1/assessments/{code}/answers"): {"answers": {}},
    ("post", "/api/v1/assessments/{code}/submit"): None,
    ("get", "/api/v1/bank"): None,
}
# Not the organisation's data: any valid token reads the published bank.
ANY_TOKEN = {("get", "/api/v1/bank")}


@pytest.fixture
def submitted(assessment, owner):
    return submitted_assessment(assessment, owner)


def test_every_operation_of_the_api_is_walked():
    document = api.get_openapi_schema()
    found = {
        (method, path) for path, operations in document["paths"].items() for method in operations
    }
    assert found == set(OPERATIONS)


def _acme(org, owner, submitted):
    draft = Assessment.objects.create(organization=org, bank=submitted.bank, created_by=owner)
    answer_all(draft)
    workshop_start(organization=org, user=owner)
    return {"org": org.code, "done": submitted.code, "draft": draft.code}


def _state(org):
    return (
        list(Assessment.objects.filter(organization=org).values_list("code", "status")),
        Answer.objects.filter(assessment__organization=org).count(),
        sorted(
            Answer.objects.filter(assessment__organization=org).values_list("comment", flat=True)
        ),
    )


def _visitors(org, owner, member, other_org, outsider):
    expired = token_for(org, owner, "write", now=timezone.now() - timedelta(days=31))
    revoked_secret = token_for(org, owner, "write")
    api_token_revoke(token=ApiToken.objects.get(prefix=revoked_secret[:10]))
    left = token_for(org, member, "write")
    Membership.objects.filter(organization=org, user=member).delete()
    return {
        "no token": (None, 401),
        "a forged token": ("ar_" + "x" * 43, 401),
        "another organisation's token": (token_for(other_org, outsider, "write"), 404),
        "Acme's expired token": (expired, 401),
        "Acme's revoked token": (revoked_secret, 401),
        "the token of a member who left": (left, 401),
    }


@pytest.mark.parametrize("with_draft", [False, True])
def test_no_outsider_reaches_acme_through_the_api(
    org,
    owner,
    member,
    other_org,
    outsider,
    submitted,
    with_draft,
):
    acme = _acme(org, owner, submitted)
    code = acme["draft"] if with_draft else acme["done"]
    before = _state(org)
    events = AccessEvent.objects.filter(organization=org).count()
    problems = []
    for name, (secret, status) in _visitors(org, owner, member, other_org, outsider).items():
        client = ApiClient(secret)
        for (method, template), body in OPERATIONS.items():
            path = template.format(org=acme["org"], code=code)
            response = client.call(method, path, body)
            expected = 200 if (method, template) in ANY_TOKEN and status == 404 else status
            if response.status_code != expected:
                problems.append(f"{name}: {method} {path}: {response.status_code}")
            if expected != 200 and response["Content-Type"] != "application/problem+json":
                problems.append(f"{name}: {method} {path}: {response['Content-Type']}")
            body_text = response.content.decode(errors="replace")
            if any(s in body_text for s in (NOTE, "Acme Bank", "alice@owner.example")):
                problems.append(f"{name}: {method} {path} shows Acme's data")
            if _state(org) != before:
                problems.append(f"{name}: {method} {path} changed Acme's data")
                before = _state(org)
    assert problems == []
    assert AccessEvent.objects.filter(organization=org).count() == events


def test_the_walk_is_not_vacuous(org, owner, submitted):
    """With Acme's own write token the same operations get in."""
    acme = _acme(org, owner, submitted)
    client = ApiClient(token_for(org, owner, "write"))
    for (method, template), body in OPERATIONS.items():
        path = template.format(org=acme["org"], code=acme["draft"])
        response = client.call(method, path, body)
        assert response.status_code in (200, 201, 409), (method, path, response.content)


def test_a_consultants_token_reaches_only_the_organisation_it_was_made_for(
    org,
    other_org,
    submitted,
    client,
):
    from tests.conftest import make_user

    consultant = make_user("carol@consult.example")
    Membership.objects.create(user=consultant, organization=org, role="consultant")
    Membership.objects.create(user=consultant, organization=other_org, role="consultant")
    api = ApiClient(token_for(other_org, consultant))
    assert api.get(f"/api/v1/orgs/{other_org.code}").status_code == 200
    assert api.get(f"/api/v1/orgs/{org.code}").status_code == 404
    assert api.get(f"/api/v1/assessments/{submitted.code}").status_code == 404
    Membership.objects.filter(user=consultant, organization=other_org).delete()
    assert api.get(f"/api/v1/orgs/{other_org.code}").status_code == 401
