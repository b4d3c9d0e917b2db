"""A result snapshot holding text that cannot be encoded (a lone surrogate from a bank saved
before its texts were checked) is shown, not a 500 (issue 14, finding 4)."""

import pytest
from django.db import connection

from assess.models import Assessment
from assess.services import assessment_submit
from tests.test_report import answer_all


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="PostgreSQL refuses to store such text at all"
)
def test_a_snapshot_with_a_lone_surrogate_still_shows(owner_client, assessment, owner, run_tasks):
    answer_all(assessment)
    a = assessment_submit(assessment=assessment, user=owner)
    result = a.result
    result["plan"][0]["action"] = "Review the \ud800 plan"
    Assessment.objects.filter(pk=a.pk).update(result=result)  # what the old publish let in

    for url in (f"/a/{a.code}/result/", f"/a/{a.code}/report/", f"/a/{a.code}/report/status/"):
        response = owner_client.get(url)
        assert response.status_code == 200, url
    assert "Review the \ufffd plan" in owner_client.get(f"/a/{a.code}/report/").text
    run_tasks()
    assert owner_client.get(f"/a/{a.code}/report.pdf").status_code == 200
