"""Spreadsheet downloads: each list page links its CSV and XLSX with its own filters; they read back
with the csv module and openpyxl, accents intact; a cell that a spreadsheet would run as a formula
is written with an apostrophe in front."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Iterator

import httpx
import pytest
from openpyxl import load_workbook
from server import LiveServer

from pcs_graph.api.pages.tabular import Table, neutralise, to_csv, to_xlsx
from pcs_graph.config import REPO_ROOT, Settings
from pcs_graph.load import Ingestor
from pcs_graph.search.index import update_index
from pcs_graph.store.workspace import Workspace

INJECTION = REPO_ROOT / "tests" / "inputs" / "injection_labels.csv"


def links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="(/export/[^"]+)"', page)]


def read_csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    assert "attachment" in response.headers["content-disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response: httpx.Response) -> tuple[list[dict[str, object]], dict[str, str]]:
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Données"].iter_rows(values_only=True))
    about = {str(a): str(b) for a, b in book["À propos"].iter_rows(values_only=True)}
    return [dict(zip(rows[0], r)) for r in rows[1:]], about


def test_a_search_results_page_offers_csv_and_xlsx_with_its_filters(live_server: str) -> None:
    page = httpx.get(f"{live_server}/recherche", params={"q": "personnes isolées", "axis": "5"}).text
    found = links(page)
    assert found == ["/export/recherche.csv?q=personnes+isol%C3%A9es&axis=5",
                     "/export/recherche.xlsx?q=personnes+isol%C3%A9es&axis=5"]
    total = httpx.get(f"{live_server}/api/search", params={"q": "personnes isolées", "axis": 5, "limit": 1}).json()["total"]

    rows = read_csv(httpx.get(f"{live_server}{found[0]}"))
    assert len(rows) == total and {r["Axe"] for r in rows} == {"5"}
    assert rows[0]["Action"] == "Activités de rencontre pour personnes isolées" and rows[0]["Commune"] == "Mons"
    assert any(r["Commune"] == "Hastière" for r in rows)  # accents intact
    sheet, about = read_xlsx(httpx.get(f"{live_server}{found[1]}"))
    assert [r["Action"] for r in sheet] == [r["Action"] for r in rows]
    assert sheet[0]["Code INS"] == "53053" and sheet[0]["Rang"] == 1
    assert "personnes isolées" in about["Contenu"] and "axis = 5" in about["Filtres"]
    assert "apostrophe" in about["Cellules neutralisées"]


def test_a_commune_plan_downloads_its_actions_by_axis(live_server: str) -> None:
    page = httpx.get(f"{live_server}/commune/53053").text
    assert links(page) == ["/export/commune/53053.csv", "/export/commune/53053.xlsx"]
    rows = read_csv(httpx.get(f"{live_server}/export/commune/53053.csv"))
    detail = httpx.get(f"{live_server}/api/communes/53053").json()
    assert len(rows) == 32 == detail["actions"]
    assert {r["Code"] for r in rows} >= {"5.5.01", "1.1.06"}
    sheet, about = read_xlsx(httpx.get(f"{live_server}/export/commune/53053.xlsx"))
    assert len(sheet) == 32 and "Mons" in about["Contenu"]


def test_an_action_type_downloads_the_communes_that_run_it(live_server: str) -> None:
    page = httpx.get(f"{live_server}/action-type/5.5.01").text
    assert "/export/action-type/5.5.01.csv" in links(page)
    rows = read_csv(httpx.get(f"{live_server}/export/action-type/5.5.01.csv"))
    running = httpx.get(f"{live_server}/api/action-types/5.5.01").json()["communes_running"]
    assert [(r["Commune"], int(r["Actions de ce type"])) for r in rows] == [(c["name"], c["actions"]) for c in running]
    assert any(r["Commune"] == "Hastière" for r in rows)


def test_the_partners_list_downloads_with_the_page_s_filters(live_server: str) -> None:
    page = httpx.get(f"{live_server}/partenaires", params={"kind": "ASBL", "article20": "true"}).text
    found = links(page)
    assert found == ["/export/partenaires.csv?kind=ASBL&article20=true", "/export/partenaires.xlsx?kind=ASBL&article20=true"]
    expected = httpx.get(f"{live_server}/api/partners", params={"kind": "ASBL", "article20": "true", "limit": 500}).json()
    rows = read_csv(httpx.get(f"{live_server}{found[0]}"))
    assert [r["Partenaire"] for r in rows] == [p["name"] for p in expected["items"]]
    assert {r["Type"] for r in rows} == {"ASBL"} and all(int(r["Actions article 20"]) > 0 for r in rows)
    assert httpx.get(f"{live_server}/export/partenaires.csv", params={"kind": "Pirate"}).status_code == 400


def test_unknown_lists_and_formats_are_french_404_pages(live_server: str) -> None:
    for path in ("/export/commune/99999.csv", "/export/action-type/9.9.99.csv", "/export/commune/53053.ods"):
        response = httpx.get(f"{live_server}{path}")
        assert response.status_code == 404 and response.headers["content-type"].startswith("text/html"), path


def test_cells_a_spreadsheet_would_run_are_written_with_an_apostrophe() -> None:
    assert [neutralise(v) for v in ("=1+1", "+32 475", "-atelier", "@SUM(A1)", "Atelier", -5, None)] == [
        "'=1+1", "'+32 475", "'-atelier", "'@SUM(A1)", "Atelier", -5, None]
    table = Table("essai", ["Libellé", "Nombre"], [["=HYPERLINK(\"http://x\")", -3], ["Été", 2]])
    rows = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert rows == [["Libellé", "Nombre"], ["'=HYPERLINK(\"http://x\")", "-3"], ["Été", "2"]]
    sheet = load_workbook(io.BytesIO(to_xlsx(table)))["Données"]
    assert [[c.value for c in r] for r in sheet.iter_rows()] == [["Libellé", "Nombre"],
                                                              ["'=HYPERLINK(\"http://x\")", -3], ["Été", 2]]
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)  # no formula anywhere


@pytest.fixture(scope="module")
def injection_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("injection")
    settings = Settings(store=str(root / "store"), index_dir=str(root / "index"))
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(INJECTION)
        update_index(ws)
    server = LiveServer(settings)
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


def test_labels_of_a_hostile_document_never_become_formulas(injection_site: str) -> None:
    rows = read_csv(httpx.get(f"{injection_site}/export/commune/53053.csv"))
    labels = {r["Action"] for r in rows}
    assert "'=HYPERLINK(\"http://evil.example\",\"clic\")" in labels and "'+33 ateliers" in labels
    assert any(label.startswith("'-1 rencontre") for label in labels)
    assert not [v for r in rows for v in r.values() if v[:1] in ("=", "+", "-", "@")]
    sheet, _ = read_xlsx(httpx.get(f"{injection_site}/export/commune/53053.xlsx"))
    assert not [v for r in sheet for v in r.values() if isinstance(v, str) and v[:1] in ("=", "+", "-", "@")]
    book = load_workbook(io.BytesIO(httpx.get(f"{injection_site}/export/commune/53053.xlsx").content))
    assert all(c.data_type != "f" for r in book["Données"].iter_rows() for c in r)
    partners = read_csv(httpx.get(f"{injection_site}/export/partenaires.csv"))
    assert "'@SUM(A1)" in {p["Partenaire"] for p in partners}
