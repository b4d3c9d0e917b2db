"""The access log's entries carry their facts as fields (``AccessEvent.data``), so the log page
can say them in the reader's language; entries already written get theirs from their English
``detail``, which the views wrote in a handful of fixed shapes."""

import re
from datetime import UTC, datetime

from django.db import migrations, models

SHAPES = [
    # (action, pattern of the English detail, fields from its groups)
    (
        None,
        r"assessment submitted (?P<submitted>\d{4}-\d\d-\d\d \d\d:\d\d) UTC \((?P<assessment>[0-9a-f-]{36})\)",
        None,
    ),
    (None, r"draft assessment \((?P<assessment>[0-9a-f-]{36})\)", None),
    ("changed_role", r"(?P<email>\S+@\S+): (?P<old_role>\w+) to (?P<role>\w+)", None),
    ("invited", r"(?P<email>\S+@\S+) as (?P<role>\w+)", None),
    ("joined", r"by single sign-on, as (?P<role>\w+)", {"via": "sso"}),
    ("joined", r"as (?P<role>\w+)", None),
    ("joined", r"by the invite link", {"via": "invite_link"}),
    ("removed", r"(?P<email>\S+@\S+)", None),
    ("revoked_invitation", r"(?P<email>\S+@\S+)", None),
    ("changed_policy", r"two-factor required", {"two_factor_required": True}),
    ("changed_policy", r"two-factor no longer required", {"two_factor_required": False}),
]


def data_from_detail(action, detail):
    """The fields an English ``detail`` of this action says, or {} if it has none we know."""
    for shape_action, pattern, extra in SHAPES:
        if shape_action not in (None, action):
            continue
        m = re.fullmatch(pattern, detail)
        if not m:
            continue
        data = {k: v for k, v in m.groupdict().items()}
        if "submitted" in data:
            when = datetime.strptime(data["submitted"], "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
            data["submitted"] = when.isoformat()
        elif "assessment" in data:
            data["submitted"] = None
        data.update(extra or {})
        return data
    return {}


def fill(apps, schema_editor):
    AccessEvent = apps.get_model("assess", "AccessEvent")
    changed = []
    for event in AccessEvent.objects.exclude(detail="").only("action", "detail"):
        event.data = data_from_detail(event.action, event.detail)
        if event.data:
            changed.append(event)
        if len(changed) >= 1000:
            AccessEvent.objects.bulk_update(changed, ["data"])
            changed = []
    AccessEvent.objects.bulk_update(changed, ["data"])


class Migration(migrations.Migration):
    dependencies = [("assess", "0016_two_factor")]

    operations = [
        migrations.AddField(
            model_name="accessevent",
            name="data",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
