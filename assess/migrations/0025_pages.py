from django.db import migrations, models

# The shipped catalogue's entries whose operator states that joining costs nothing: an
# installation that loaded the catalogue before `free` existed gets them marked, unless an
# admin has since changed what the entry says it costs.
FREE = {
    "hscc-cwg": "Free: no dues, because government takes part.",
    "gca": "Free; partners may choose to fund GCA but there are no set dues.",
    "paris-call": "Free.",
    "cisa-secure-by-design": "No fee.",
    "be-safeonweb-at-work": "Free",
    "bg-cert-bulgaria": "Free",
    "cy-csirt-cy": "Free",
    "ee-cert-ee": "Free",
    "de-acs": "Free",
    "hu-nki": "Free",
    "lv-cert-lv": "Free",
    "mt-csirtmalta": "Free",
    "pl-n6": "Free",
    "ro-dnsc": "Free",
    "sk-jiskb": "Free access",
    "es-incibe-017": "Free",
    "se-cert-se": "Free",
    "gb-cisp": "Free",
    "us-ais": "Free",
    "us-ciscp": "Free",
}


def mark_free(apps, schema_editor):
    Alliance = apps.get_model("assess", "Alliance")
    for slug, cost in FREE.items():
        Alliance.objects.filter(slug=slug, cost=cost).update(free=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assess", "0024_data_ownership"),
    ]

    operations = [
        migrations.AddField(
            model_name="alliance",
            name="free",
            field=models.BooleanField(
                default=False, help_text="The operator states that joining costs nothing."
            ),
        ),
        migrations.RunPython(mark_free, migrations.RunPython.noop),
    ]
