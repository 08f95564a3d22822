"""Issue 18's path in a real browser (Debian's chromium driven by playwright, on a real server).

An admin creates an editor of Gerpinnes with the CLI; the editor sets a password through the link,
signs in, marks a Gerpinnes action as running (2021), then stopped (2025); an anonymous visitor sees
the new status attributed and dated on the page, in /api/actions/… and in SPARQL; the history shows
the two versions and the diff; restoring the first brings the old status back. Never downloads a
browser: skipped, with the reason, when /usr/bin/chromium is absent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path

import httpx
import pytest

from databases import EditableStore, sparql_rows, store_template  # noqa: F401 - fixture
from pcs_graph.config import REPO_ROOT
from pcs_graph.graph.programmes import french_date
from server import TEST_LIMITS, LiveServer

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO_ROOT / "test-artifacts"
PASSWORD = "le potager de Gerpinnes 2025"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is absent (/usr/bin/chromium): "
                       "apt-get install chromium; the tests never download a browser"),
    pytest.mark.timeout(300),
    pytest.mark.slow,
]
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.fixture(scope="module")
def site(store_template: EditableStore, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, EditableStore, str]]:  # noqa: F811
    root = tmp_path_factory.mktemp("browser-contrib")
    shutil.copytree(store_template.settings.store, root / "store")
    database = f"sqlite:///{root / 'pcs.sqlite3'}"
    settings = store_template.settings.with_(store=str(root / "store"), index_dir=str(root / "index"),
                                             extra={**TEST_LIMITS, "database_url": database})
    server = LiveServer(settings)
    server.start()
    try:
        yield server.url, store_template, database
    finally:
        server.stop()


def pcs(*args: str) -> str:
    done = subprocess.run([sys.executable, "-c", "from pcs_graph.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_an_editor_invited_by_the_cli_updates_a_status_everyone_sees_it_and_restores(site):
    url, place, database = site
    out = pcs("users", "add", "chef@gerpinnes.be", "--role", "editor", "--commune", place.nis,
              "--database", database, "--url", url)
    link = re.search(r"^(http://\S+/invitation/\S+)$", out, re.M).group(1)
    path = "/" + place.action.split("/id/")[1]  # /action/52025/2020-2025/…
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        editor = browser.new_context(base_url=url, locale="fr-BE").new_page()
        errors: list[str] = []
        editor.on("pageerror", lambda e: errors.append(str(e)))

        editor.goto(link)
        expect(editor.get_by_role("heading", name="Choisir un mot de passe")).to_be_visible()
        editor.get_by_label("Mot de passe (au moins 12 caractères)").fill(PASSWORD)
        editor.get_by_label("Le même, une seconde fois").fill(PASSWORD)
        editor.get_by_role("button", name="Enregistrer le mot de passe").click()
        editor.wait_for_url("**/connexion?suite=/espace")
        editor.get_by_label("Adresse e-mail").fill("chef@gerpinnes.be")
        editor.get_by_label("Mot de passe").fill(PASSWORD)
        editor.get_by_role("button", name="Se connecter").click()
        editor.wait_for_url("**/espace")
        expect(editor.locator("main")).to_contain_text("PCS de Gerpinnes")
        editor.locator(f'a[href="{path}"]').click()
        editor.wait_for_url(f"**{path}")

        for status, since in (("running", "2021"), ("stopped", "2025")):
            editor.locator("#status").select_option(status)
            editor.locator("#status_date").fill(since)
            editor.get_by_role("button", name="Publier la mise à jour").click()
            editor.wait_for_url(re.compile(re.escape(path) + "#mise-a-jour$"))
        today = french_date(datetime.now(timezone.utc).date())

        visitor = browser.new_context(base_url=url, locale="fr-BE").new_page()
        visitor.goto(path)
        attribution = visitor.locator("#mise-a-jour .attribution")
        expect(attribution).to_contain_text(f"Mis à jour par PCS de Gerpinnes le {today}")
        expect(visitor.locator('#mise-a-jour [data-status="stopped"]')).to_contain_text("arrêtée")
        expect(visitor.locator("#mise-a-jour")).to_contain_text("2025")
        expect(visitor.get_by_role("button", name="Publier la mise à jour")).to_have_count(0)  # anonymous
        ARTIFACTS.mkdir(exist_ok=True)
        visitor.screenshot(path=str(ARTIFACTS / "contribution.png"), full_page=True)

        api = httpx.get(f"{url}/api/actions{path.removeprefix('/action')}", params={"similar": 0}, timeout=60).json()
        assert api["contribution"]["public_name"] == "PCS de Gerpinnes"
        assert api["contribution"]["current_sheet"]["status"] == "stopped"
        assert api["contribution"]["generated_at"].startswith(date.today().isoformat()[:4])
        query = f"SELECT ?n WHERE {{ <{place.action}> pcs:status/skos:notation ?n }}"
        assert "stopped" in sparql_rows(url, query)

        editor.goto(f"{path}/historique")
        versions = editor.locator("ol.versions > li")
        expect(versions).to_have_count(2)
        diff = versions.first.locator("table.diff")
        expect(diff).to_contain_text("Statut")
        expect(diff.locator("del").first).to_contain_text("en cours")
        expect(diff.locator("ins").first).to_contain_text("arrêtée")
        editor.get_by_role("button", name="Rétablir la version 1").click()
        editor.wait_for_url(f"**{path}/historique")
        expect(editor.locator("ol.versions > li")).to_have_count(3)
        expect(editor.locator("ol.versions > li").first).to_contain_text("rétablit la version 1")

        visitor.goto(path)
        expect(visitor.locator('#mise-a-jour [data-status="running"]')).to_contain_text("en cours")
        assert errors == []
        browser.close()
