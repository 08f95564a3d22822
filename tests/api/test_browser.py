"""A project leader's path in a real browser: Debian's chromium driven by playwright, on the live server.

Home → type « personnes isolées » → results (screenshot in test-artifacts/results.png) → Mons' 5.5.01
action → its similar actions in other communes. Also: search without JavaScript, the facet boxes, and
the SPARQL page (local YASGUI) running a gallery query without console errors. Never downloads a
browser: skipped, with the reason, when /usr/bin/chromium is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from pcs_graph.config import REPO_ROOT

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
ARTIFACTS = REPO_ROOT / "test-artifacts"

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is absent (/usr/bin/chromium): "
                       "apt-get install chromium; the tests never download a browser"),
    pytest.mark.timeout(300),
]
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server: str):
    """A fresh page on the live server, recording console errors and uncaught exceptions."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="fr-BE")
    tab = context.new_page()
    tab.errors = []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def test_search_isolated_people_open_mons_action_and_see_similar_actions(page) -> None:
    page.goto("/")
    page.get_by_label("Rechercher une action").fill("personnes isolées")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/recherche?q=personnes+isol%C3%A9es")

    mons = page.locator("li.hit").filter(has=page.locator('a[href="/action/53053/2020-2025/23"]'))
    playwright_api.expect(mons).to_contain_text("Mons")
    playwright_api.expect(mons).to_contain_text("5.5.01")
    playwright_api.expect(mons.locator("mark").first).to_be_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "results.png"), full_page=True)

    mons.locator('h2 a[href="/action/53053/2020-2025/23"]').click()
    page.wait_for_url("**/action/53053/2020-2025/23")
    playwright_api.expect(page.get_by_role("heading", level=1)).to_have_text("Activités de rencontre pour personnes isolées")
    similar = page.locator("#similaires ul.similar li")
    playwright_api.expect(similar.first).to_be_visible()
    assert similar.count() >= 1
    assert all("Mons" not in similar.nth(i).locator("a.muted").inner_text() for i in range(similar.count()))
    page.screenshot(path=str(ARTIFACTS / "action.png"), full_page=True)
    assert page.errors == []


def test_ticking_a_facet_box_filters_the_results(page) -> None:
    page.goto("/recherche?q=personnes+isol%C3%A9es")
    page.get_by_label("Hastière").check()  # facets.js submits the form on change
    page.wait_for_url("**commune=91142**")
    communes = page.locator("li.hit p.meta a[href^='/commune/']").all_inner_texts()
    assert communes and set(communes) == {"Hastière"}
    assert page.errors == []


def test_search_works_without_javascript(browser, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    tab = context.new_page()
    tab.goto("/")
    tab.get_by_label("Rechercher une action").fill("épicerie sociale")
    tab.get_by_label("Rechercher une action").press("Enter")
    tab.wait_for_url("**/recherche?q=*")
    playwright_api.expect(tab.locator("li.hit").first).to_contain_text("épicerie")
    context.close()


def test_pages_render_without_console_errors(page) -> None:
    for path in ("/", "/commune/53053", "/action-type/5.5.01", "/axis/5", "/statistiques",
                 "/partner/asbl-pourquoi-pas-toi"):
        page.goto(path)
        playwright_api.expect(page.locator("h1")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "partner.png"), full_page=True)
    assert page.errors == []


def test_yasgui_page_loads_locally_and_runs_a_gallery_query(page) -> None:
    requested_hosts: set[str] = set()
    page.on("request", lambda r: requested_hosts.add(r.url.split("/")[2]))
    page.goto("/requetes")
    playwright_api.expect(page.locator("#yasgui .yasqe")).to_be_visible()
    playwright_api.expect(page.locator("form.plain-query")).to_be_hidden()  # the no-script fallback
    page.get_by_role("link", name="Actions par axe et par province").click()
    playwright_api.expect(page.locator("#yasgui .yasr")).to_contain_text("Hainaut", timeout=30_000)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sparql.png"), full_page=True)
    assert requested_hosts == {page.url.split("/")[2]}  # nothing fetched from another host
    assert page.errors == []


@pytest.fixture
def offline_page(browser, live_server: str):
    """A page on which every request to another host is blocked and recorded (an offline network)."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900}, locale="fr-BE")
    own = live_server.split("/")[2]
    tab = context.new_page()
    tab.outside = []
    tab.errors = []

    def route(request_route) -> None:
        if request_route.request.url.split("/")[2] == own or request_route.request.url.startswith(("data:", "blob:")):
            request_route.continue_()
        else:
            tab.outside.append(request_route.request.url)
            request_route.abort()

    tab.route("**/*", route)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    yield tab
    context.close()


def test_swagger_ui_renders_the_operations_with_other_hosts_blocked(offline_page) -> None:
    offline_page.goto("/docs")
    operations = offline_page.locator(".opblock-summary-path")
    playwright_api.expect(operations.first).to_be_visible(timeout=30_000)
    paths = operations.all_inner_texts()
    assert "/api/search" in paths and "/sparql" in paths and len(paths) > 15
    offline_page.locator(".opblock-summary", has_text="/api/stats").first.click()
    playwright_api.expect(offline_page.locator(".opblock.is-open")).to_contain_text("Actions par axe")
    ARTIFACTS.mkdir(exist_ok=True)
    offline_page.screenshot(path=str(ARTIFACTS / "docs.png"))
    assert offline_page.outside == [] and offline_page.errors == []


def test_redoc_renders_the_operations_with_other_hosts_blocked(offline_page) -> None:
    offline_page.goto("/redoc")
    playwright_api.expect(offline_page.get_by_role("heading", name="Recherche sémantique des actions, avec facettes et filtres")
                          ).to_be_visible(timeout=30_000)
    menu = offline_page.locator("li[data-item-id] label").all_inner_texts()
    assert any("/api/communes" in m or "communes" in m.lower() for m in menu) and len(menu) > 15
    offline_page.screenshot(path=str(ARTIFACTS / "redoc.png"))
    assert offline_page.outside == [] and offline_page.errors == []


def test_the_ontology_page_opens_at_a_term_with_other_hosts_blocked(offline_page) -> None:
    offline_page.goto("/ontology#Action")
    term = offline_page.locator("article#Action")
    playwright_api.expect(term).to_be_in_viewport()
    playwright_api.expect(term).to_contain_text("Action concrète")
    offline_page.screenshot(path=str(ARTIFACTS / "ontology.png"))
    assert offline_page.outside == [] and offline_page.errors == []
