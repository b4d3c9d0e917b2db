"""What the API tests share: a token for an organisation, a client that sends it, and Acme's
submitted assessment answered through the services."""

import json

from django.test import Client

from assess.api.tokens import api_token_create
from assess.selectors import bank_view
from assess.services import answers_save, assessment_submit

NOTE = "ACME-API-NOTE"  # a comment in Acme's answers that no outsider may read


def token_for(org, user, scope="read", days=30, **kwargs):
    return api_token_create(
        organization=org, user=user, name="script", scope=scope, days=days, **kwargs
    )[1]


class ApiClient:
    def __init__(self, secret=None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def call(self, method, path, body=None, raw=None):
        kwargs = {"headers": self.headers}
        if raw is not None or body is not None:
            kwargs["data"] = raw if raw is not None else json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method)(path, **kwargs)

    def get(self, path):
        return self.call("get", path)

    def put(self, path, body=None, raw=None):
        return self.call("put", path, body, raw)

    def post(self, path, body=None, raw=None):
        return self.call("post", path, body, raw)


def answer_all(assessment, note=NOTE):
    """Every question answered with its last known choice (a multi question with it alone),
    through the service the pages use; questions hidden by those answers are dropped."""
    view = bank_view(assessment.bank)
    values = {}
    for q in view.questions:
        known = [c for c in q.choice_list if not c.is_unknown]
        values[q.code] = ((known[-1].code,), note)
    answers_save(assessment=assessment, values=values)
    return view


def submitted_assessment(assessment, owner):
    answer_all(assessment)
    return assessment_submit(assessment=assessment, user=owner)
