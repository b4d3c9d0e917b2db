"""One walk through the whole path a CISO takes, from sign-up to the result."""

import re

from assess.models import Assessment
from tests.conftest import PASSWORD, sent_mail


def test_sign_up_to_result(client, bank):
    client.post("/accounts/signup/", {"email": "ciso@corp.example"})
    link = re.search(r"https?://[^/\s]+(/accounts/signup/\S+/)", sent_mail()[0].body)[1]
    r = client.post(link, {"name": "Cee", "password1": PASSWORD, "password2": PASSWORD})
    r = client.post(
        r.url,
        {
            "name": "Corp",
            "sector": "information_technology",
            "size_band": "enterprise",
            "headquarters": "US",
            "countries": ["US", "GB"],
        },
    )
    dashboard = client.get(r.url)
    start = re.search(r'action="(/orgs/[^"]+/assessments/new/)"', dashboard.text).group(1)
    r = client.post(start)
    # Answer each page with the first real choice on every question, as shown.
    while "/s/" in r.url:
        page = client.get(r.url).text
        data = {"action": "next"}
        for name in dict.fromkeys(re.findall(r'name="(q_[^"]+)"', page)):
            data[name] = re.search(rf'name="{name}" id="[^"]+" value="([^"]+)"', page).group(1)
        r = client.post(r.url, data)
        assert r.status_code == 302
    assert r.url.endswith("/review/")
    review = client.get(r.url).text
    submit = re.search(r'action="(/a/[^"]+/submit/)"', review).group(1)
    r = client.post(submit)
    result = client.get(r.url)
    assert result.status_code == 200
    assessment = Assessment.objects.get()
    assert assessment.result["outcome"] == "hygiene_first"
    assert "Cyber hygiene first" in result.text
    assert client.get(dashboard.request["PATH_INFO"]).text.count("View result") == 1
