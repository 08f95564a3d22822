"""Practice sheets and communes like mine, over HTTP on a real server holding the bundled corpus."""

from __future__ import annotations

import csv
import html
import io
import re

import httpx
import pytest

from pcs_graph.graph.likeness import Likeness
from pcs_graph.graph.reference import CommuneDirectory

ANDENNE = "92003"


@pytest.fixture(scope="module")
def comparable_to_andenne() -> set[str]:
    return Likeness.load(CommuneDirectory.load()).comparable_nis(ANDENNE)


def _action_path(live_server: str, label: str, nis: str) -> str:
    body = httpx.get(f"{live_server}/api/search", params={"q": label, "commune": nis, "limit": 5}, timeout=60).json()
    uri = next(h["uri"] for h in body["hits"] if h["label"] == label)
    return uri.split("/id/", 1)[1]


def test_yvoir_bebebus_page_shows_its_description_and_public(live_server: str) -> None:
    path = _action_path(live_server, "Soutien au BébéBus", "91141")
    page = html.unescape(httpx.get(f"{live_server}/{path}", timeout=60).text)
    sheet = page.split('id="fiche"', 1)[1].split("</section>", 1)[0]
    assert "une halte accueil tous les jeudis à la cafétéria du Maka pour les 0 - 3 ans" in sheet
    assert re.search(r"Pour qui</dt>\s*<dd>Enfants \(0 - 3 ans\)", sheet)
    assert "statut non publié" in sheet  # the commune's page states no status
    detail = httpx.get(f"{live_server}/api/actions/{path.removeprefix('action/')}", timeout=60).json()
    assert detail["sheet"]["publics"] == ["enfants"] and detail["sheet"]["status"] is None
    assert detail["sheet"]["description"].endswith("pour les 0 - 3 ans")


def test_a_stopped_action_shows_its_status_and_the_words_of_its_source(live_server: str) -> None:
    path = _action_path(live_server, "sensibilisation sur les risques liés au stress", "61019")
    page = html.unescape(httpx.get(f"{live_server}/{path}", timeout=60).text)
    assert "arrêtée en 2023 (la source : « abandonnée en 2023 »)" in page
    commune = html.unescape(httpx.get(f"{live_server}/commune/61019", timeout=60).text)
    assert "arrêtée en 2023" in commune and "statut non publié" in commune


def test_taxi_social_comparable_to_andenne_keeps_only_comparable_communes(live_server: str,
                                                                          comparable_to_andenne: set[str]) -> None:
    body = httpx.get(f"{live_server}/api/search", params={"q": "taxi social", "comparable_to": ANDENNE, "limit": 50},
                     timeout=60).json()
    assert body["hits"] and {h["nis"] for h in body["hits"]} <= comparable_to_andenne
    assert ANDENNE not in {h["nis"] for h in body["hits"]}
    everywhere = httpx.get(f"{live_server}/api/search", params={"q": "taxi social", "limit": 50}, timeout=60).json()
    assert {h["nis"] for h in everywhere["hits"]} - comparable_to_andenne  # the filter did remove some
    assert all("sheet" in h and "publication_date" in h for h in body["hits"])
    filtered = httpx.get(f"{live_server}/api/search", params={"comparable_to": ANDENNE, "limit": 1}, timeout=60).json()
    assert filtered["total"] and {f["value"] for f in filtered["facets"]["size_band"]} == {"25k-50k"}
    assert {f["value"] for f in filtered["facets"]["urban_rural"]} == {"urban"}
    rural = httpx.get(f"{live_server}/api/search", params={"urban_rural": "rural", "limit": 50}, timeout=60).json()
    assert rural["hits"] and all(h["nis"] not in comparable_to_andenne for h in rural["hits"])


def test_andennes_page_lists_its_comparable_communes(live_server: str, comparable_to_andenne: set[str]) -> None:
    page = html.unescape(httpx.get(f"{live_server}/commune/{ANDENNE}", timeout=60).text)
    section = page.split('id="communes-comparables"', 1)[1].split("</section>", 1)[0]
    listed = set(re.findall(r'href="/commune/(\d{5})"', section))
    assert len(listed) >= 5 and listed <= comparable_to_andenne
    assert "25 000 à 49 999 habitants" in page and "urbaine" in section
    api = httpx.get(f"{live_server}/api/communes/{ANDENNE}", timeout=60).json()
    assert (api["size_band"], api["urban_rural"]) == ("25k-50k", "urban") and 290 < api["density"] < 310
    assert len(api["comparable"]) == 10 and set(api["comparable"]) <= comparable_to_andenne


def test_a_search_csv_has_the_source_address_kind_and_status_columns(live_server: str) -> None:
    response = httpx.get(f"{live_server}/export/recherche.csv", params={"q": "risques liés au stress"}, timeout=60)
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert {"Adresse de la source", "Type de source", "Statut de l'action", "Description", "Public",
            "Période", "Date de publication"} <= set(rows[0])
    stress = next(r for r in rows if r["Action"] == "sensibilisation sur les risques liés au stress")
    assert (stress["Statut de l'action"], stress["Date du statut"]) == ("arrêtée", "2023")
    assert stress["Adresse de la source"].startswith("https://www.lavenir.net/") and stress["Type de source"] == "article de presse"
    assert stress["Date de publication"] == "2023-04-05"


def test_a_commune_plan_and_a_types_communes_carry_the_sheet_columns(live_server: str) -> None:
    plan = list(csv.DictReader(io.StringIO(httpx.get(f"{live_server}/export/commune/91141.csv", timeout=60)
                                            .content.decode("utf-8-sig"))))
    bebebus = next(r for r in plan if r["Action"] == "Soutien au BébéBus")
    assert bebebus["Public"] == "Enfants (0 - 3 ans)" and bebebus["Type de source"] == "page d'une commune ou d'un CPAS"
    communes = list(csv.DictReader(io.StringIO(httpx.get(f"{live_server}/export/action-type/5.5.01.csv", timeout=60)
                                               .content.decode("utf-8-sig"))))
    assert communes and {"Actions (intitulés)", "Adresse de la source", "Statut de l'action"} <= set(communes[0])


def test_words_found_only_in_the_description_are_said_so(live_server: str) -> None:
    body = httpx.get(f"{live_server}/api/search", params={"q": "halte accueil", "limit": 5}, timeout=60).json()
    bebebus = next(h for h in body["hits"] if h["label"] == "Soutien au BébéBus")
    assert set(bebebus["why"]["in_description"]) & {"halte", "accueil"}
    page = html.unescape(httpx.get(f"{live_server}/recherche", params={"q": "halte accueil"}, timeout=60).text)
    assert "mots trouvés dans la description : " in page


def test_the_sheet_and_the_commune_profile_in_json_ld_use_the_contexts_terms(live_server: str) -> None:
    path = _action_path(live_server, "sensibilisation sur les risques liés au stress", "61019")
    document = httpx.get(f"{live_server}/data/{path}.jsonld", timeout=60).json()
    action = document["@graph"][0]
    assert action["status"] == "StatusStopped" and action["statusAsPrinted"] == {"fr": "abandonnée en 2023"}
    assert action["statusDate"] == {"@value": "2023", "type": "xsd:gYear"}  # "type": the context's alias of @type
    andenne = httpx.get(f"{live_server}/data/commune/{ANDENNE}.jsonld", timeout=60).json()["@graph"][0]
    assert (andenne["sizeBand"], andenne["urbanRuralClass"]) == ("SizeBand25kTo50k", "Urban")
    assert len(andenne["comparableTo"]) == 10 and float(andenne["area"]) > 80


def test_a_theme_no_source_names_says_its_name_is_not_known(live_server: str) -> None:
    action = html.unescape(httpx.get(f"{live_server}/action/53053/2020-2025/23", timeout=60).text)
    assert "5.5 — intitulé inconnu" in action and "Thème 5.5<" not in action
    theme = html.unescape(httpx.get(f"{live_server}/theme/5.5", timeout=60).text)
    assert "Intitulé inconnu : ni les documents lus ni un catalogue officiel" in theme


def test_an_action_page_offers_its_similar_actions_in_comparable_communes(live_server: str,
                                                                          comparable_to_andenne: set[str]) -> None:
    page = html.unescape(httpx.get(f"{live_server}/action/53053/2020-2025/23", timeout=60).text)
    assert "?comparable_to=53053#similaires" in page
    filtered = html.unescape(httpx.get(f"{live_server}/action/53053/2020-2025/23",
                                       params={"comparable_to": ANDENNE}, timeout=60).text)
    similar = filtered.split('id="similaires"', 1)[1].split("</section>", 1)[0]
    assert "Seulement les communes comparables" in similar
    assert set(re.findall(r'href="/commune/(\d{5})"', similar)) - {ANDENNE} <= comparable_to_andenne
