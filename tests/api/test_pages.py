"""The French pages, over HTTP against a real uvicorn server on a free loopback port (tests/server.py).

`live_server` serves the bundled corpus (Mons, Hastière, the examples CSV), classified and indexed; a
second server serves a store holding a hostile document, to check that nothing it says runs as HTML.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Iterator

import httpx
from conftest import CORPUS_ACTIONS
import pytest
from pcs_graph.api.pages import highlight, load_gallery
from server import LiveServer

from pcs_graph.config import Settings
from pcs_graph.load import Ingestor
from pcs_graph.search.index import update_index
from pcs_graph.store.workspace import Workspace

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def site(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_server, timeout=60) as client:
        yield client


def text_of(html: str) -> str:
    """The visible text of a page, whitespace collapsed (what a reader sees)."""
    class Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.parts: list[str] = []
            self.skip = 0

        def handle_starttag(self, tag: str, attrs: list) -> None:
            self.skip += tag in ("script", "style", "template")

        def handle_endtag(self, tag: str) -> None:
            self.skip -= tag in ("script", "style", "template")

        def handle_data(self, data: str) -> None:
            if not self.skip:
                self.parts.append(data)

    parser = Text()
    parser.feed(html)
    return re.sub(r"\s+", " ", " ".join(parser.parts))


def page(client: httpx.Client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code, response.text[:500])
    assert response.headers["content-type"].startswith("text/html")
    return response.text


# --- home and search ----------------------------------------------------------------------------

def test_home_has_one_search_box_the_seven_axes_and_figures(site: httpx.Client) -> None:
    html = page(site, "/")
    assert html.count('name="q"') == 1 and 'action="/recherche"' in html
    for n in range(1, 8):
        assert f'href="/recherche?axis={n}"' in html
    text = text_of(html)
    assert "Le droit à la mobilité" in text
    assert re.search(rf"{CORPUS_ACTIONS} actions", text)
    assert "mons_pcs_2020-2025.txt" in text  # where the data comes from


def test_search_highlights_the_query_words_and_shows_commune_partners_and_code(site: httpx.Client) -> None:
    html = page(site, "/recherche?q=personnes+isol%C3%A9es")
    assert "<mark>isolées</mark>" in html and "<mark>personnes</mark>" in html
    assert 'href="/action/53053/2020-2025/23"' in html  # Mons' 5.5.01 action
    assert 'href="/commune/53053"' in html
    assert 'href="/action-type/5.5.01"' in html
    assert "Actions similaires ailleurs" in html
    text = text_of(html)
    assert "ASBL Article 27 art. 20" in text  # article 20 partner marked
    assert "Résultats pour « personnes isolées »" in text


def test_search_facets_are_checkboxes_with_counts_in_a_get_form(site: httpx.Client) -> None:
    html = page(site, "/recherche?q=personnes+isol%C3%A9es")
    form = re.search(r'<form class="results-layout" action="/recherche" method="get".*?</form>', html, re.S)
    assert form is not None
    for facet in ("axis", "province", "commune", "status"):
        assert f'type="checkbox" id="f-{facet}-1" name="{facet}"' in form.group()
    assert re.search(r'name="province" value="50000"[^>]*>\s*<label[^>]*>Hainaut <span class="count">\d+</span>', html)


def test_a_checked_facet_filters_the_results_and_stays_checked(site: httpx.Client) -> None:
    html = page(site, "/recherche?q=personnes+isol%C3%A9es&commune=91142")
    assert re.search(r'name="commune" value="91142" checked', html)
    hits = re.findall(r'<p class="meta">\s*<a href="/commune/(\d+)">', html)
    assert hits and set(hits) == {"91142"}


def test_axis_link_from_home_lists_that_axis_without_a_query(site: httpx.Client) -> None:
    html = page(site, "/recherche?axis=7")
    assert "Atelier réparation/mise à neuf de vélos" in text_of(html)
    assert re.search(r'name="axis" value="7" checked', html)


def test_results_are_paginated_with_links_keeping_the_query(site: httpx.Client) -> None:
    first = page(site, "/recherche?q=activit%C3%A9s")
    assert "page 1 sur" in text_of(first)
    assert 'href="/recherche?q=activit%C3%A9s&amp;page=2"' in first
    second = page(site, "/recherche?q=activit%C3%A9s&page=2")
    assert "page 2 sur" in text_of(second)
    assert '<ol class="hit-list" start="11">' in second


@pytest.mark.parametrize("query", [
    "q=x&axis=9", "q=x&axis=abc", "q=x&page=0", "q=x&page=deux", "q=x&commune=Mons", "q=x&status=maybe",
    "q=x&article20=peut-etre", "q=x&programme=2020", "q=x&partner_kind=Club",
])
def test_bad_search_parameters_give_a_french_400_page(site: httpx.Client, query: str) -> None:
    html = page(site, f"/recherche?{query}", status=400)
    assert "Demande invalide" in html and "paramètre" in html


# --- resources ----------------------------------------------------------------------------------

def test_action_page_shows_type_commune_plan_partners_provenance_and_similar_actions(site: httpx.Client) -> None:
    text = text_of(page(site, "/action/53053/2020-2025/24"))
    assert "Activités de rencontre pour personnes isolées" in text
    assert "5.5.01" in text and "Axe 5 — Le droit à l'épanouissement culturel, social et familial" in text
    assert "Mons (53053) · Hainaut" in text and "PCS 2020-2025 (prolongé jusqu'au 31 décembre 2026) de Mons" in text
    assert "Source : « Cohésion sociale » (CPAS de Mons) — page d'une commune ou d'un CPAS" in text
    assert "ASBL Article 27 (ASBL) art. 20" in text
    assert "mons_pcs_2020-2025.txt" in text and "ligne 52" in text
    assert "déclaré" in text and "le code 5.5.01 est imprimé dans le document source" in text
    similar = text.split("Actions similaires dans d'autres communes", 1)[1]
    assert "Hastière" in similar and "Mons ·" not in similar


def test_an_inferred_classification_is_said_with_its_score(site: httpx.Client) -> None:
    html = page(site, "/commune/91142")
    inferred = re.findall(r'href="(/action/91142/[^"]+)">[^<]*</a>\s*<span class="badge inferred"', html)
    if not inferred:
        pytest.skip("the classifier assigned no type to Hastière's actions in this corpus")
    text = text_of(page(site, inferred[0]))
    assert "inféré" in text and "type attribué par le classifieur" in text and "confiance" in text


def test_commune_page_has_plan_by_axis_partners_chart_and_sources(site: httpx.Client) -> None:
    html = page(site, "/commune/53053")
    text = text_of(html)
    assert "Mons" in text and "Hainaut" in text and "95 231 habitants" in text
    assert re.search(r'<h3 id="axe-5"><a href="/axis/5">Axe 5 — Le droit à l', html)
    assert "Actions par axe (32)" in text
    assert '<svg class="chart"' in html and "Actions de Mons par axe" in html
    assert "ASBL Pourquoi pas toi (ASBL) art. 20 · 2 actions" in text
    assert "Publié dans : « Cohésion sociale » (CPAS de Mons) — page d'une commune ou d'un CPAS" in text
    assert "Fichier lu : mons_pcs_2020-2025.txt (copie de « Cohésion sociale » (CPAS de Mons)" in text
    assert "PCS 2020-2025 (prolongé jusqu'au 31 décembre 2026)" in text


def test_a_signed_plan_action_and_its_document_say_where_they_come_from(site: httpx.Client) -> None:
    text = text_of(page(site, "/action/62063/2014-2019/02"))
    assert "Source : « PCS de la commune LIEGE » — plan signé, 11 mars 2015" in text
    assert "PCS 2014-2019 de Liège" in text and "CALIF ASBL" in text
    document = text_of(page(site, "/document/liege-pcs-2014-2019-plan-signe-txt"))
    assert "SPW-PCS-201502251135-LIE00004-78477" in document and "Signé par les autorités communales" in document
    assert "Imprimé le 11 mars 2015" in document


def test_an_undated_action_says_its_programme_is_unknown(site: httpx.Client) -> None:
    text = text_of(page(site, "/action/63079/undated/travail-de-rue"))
    assert "programmation inconnue" in text
    assert "Relais social de Verviers — page d'une association" in text


def test_search_has_a_source_kind_facet(site: httpx.Client) -> None:
    html = page(site, "/recherche?q=logement&source_kind=official-plan")
    assert "Type de source" in html and 'name="source_kind"' in html
    hits = re.findall(r'href="(/action/[^"]+)"', html)
    assert hits and all(h.startswith("/action/62063/2014-2019/") for h in hits)


def test_commune_of_a_joint_plan_names_its_lead_and_members(site: httpx.Client) -> None:
    text = text_of(page(site, "/commune/61079"))  # Anthisnes, in Clavier's plan
    assert "Plan commun mené par Clavier avec" in text and "Anthisnes" in text
    assert "Aucune action de Anthisnes n'est encore dans le graphe" in text


def test_action_type_page_maps_the_communes_that_run_it(site: httpx.Client) -> None:
    html = page(site, "/action-type/5.5.01")
    assert html.count('class="dot"') + html.count('class="dot-on"') == 262  # every commune centroid
    assert re.search(r'<a href="/commune/53053"><circle [^>]*class="dot-on"><title>Mons : 3 actions</title>', html)
    text = text_of(html)
    assert "Type d'action 5.5.01 — Activités de rencontre pour personnes isolées" in text
    assert "Intitulé appris des documents" in text


def test_theme_and_axis_pages_list_their_narrower_concepts(site: httpx.Client) -> None:
    theme = text_of(page(site, "/theme/5.5"))
    assert "5.5.01 — Activités de rencontre pour personnes isolées" in theme
    axis = text_of(page(site, "/axis/7"))
    assert "Le droit à la mobilité" in axis and "7.3" in axis and "Droit à la mobilité" in axis


def test_partner_page_lists_its_actions_and_article_20_role(site: httpx.Client) -> None:
    text = text_of(page(site, "/partner/asbl-pourquoi-pas-toi"))
    assert "ASBL Pourquoi pas toi" in text and "dont 2 comme partenaire art. 20" in text
    assert "Rencontre dans un lieu de convivialité" in text


def test_document_and_province_pages(site: httpx.Client) -> None:
    doc = text_of(page(site, "/document/mons-pcs-2020-2025-txt"))
    assert "mons_pcs_2020-2025.txt" in doc and "coded-list" in doc and "Actions 32" in doc
    province = text_of(page(site, "/province/50000"))
    assert "Province de Hainaut" in province and "Mons 32 actions" in province


def test_a_data_uri_opened_in_a_browser_lands_on_its_page(site: httpx.Client) -> None:
    response = site.get("/id/commune/53053", headers={"Accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200 and str(response.url).endswith("/commune/53053")
    assert "<h1>Mons</h1>" in response.text


def test_plan_uri_path_leads_to_the_commune_page(site: httpx.Client) -> None:
    response = site.get("/plan/53053/2020-2025")
    assert response.status_code == 303 and response.headers["location"] == "/commune/53053#plan-2020-2025"


@pytest.mark.parametrize("path", [
    "/commune/99999", "/commune/mons", "/action/53053/2020-2025/999", "/action/53053/2020-2025/%3Cx%3E",
    "/action-type/9.9.99", "/action-type/5.5.99", "/theme/8.1", "/axis/8", "/partner/personne",
    "/document/inconnu", "/province/12345", "/requetes?exemple=inconnu",
])
def test_unknown_resources_give_a_french_404_page(site: httpx.Client, path: str) -> None:
    html = page(site, path, status=404)
    assert "Page introuvable" in html and 'lang="fr"' in html


def test_statistics_page_has_svg_charts_and_the_2009_2013_comparison(site: httpx.Client) -> None:
    html = page(site, "/statistiques")
    assert html.count('<svg class="chart"') == 4
    text = text_of(html)
    assert "Actions par province" in text and "Hainaut" in text
    assert "Retissage des liens sociaux" in text and "43 %" in text


# --- SPARQL page --------------------------------------------------------------------------------

def test_sparql_page_serves_yasgui_locally_with_a_plain_form_fallback(site: httpx.Client) -> None:
    html = page(site, "/requetes")
    assert '<script src="/static/vendor/yasgui/yasgui.min.js">' in html
    assert 'href="/static/vendor/yasgui/yasgui.min.css"' in html
    assert re.search(r'<form class="plain-query" action="/sparql" method="get"', html)
    assert len(re.findall(r'class="example"', html)) >= 10
    script = site.get("/static/vendor/yasgui/yasgui.min.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert site.get("/static/vendor/yasgui/LICENSE").status_code == 200
    assert site.get("/static/../app.py").status_code == 404


def test_a_browser_asking_sparql_without_a_query_lands_on_the_query_page(site: httpx.Client) -> None:
    response = site.get("/sparql", headers={"Accept": "text/html"}, follow_redirects=True)
    assert response.status_code == 200 and "Interroger le graphe en SPARQL" in response.text


@pytest.mark.parametrize("example", load_gallery(), ids=lambda e: e.name)
def test_every_gallery_query_returns_rows_from_the_endpoint(site: httpx.Client, example) -> None:
    assert example.title and not example.title.startswith("PREFIX")
    response = site.post("/sparql", data={"query": example.text},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"], f"{example.name} returned no rows"


def test_the_gallery_has_at_least_ten_titled_queries() -> None:
    gallery = load_gallery()
    assert len(gallery) >= 10
    assert all(len(g.title) > 10 for g in gallery)


def test_pages_load_no_asset_from_another_host(site: httpx.Client) -> None:
    for path in ("/", "/recherche?q=logement", "/commune/53053", "/action-type/5.5.01", "/statistiques", "/requetes"):
        html = page(site, path)
        assets = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/") for a in assets), (path, assets)


# --- escaping ------------------------------------------------------------------------------------

def test_highlight_escapes_first_then_marks_words_ignoring_accents_and_case() -> None:
    assert str(highlight("Personnes âgées <b>isolées</b>", ("agees", "isol"))) == (
        "Personnes <mark>âgées</mark> &lt;b&gt;<mark>isolées</mark>&lt;/b&gt;")
    assert str(highlight("a < b", ())) == "a &lt; b"


HOSTILE = """Plan de cohésion sociale de la Ville de Mons

Actions
01 5.5.01 Rencontres <script>alert(1)</script> pour personnes isolées ART 20 ASBL <img src=x onerror=alert(2)>
02 1.1.06 Ecole de devoirs
"""


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    root = tmp_path_factory.mktemp("hostile")
    document = root / "mons_hostile.txt"
    document.write_text(HOSTILE, encoding="utf-8")
    settings = Settings(store=str(root / "store"), index_dir=str(root / "index"))
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(document, commune="53053", programme="2020-2025")
        update_index(ws)
    server = LiveServer(settings)
    server.start()
    try:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            yield client
    finally:
        server.stop()


def test_a_document_label_with_markup_is_escaped_on_every_page(hostile_site: httpx.Client) -> None:
    results = page(hostile_site, "/recherche?q=rencontres+personnes")
    action_path = re.search(r'href="(/action/53053/2020-2025/01)"', results)
    assert action_path
    pages = {
        "search": results,
        "action": page(hostile_site, action_path.group(1)),
        "commune": page(hostile_site, "/commune/53053"),
        "type": page(hostile_site, "/action-type/5.5.01"),
    }
    for name, html in pages.items():
        assert "<script>alert(1)</script>" not in html, name
        assert "<img src=x" not in html, name
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, name
    assert "<mark>Rencontres</mark> &lt;script&gt;" in results  # highlighted after escaping
