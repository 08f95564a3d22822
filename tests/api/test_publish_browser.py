"""An editor of Gerpinnes publishes her plan in a real browser (Debian's chromium, playwright):
sign in, upload a .docx of 6 actions, see the preview with one suggested type, accept it, describe
another action, publish; an anonymous visitor then finds the 6 actions, from « contribution de la
commune », the accepted type declared. Before publishing, /sparql, /dump and /api/search knew none."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import httpx
import pytest

from pcs_graph.config import REPO_ROOT
from tests.api.contrib_server import ContribServer, contrib_server  # noqa: F401  (module fixture)
from tests.api.test_contributions_api import sparql_labels
from tests.contrib.plan_documents import LABELS, gerpinnes_docx

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ARTIFACTS = REPO_ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is absent (/usr/bin/chromium): "
                       "apt-get install chromium; the tests never download a browser"),
    pytest.mark.timeout(600),
    pytest.mark.slow,  # its own server over a copy of the indexed corpus, a browser, the sandbox, a re-index
]
playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def test_an_editor_uploads_corrects_and_publishes_her_plan(browser, contrib_server: ContribServer, tmp_path):  # noqa: F811
    server = contrib_server
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900}, locale="fr-BE")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    page.goto("/connexion?suite=/espace")
    page.get_by_label("Adresse e-mail").fill(server.editor_email)
    page.get_by_label("Mot de passe").fill(server.password)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/espace")
    page.get_by_role("link", name="Publier le plan de ma commune").click()
    page.wait_for_url("**/espace/publier")

    page.set_input_files("#file", files=[{"name": "Plan PCS Gerpinnes.docx", "mimeType": DOCX,
                                          "buffer": gerpinnes_docx(tmp_path)}])
    page.select_option("#commune", "52025")
    page.select_option("#programme", "2020-2025")
    page.get_by_role("button", name="Déposer et voir l'aperçu").click()
    page.wait_for_url("**/espace/publier/*")

    lines = page.locator("li.draft-action")
    expect(lines).to_have_count(6)
    assert [lines.nth(i).locator("input[id^=label_]").input_value() for i in range(6)] == LABELS
    expect(page.locator("p.suggestion")).to_have_count(1)  # the one action printed without a code
    suggestion = page.locator("#ligne-4 p.suggestion").inner_text()
    code = suggestion.split("Type suggéré : ", 1)[1].split(" ", 1)[0]
    assert "probabilité" in suggestion
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "publish-preview.png"), full_page=True)

    # private until published
    assert sparql_labels(server) == set()
    dump = server.nquads()
    assert not any(label in dump for label in LABELS)
    for label in LABELS:
        assert label not in server.search_labels(label)

    page.locator("#ligne-4").get_by_label("accepter le type suggéré").check()
    page.locator("#description_2").fill("Chaque mardi au CPAS, sans rendez-vous.")
    page.get_by_role("button", name="Enregistrer les corrections").click()
    expect(page.locator("#ligne-4 p.declared")).to_contain_text(code)
    expect(page.locator("#description_2")).to_have_value("Chaque mardi au CPAS, sans rendez-vous.")
    page.get_by_role("button", name="Publier").click()
    page.wait_for_url("**/espace/publier?publie=1")
    expect(page.get_by_role("status")).to_contain_text("Plan publié (version 1)")
    assert errors == []
    context.close()

    # an anonymous visitor
    assert server.wait_for_search(set(LABELS), source_kind="commune-contribution") == set(LABELS)
    hits = httpx.get(f"{server.url}/api/search", params={"q": "", "commune": "52025", "limit": 100,
                                                         "source_kind": "commune-contribution"}, timeout=60).json()["hits"]
    assert {h["source_kind"] for h in hits} == {"commune-contribution"}
    gym = next(h for h in hits if h["label"] == LABELS[3])
    assert (gym["code"], gym["status"]) == (code, "declared")
    anonymous = browser.new_context(base_url=server.url, locale="fr-BE")
    results = anonymous.new_page()
    results.goto("/recherche?q=gym+douce+a%C3%AEn%C3%A9s&commune=52025")
    hit = results.locator("li.hit").filter(has_text=LABELS[3])
    expect(hit).to_contain_text("contribution de la commune")
    anonymous.close()
