"""An owner exports the organisation's data, deletes it (a wrong name first), finds it on
their account page and restores it, in a browser."""

import io
import json
import zipfile
from pathlib import Path

from assess.models import OrganizationDeletion
from assess.services import organization_create
from tests.conftest import run_queued_tasks
from tests.e2e.conftest import check_accessibility, no_sideways_scroll, sign_in

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_an_owner_exports_deletes_and_restores(site, new_context, ciso):
    org = organization_create(
        user=ciso, name="Delete Me Ltd", sector="energy", size_band="medium", countries=["NL"]
    )
    page = new_context().new_page()
    sign_in(page, site, ciso)
    page.goto(f"{site}/orgs/{org.code}/")
    page.get_by_role("link", name="Export or delete data").click()
    page.get_by_role("button", name="Export everything the organisation holds").click()
    page.get_by_text("Your export is being built").wait_for()
    assert "Waiting for the worker" in page.locator("main").inner_text()
    check_accessibility(page)

    run_queued_tasks()
    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert json.loads(archive.read("export.json"))["organization"]["name"] == "Delete Me Ltd"

    page.get_by_label("Type the organisation's name").fill("Delete Me")
    page.get_by_role("button", name="Delete the organisation").click()
    page.get_by_text("The name you typed does not match").wait_for()
    assert page.get_by_label("Type the organisation's name").input_value() == "Delete Me"
    assert not OrganizationDeletion.objects.exists()
    check_accessibility(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        no_sideways_scroll(page)
        page.screenshot(path=str(SHOTS / f"ownership-data-{width}.png"), full_page=True)

    page.get_by_label("Type the organisation's name").fill("Delete Me Ltd")
    page.get_by_role("button", name="Delete the organisation").click()
    page.get_by_role("heading", name="Organisations waiting to be deleted").wait_for()
    assert page.url == f"{site}/account/"
    check_accessibility(page)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        no_sideways_scroll(page)
        page.screenshot(path=str(SHOTS / f"ownership-account-{width}.png"), full_page=True)
    page.goto(f"{site}/orgs/{org.code}/")
    assert page.locator("main").inner_text().strip()  # the not-found page, not the dashboard
    assert "Delete Me Ltd" not in page.locator("main").inner_text()

    page.goto(f"{site}/account/")
    page.get_by_role("button", name="Restore").click()
    page.get_by_text("Delete Me Ltd is restored, as it was.").wait_for()
    assert page.url == f"{site}/orgs/{org.code}/"
    assert not OrganizationDeletion.objects.exists()
