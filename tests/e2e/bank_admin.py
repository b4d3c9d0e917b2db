"""Signing a question bank editor in to the admin, for the browser tests of the bank pages."""

from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tests.conftest import PASSWORD


def editor_page(site, new_context):
    # Browser tests flush the database after each test, which removes the group the data
    # migration made; make it again the same way.
    import_module("assess.migrations.0003_choice_bank_and_editors").create_editors_group(
        django_apps, None
    )
    editor = get_user_model().objects.create_user(
        "editor@e2e.example", "editor@e2e.example", PASSWORD, is_staff=True
    )
    editor.groups.add(Group.objects.get(name="Question bank editors"))
    page = new_context().new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{site}/admin/login/")  # sends to our sign-in page, and back to the admin
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("main [type=submit]")
    page.wait_for_load_state()
    return page
