"""Headers every page carries: a strict Content Security Policy, no framing, no sniffing."""


def test_pages_send_a_strict_content_security_policy(client, db):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_template_has_an_inline_script_or_style(settings):
    from pathlib import Path

    found = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        for needle in ("<script>", "<style", " style=", " onclick=", " onload="):
            if needle in text:
                found.append(f"{path.name}: {needle}")
    assert found == []
