"""The JSON API from a script's side: what it reads, what it writes, and how it refuses."""

import io
import re
from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from openapi_spec_validator import validate

from assess.api import auth
from assess.api.urls import api
from assess.models import AccessEvent, Answer, ApiToken, Assessment, api_token_hash
from assess.selectors import bank_view
from assess.services import workshop_start
from tests.api_helpers import ApiClient, submitted_assessment, token_for

PROBLEMS = "https://alliance-readiness.example/problems/"


@pytest.fixture
def submitted(assessment, owner):
    return submitted_assessment(assessment, owner)


@pytest.fixture
def reader(org, owner):
    return ApiClient(token_for(org, owner, "read"))


@pytest.fixture
def writer(org, owner):
    return ApiClient(token_for(org, owner, "write"))


def _problem(response, status, kind):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == PROBLEMS + kind and body["status"] == status
    return body


# --- Tokens -------------------------------------------------------------------------------


def test_a_call_without_a_token_gets_401_with_how_to_send_one(client):
    body = _problem(client.get("/api/v1/bank"), 401, "unauthenticated")
    assert "Authorization: Bearer" in body["detail"]


def test_only_a_digest_of_the_token_is_stored(org, owner):
    secret = token_for(org, owner)
    token = ApiToken.objects.get()
    assert token.token_hash == api_token_hash(secret) and secret not in str(
        ApiToken.objects.values().get()
    )


def test_an_expired_token_says_so(org, owner):
    secret = token_for(org, owner, now=timezone.now() - timedelta(days=31))
    _problem(ApiClient(secret).get(f"/api/v1/orgs/{org.code}"), 401, "token-expired")


def test_a_revoked_token_says_so(org, owner, owner_client):
    secret = token_for(org, owner)
    token = ApiToken.objects.get()
    owner_client.post(f"/orgs/{org.code}/api-tokens/{token.pk}/revoke/")
    _problem(ApiClient(secret).get(f"/api/v1/orgs/{org.code}"), 401, "token-revoked")


def test_a_read_token_cannot_write(reader, org, bank):
    _problem(reader.post(f"/api/v1/orgs/{org.code}/assessments"), 403, "read-only-token")
    assert not Assessment.objects.exists()


def test_the_two_factor_policy_holds_for_tokens(reader, org, owner):
    org.require_two_factor = True
    org.save()
    _problem(reader.get(f"/api/v1/orgs/{org.code}"), 403, "two-factor-required")
    TOTPDevice.objects.create(user=owner, name="phone", confirmed=True)
    assert reader.get(f"/api/v1/orgs/{org.code}").status_code == 200


def test_the_rate_limit_answers_429_with_retry_after(reader, org, settings, monkeypatch):
    settings.API_RATE_LIMIT, settings.API_RATE_WINDOW = 2, 60
    now = [60 * 16_666_667 + 20.0]  # 20 s into a window
    monkeypatch.setattr(auth, "clock", lambda: now[0])
    path = f"/api/v1/orgs/{org.code}"
    assert [reader.get(path).status_code for _ in range(2)] == [200, 200]
    refused = reader.get(path)
    _problem(refused, 429, "rate-limited")
    assert refused["Retry-After"] == "40"
    now[0] += 40  # the next window
    assert reader.get(path).status_code == 200


def test_each_token_has_its_own_rate_limit(reader, org, owner, settings):
    settings.API_RATE_LIMIT = 1
    path = f"/api/v1/orgs/{org.code}"
    assert reader.get(path).status_code == 200
    assert reader.get(path).status_code == 429
    assert ApiClient(token_for(org, owner)).get(path).status_code == 200


# --- Reading ------------------------------------------------------------------------------


def test_it_reads_the_organisation(reader, org):
    body = reader.get(f"/api/v1/orgs/{org.code}").json()
    assert body["name"] == "Acme Bank" and sorted(body["countries"]) == ["DE", "GB"]


def test_it_lists_assessments_with_filters(reader, org, owner, submitted, bank):
    draft = Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    base = f"/api/v1/orgs/{org.code}/assessments"
    everything = reader.get(base).json()
    assert everything["count"] == 2
    assert [a["code"] for a in everything["items"]] == [str(draft.code), str(submitted.code)]
    done = reader.get(base + "?status=submitted").json()["items"]
    assert [(a["code"], a["outcome"]) for a in done] == [
        (str(submitted.code), submitted.result["outcome"])
    ]
    other = "hygiene_first" if submitted.result["outcome"] != "hygiene_first" else "both"
    assert reader.get(f"{base}?outcome={other}").json()["count"] == 0
    assert reader.get(f"{base}?outcome={submitted.result['outcome']}").json()["count"] == 1
    later = (submitted.submitted_at + timedelta(seconds=1)).isoformat().replace("+00:00", "Z")
    assert reader.get(f"{base}?submitted_after={later}").json()["count"] == 0
    page = reader.get(base + "?limit=1&offset=1").json()
    assert [a["code"] for a in page["items"]] == [str(submitted.code)]


def test_listing_takes_the_same_queries_for_one_or_a_hundred(
    reader, org, owner, bank, django_assert_num_queries
):
    Assessment.objects.create(organization=org, bank=bank, created_by=owner)
    path = f"/api/v1/orgs/{org.code}/assessments?limit=100"
    reader.get(path)  # the token's last_used is written on first use
    # token, membership, count, page
    with django_assert_num_queries(4):
        assert reader.get(path).json()["count"] == 1
    Assessment.objects.bulk_create(
        Assessment(organization=org, bank=bank, created_by=owner) for _ in range(99)
    )
    with django_assert_num_queries(4):
        assert len(reader.get(path).json()["items"]) == 100


def test_one_result_is_read_from_the_snapshot(reader, submitted, django_assert_num_queries):
    path = f"/api/v1/assessments/{submitted.code}"
    reader.get(path)
    # token, membership, the assessment, the access log's entry
    with django_assert_num_queries(4):
        body = reader.get(path).json()
    result, frozen = body["result"], submitted.result
    assert body["status"] == "submitted"
    assert result["outcome"] == frozen["outcome"]
    assert result["operational_depth"] == frozen["operational_depth"]
    capacity = frozen["scores"]["capacity"]
    assert result["scores"]["capacity"] == {
        "score": capacity["score"],
        "known_share": capacity["confidence"],
        "low": capacity["low"],
        "high": capacity["high"],
    }
    reason = result["reasons"][0]
    assert reason["text"] == frozen["reasons"][0]["text"]
    assert reason["answers"][0]["answer"] == frozen["reasons"][0]["drivers"][0]["answer"]
    assert [c["text"] for c in result["caveats"]] == [c["text"] for c in frozen["caveats"]]
    body0 = result["bodies"][0]
    assert body0["name"] == frozen["alliances"][0]["name"]
    assert body0["facts_as_of"] == frozen["alliances"][0]["facts_as_of"] and body0["sources"]
    assert [p["action"] for p in result["plan"]] == [p["action"] for p in frozen["plan"]]


def test_a_result_comes_in_another_language_it_was_frozen_in(reader, submitted):
    body = reader.get(f"/api/v1/assessments/{submitted.code}?lang=fr").json()["result"]
    assert body["language"] == "fr"
    assert body["headline"] == submitted.result["texts"]["fr"]["headline"]


def test_reading_a_result_is_in_the_access_log(reader, submitted, owner):
    reader.get(f"/api/v1/assessments/{submitted.code}")
    event = AccessEvent.objects.get(action=AccessEvent.Action.API_READ)
    assert event.user == owner and event.data["assessment"] == str(submitted.code)


def test_the_pdf_is_202_while_it_renders_then_the_file(reader, submitted, run_tasks):
    path = f"/api/v1/assessments/{submitted.code}/pdf?lang=de"
    pending = reader.get(path)
    assert pending.status_code == 202 and pending.json()["state"] == "preparing"
    assert run_tasks() >= 1
    ready = reader.get(path)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert ready.content.startswith(b"%PDF")
    assert submitted.report_pdfs.filter(language="de").exists()


def test_a_drafts_pdf_is_a_conflict(reader, assessment):
    _problem(reader.get(f"/api/v1/assessments/{assessment.code}/pdf"), 409, "assessment-draft")


def test_it_reads_the_published_bank(reader, bank):
    body = reader.get("/api/v1/bank?lang=fr").json()
    view = bank_view(bank, "fr")
    assert body["version"] == bank.version and body["language"] == "fr"
    first = body["sections"][0]["questions"][0]
    assert first["key"] == view.questions[0].code and first["text"] == view.questions[0].text
    conditional = [q for s in body["sections"] for q in s["questions"] if q["show_if"]]
    assert conditional, "the default bank has conditional questions"


def test_it_lists_workshops(reader, org, owner, bank):
    workshop = workshop_start(organization=org, user=owner)
    body = reader.get(f"/api/v1/orgs/{org.code}/workshops").json()
    assert body == [
        {
            "assessment": str(workshop.assessment.code),
            "status": "open",
            "participants": 0,
            "created": body[0]["created"],
            "closed_at": None,
        }
    ]


# --- Writing ------------------------------------------------------------------------------


def _first_single(view):
    return next(q for q in view.questions if q.kind == "single" and not q.show_if_code)


def test_a_script_creates_answers_and_submits(writer, org, bank, owner):
    created = writer.post(f"/api/v1/orgs/{org.code}/assessments")
    assert created.status_code == 201
    code = created.json()["code"]
    view = bank_view(bank)
    answers = {}
    for q in view.questions:
        if not q.show_if_code:
            answers[q.code] = {"choices": [q.choice_list[-1].code], "comment": ""}
    q = _first_single(view)
    answers[q.code]["comment"] = "from the GRC tool"
    saved = writer.put(f"/api/v1/assessments/{code}/answers", {"answers": answers})
    assert saved.status_code == 200, saved.content
    assert saved.json()["answers"][q.code]["comment"] == "from the GRC tool"
    done = writer.post(f"/api/v1/assessments/{code}/submit")
    assert done.status_code == 200 and done.json()["result"]["outcome"]
    assessment = Assessment.objects.get(code=code)
    assert assessment.status == "submitted" and assessment.submitted_by == owner
    again = writer.post(f"/api/v1/assessments/{code}/submit")
    _problem(again, 409, "assessment-submitted")
    late = writer.put(f"/api/v1/assessments/{code}/answers", {"answers": {}})
    _problem(late, 409, "assessment-submitted")
    assert AccessEvent.objects.filter(action=AccessEvent.Action.API_WRITE).count() == 2


def test_answers_that_do_not_fit_the_bank_are_refused_each_with_its_path(writer, assessment):
    view = bank_view(assessment.bank)
    single = _first_single(view)
    multi = next(q for q in view.questions if q.kind == "multi")
    hidden = next(q for q in view.questions if q.show_if_code)
    source = view.by_code[hidden.show_if_code]
    closing = next(c.code for c in source.choice_list if c.code not in hidden.show_if_choices)
    body = {
        "answers": {
            "NO-SUCH-KEY": {"choices": ["x"]},
            single.code: {"choices": [single.choice_list[0].code, single.choice_list[1].code]},
            multi.code: {"choices": [multi.choice_list[0].code, "not-offered"]},
        }
    }
    response = writer.put(f"/api/v1/assessments/{assessment.code}/answers", body)
    errors = _problem(response, 422, "invalid-answers")["errors"]
    assert {e["path"] for e in errors} == {
        "/answers/NO-SUCH-KEY",
        f"/answers/{single.code}/choices",
        f"/answers/{multi.code}/choices/1",
    }
    not_applying = {
        "answers": {
            source.code: {"choices": [closing]},
            hidden.code: {"choices": [hidden.choice_list[0].code]},
        }
    }
    response = writer.put(f"/api/v1/assessments/{assessment.code}/answers", not_applying)
    errors = _problem(response, 422, "invalid-answers")["errors"]
    assert errors == [
        {
            "path": f"/answers/{hidden.code}",
            "message": f"This question does not apply given the answer to {source.code}.",
        }
    ]
    assert not Answer.objects.filter(assessment=assessment).exists()  # all or nothing


@pytest.mark.parametrize(
    ("raw", "status", "kind", "path"),
    [
        ("{not json", 400, "malformed-request", None),
        ('{"answers": []}', 422, "invalid-request", "/answers"),
        ('{"answers": {"CAP-01": {"choices": "a"}}}', 422, "invalid-request", None),
        ('{"answers": {"CAP-01": {"choices": [1], "comment": 5}}}', 422, "invalid-request", None),
        ("[]", 422, "invalid-request", None),
    ],
)
def test_wrong_shapes_get_400_or_422_with_paths(writer, assessment, raw, status, kind, path):
    response = writer.put(f"/api/v1/assessments/{assessment.code}/answers", raw=raw)
    body = _problem(response, status, kind)
    if status == 422:
        assert body["errors"] and all(e["path"] for e in body["errors"])
    if path:
        assert path in {e["path"] for e in body["errors"]}


def test_a_bad_code_or_filter_is_422_with_its_place(reader, org):
    body = _problem(reader.get("/api/v1/assessments/not-a-uuid"), 422, "invalid-request")
    assert body["errors"][0]["path"] == "path/code"
    body = reader.get(f"/api/v1/orgs/{org.code}/assessments?limit=1000")
    assert _problem(body, 422, "invalid-request")["errors"][0]["path"] == "query/limit"
    body = reader.get(f"/api/v1/orgs/{org.code}/assessments?status=lost")
    assert _problem(body, 422, "invalid-request")["errors"][0]["path"] == "query/status"


def test_an_unknown_api_path_is_a_problem_too(reader):
    _problem(reader.get("/api/v1/nowhere"), 404, "not-found")
    _problem(reader.call("delete", "/api/v1/bank"), 405, "method-not-allowed")


# --- The document and the docs page -------------------------------------------------------


def test_the_openapi_document_is_valid_and_lists_every_path(client):
    document = client.get("/api/openapi.json").json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert set(document["paths"]) == set(api.get_openapi_schema()["paths"])
    assert "/api/v1/assessments/{code}/answers" in document["paths"]


def test_the_docs_page_lists_every_path_and_loads_nothing_from_elsewhere(client):
    page = client.get("/api/docs").content.decode()
    assert 'src="/static/ninja/swagger-ui-bundle.js"' in page
    assert finders.find("ninja/swagger-ui-bundle.js") and finders.find("ninja/swagger-ui.css")
    assert not re.search(r"(src|href)=\"(https?:)?//", page)
    for path, methods in api.get_openapi_schema()["paths"].items():
        for method in methods:
            assert f"<td>{method.upper()}</td><td><code>{path}</code>" in page


# --- The command --------------------------------------------------------------------------


def test_the_command_makes_a_token_that_works(org, owner):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", str(org.code), "--scope", "write", stdout=out, stderr=err)
    secret = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert token.scope == "write" and token.user == owner and "not shown again" in err.getvalue()
    assert ApiClient(secret).get(f"/api/v1/orgs/{org.code}").status_code == 200
    call_command("create_api_token", "Acme Bank", stdout=io.StringIO(), stderr=io.StringIO())
    assert ApiToken.objects.filter(scope="read").count() == 1


def test_the_command_refuses_an_unknown_organisation_or_a_non_member(org, outsider):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No organisation"):
        call_command("create_api_token", "Nobody Ltd")
    with pytest.raises(CommandError, match="not a member"):
        call_command("create_api_token", str(org.code), "--user", outsider.email)
    assert not ApiToken.objects.exists()
