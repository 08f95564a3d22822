"""Every document form a plan comes in — HTML, CSV in three encodings, XLSX, PDF — ingested into a
real on-disk store and checked with SPARQL: codes, communes, partners, article-20 links, pages."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import pytest
from conftest import HASTIERE, MONS
from documents import write_pdf

from pcs_graph.errors import InputError
from pcs_graph.load import Ingestor

AGEES = "Activités de rencontre pour personnes âgées"
ACTIONS = """SELECT ?a ?label ?code ?nis ?period ?line ?page WHERE {
  ?a a pcs:Action ; rdfs:label ?label ; pcs:commune/pcs:nisCode ?nis .
  OPTIONAL { ?a pcs:plan/pcs:programme/skos:notation ?period }
  OPTIONAL { ?a pcs:actionType/skos:notation ?code }
  OPTIONAL { ?a pcs:sourceLine ?line } OPTIONAL { ?a pcs:sourcePage ?page }
} ORDER BY ?a"""
ART20 = """SELECT ?label ?partner ?kind WHERE { ?a pcs:article20Partner ?p ; rdfs:label ?label .
  ?p rdfs:label ?partner ; pcs:partnerKind ?kind } ORDER BY ?label"""


def actions(ws) -> list[dict[str, str | None]]:
    return ws.store.select(ACTIONS)


def mons_coded_lines() -> list[str]:
    return [line.strip() for line in MONS.read_text(encoding="utf-8").splitlines()
            if line.strip()[:2].isdigit() and "." in line.split()[1]]


# --- HTML ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("block", ["p", "li"])
def test_mons_as_an_html_page_gives_the_same_32_coded_actions(workspace, tmp_path, block):
    body = "\n".join(f"<{block}>{html.escape(line)}</{block}>" for line in MONS.read_text(encoding="utf-8").splitlines()
                     if line.strip())
    wrapper = ("<ul>{}</ul>" if block == "li" else "<div>{}</div>").format(body)
    page = tmp_path / "mons.html"
    page.write_text(f"<!doctype html><html><head><title>Ville de Mons</title></head><body>{wrapper}</body></html>",
                    encoding="utf-8")

    assert Ingestor.of(workspace).ingest(page).actions == 32
    rows = actions(workspace)
    assert {(r["nis"], r["period"]) for r in rows} == {("53053", "2020-2025")}
    assert sorted(r["code"] for r in rows) == sorted(line.split()[1][:6] for line in mons_coded_lines())
    assert len(workspace.store.select(ART20)) == 6
    # lines point into the HTML source, where the action's text really is
    source = page.read_text(encoding="utf-8").splitlines()
    for r in rows:
        assert r["label"][:12] in html.unescape(source[int(r["line"]) - 1])


def test_an_html_bullet_list_gives_one_unclassified_action_per_li(workspace, tmp_path):
    page = tmp_path / "plan.html"
    page.write_text("""<html><body><h1>Commune de Hastière</h1>
<p>Le plan de cohésion sociale 2020 – 2025.</p>
<p>Objectifs :</p><ul><li>Réduire la précarité</li></ul>
<p>Différentes actions seront mises en œuvre :</p>
<ul>
  <li>Salon de l’emploi, de la santé et du logement.</li>
  <li>Gym douce et <b>préventive</b> pour personnes âgées</li>
  <li>Formation aux permis de conduire B et C</li>
</ul></body></html>""", encoding="utf-8")

    assert Ingestor.of(workspace).ingest(page).actions == 3
    rows = workspace.store.select("""SELECT ?label ?status ?nis WHERE { ?a a pcs:Action ; rdfs:label ?label ;
        pcs:classificationStatus ?status ; pcs:commune/pcs:nisCode ?nis }""")
    assert {r["label"] for r in rows} == {"Salon de l’emploi, de la santé et du logement",
                                          "Gym douce et préventive pour personnes âgées",
                                          "Formation aux permis de conduire B et C"}
    assert {(r["nis"], r["status"].rsplit("#")[1]) for r in rows} == {("91142", "Unclassified")}


def test_cms_style_list_items_wrapping_paragraphs_are_still_bullets(workspace, tmp_path):
    page = tmp_path / "plan.html"
    page.write_text("""<div class="entry"><h2>Nos projets à Hastière</h2>
<ul><li><p>Gym douce</p></li><li><div><span>Potager</span> collectif</div><li>Café papote</ul>
<p>Fin de la liste</p></div>""", encoding="utf-8")

    Ingestor.of(workspace).ingest(page)
    assert sorted(r["label"] for r in actions(workspace)) == ["Café papote", "Gym douce", "Potager collectif"]


# --- CSV and XLSX ---------------------------------------------------------------------------------

CSV_HEADER = ["commune", "programme", "code", "label", "partner", "article 20", "public"]
CSV_ROWS = [
    ["Ville de Mons", "2020-2025", "5.5.01", AGEES, "ASBL Pourquoi pas toi", "oui", "aînés"],
    ["HASTIERE", "2020-2025", "", "Mise en œuvre d’un potager collectif", "CPAS", "", "tous"],
    ["53053", "2014-2019", "1.1.06", "Écoles de devoirs", "ASBL Chantecler; Ville de Mons", "non", ""],
]


def write_csv(path: Path, encoding: str, sep: str, rows: list[list[str]] = CSV_ROWS) -> Path:
    out = io.StringIO()
    csv.writer(out, delimiter=sep).writerows([CSV_HEADER, *rows])  # quotes "ASBL X; Ville de Mons" when needed
    path.write_bytes(out.getvalue().encode(encoding))
    return path


@pytest.mark.parametrize("encoding,sep", [("utf-8", ";"), ("utf-8-sig", ","), ("cp1252", ";"), ("latin-1", ",")])
def test_a_csv_export_is_read_in_any_office_encoding_with_its_accents(workspace, tmp_path, encoding, sep):
    rows = CSV_ROWS if encoding != "latin-1" else [[c.replace("œ", "oe").replace("’", "'") for c in r] for r in CSV_ROWS]
    path = write_csv(tmp_path / f"export-{encoding}.csv", encoding, sep, rows)

    assert Ingestor.of(workspace).ingest(path).actions == 3
    got = {(r["nis"], r["period"], r["code"], r["label"]) for r in actions(workspace)}
    assert got == {("53053", "2020-2025", "5.5.01", AGEES),
                   ("91142", "2020-2025", None, rows[1][3]),
                   ("53053", "2014-2019", "1.1.06", "Écoles de devoirs")}
    assert workspace.store.select(ART20) == [{"label": AGEES, "partner": "ASBL Pourquoi pas toi",
                                             "kind": "https://w3id.org/pcs/ontology#ASBL"}]
    partners = workspace.store.select("""SELECT ?name WHERE { ?a rdfs:label "Écoles de devoirs"@fr ;
        pcs:partner/rdfs:label ?name } ORDER BY ?name""")
    assert [r["name"] for r in partners] == ["ASBL Chantecler", "Ville de Mons"]
    publics = workspace.store.select(f'SELECT ?p WHERE {{ ?a rdfs:label "{AGEES}"@fr ; pcs:targetPublic ?p }} ORDER BY ?p')
    assert publics == [{"p": "aînés"}, {"p": "personnes âgées"}]  # the public column's words, and the label's
    assert workspace.store.ask(f'ASK {{ ?a rdfs:label "{AGEES}"@fr ; pcs:targetGroup pcs:PublicAines }}')


def test_excel_unicode_text_export_utf16_with_tabs_is_read(workspace, tmp_path):
    path = tmp_path / "export.txt.csv"
    path.write_bytes("nis\tcode\tlibellé\tpartenaires\n53053\t5.5.01\t{}\tART 20 ASBL Pourquoi pas toi; CPAS\n"
                     .format(AGEES).encode("utf-16"))

    assert Ingestor.of(workspace).ingest(path).actions == 1
    assert [(r["nis"], r["label"]) for r in actions(workspace)] == [("53053", AGEES)]
    assert workspace.store.select(ART20) == [{"label": AGEES, "partner": "ASBL Pourquoi pas toi",
                                             "kind": "https://w3id.org/pcs/ontology#ASBL"}]
    partners = workspace.store.select("SELECT ?n WHERE { ?a pcs:partner/rdfs:label ?n } ORDER BY ?n")
    assert [r["n"] for r in partners] == ["ASBL Pourquoi pas toi", "CPAS"]


def test_an_xlsx_export_is_read_like_the_csv(workspace, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["NIS", "Programme", "Code", "Libellé", "Partenaires", "Article 20", "Public cible"])
    sheet.append([53053, "2020-2025", "5.5.01", AGEES, "ASBL Pourquoi pas toi", "x", "aînés"])
    sheet.append([91142.0, "2020-2025", None, "Gym douce", None, None, None])  # a NIS typed as a number
    path = tmp_path / "export.xlsx"
    book.save(path)

    assert Ingestor.of(workspace).ingest(path).actions == 2
    got = {(r["nis"], r["code"], r["label"], r["line"]) for r in actions(workspace)}
    assert got == {("53053", "5.5.01", AGEES, "2"), ("91142", None, "Gym douce", "3")}
    assert [r["partner"] for r in workspace.store.select(ART20)] == ["ASBL Pourquoi pas toi"]


# --- PDF ------------------------------------------------------------------------------------------

def test_a_pdf_plan_gives_its_actions_with_their_page_and_line(workspace, tmp_path):
    path = write_pdf(tmp_path / "plan.pdf", [
        ["Plan de cohésion sociale 2020-2025 - Ville de Mons", "Actions",
         "01 1.1.06 Initiatives menées par les écoles de devoirs ART 20 ASBL Chantecler",
         f"02 5.5.01 {AGEES}"],
        ["Suite des actions", "03 3.1.07 Assuétudes ART 20 ASBL RAMBO"],
    ])

    assert Ingestor.of(workspace).ingest(path).actions == 3
    got = [(r["code"], r["label"], r["page"], r["line"], r["nis"]) for r in actions(workspace)]
    assert got == [("1.1.06", "Initiatives menées par les écoles de devoirs", "1", "3", "53053"),
                   ("5.5.01", AGEES, "1", "4", "53053"),
                   ("3.1.07", "Assuétudes", "2", "2", "53053")]
    assert [r["partner"] for r in workspace.store.select(ART20)] == ["ASBL RAMBO", "ASBL Chantecler"]


def test_a_bad_code_in_a_pdf_names_its_page_and_line(workspace, tmp_path):
    path = write_pdf(tmp_path / "plan.pdf", [["Ville de Mons", "01 1.1.06 Écoles de devoirs", "02 1.1.07 Autre"],
                                             ["03 9.9.99 Hors nomenclature"]])
    with pytest.raises(InputError) as e:
        Ingestor.of(workspace).ingest(path)
    assert str(e.value).startswith(f"{path} (page 2):1: code de nomenclature invalide '9.9.99'")


def test_phone_numbers_times_and_amounts_in_a_coded_page_are_not_action_lines(workspace, tmp_path):
    path = tmp_path / "mons.txt"
    path.write_text("Ville de Mons - PCS 2020-2025\nContact : 065 40.52.10 ou 0475 12.34.56\n"
                    "Permanence le 12 14.30 h\nBudget 2 2.500 euros\n" + CODED, encoding="utf-8")
    assert Ingestor.of(workspace).ingest(path).actions == 2


# --- the commune of a document ------------------------------------------------------------------------

CODED = "01 1.1.06 Écoles de devoirs\n02 5.5.01 Rencontres\n"


@pytest.mark.parametrize("heading,nis", [
    ("Ville de Mons", "53053"), ("COMMUNE DE HASTIERE", "91142"), ("Plan de cohésion sociale d'Écaussinnes", "55050"),
    ("Commune d’Anhée - PCS", "91005"), ("La Louvière, cité des loups", "58001"),
])
def test_the_commune_is_found_in_the_text(workspace, tmp_path, heading, nis):
    path = tmp_path / "plan.txt"
    path.write_text(f"{heading}\n\n{CODED}", encoding="utf-8")
    Ingestor.of(workspace).ingest(path)
    assert {r["nis"] for r in actions(workspace)} == {nis}


@pytest.mark.parametrize("given,nis", [
    ("Mons", "53053"), ("ville de mons", "53053"), ("53053", "53053"), ("Commune de Hastière", "91142"),
    ("hastiere", "91142"), ("ECAUSSINNES", "55050"),
    ("55022", "58001"),  # La Louvière's pre-2019 code
    ("54007", "57096"),  # Mouscron's pre-2019 code
    ("82039", "82003"),  # the 2025 code of Bastogne (merged with Bertogne)
])
def test_the_commune_option_takes_a_name_or_any_nis_code(workspace, tmp_path, given, nis):
    path = tmp_path / "plan.txt"
    path.write_text(CODED, encoding="utf-8")
    Ingestor.of(workspace).ingest(path, commune=given)
    assert {r["nis"] for r in actions(workspace)} == {nis}


def test_the_commune_option_overrides_the_text(workspace, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(f"Ville de Mons\n{CODED}", encoding="utf-8")
    Ingestor.of(workspace).ingest(path, commune="Hastière")
    assert {r["nis"] for r in actions(workspace)} == {"91142"}


def test_an_unknown_commune_errors_with_suggestions(workspace, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(CODED, encoding="utf-8")
    with pytest.raises(InputError, match=r"commune inconnue : 'Hastierre' ; vouliez-vous dire : Hastière"):
        Ingestor.of(workspace).ingest(path, commune="Hastierre")
    with pytest.raises(InputError, match=r"commune inconnue : '99999'"):
        Ingestor.of(workspace).ingest(path, commune="99999")
    with pytest.raises(InputError, match=r"commune introuvable dans le document.*--commune"):
        Ingestor.of(workspace).ingest(path)


def test_a_misspelt_commune_in_the_text_errors_with_suggestions(workspace, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(f"Plan de cohésion sociale de la Ville de Hastierre\n{CODED}", encoding="utf-8")
    with pytest.raises(InputError) as refused:
        Ingestor.of(workspace).ingest(path)
    assert refused.value.message.startswith(
        "commune introuvable dans le document ; « Hastierre » n'est pas une commune wallonne, vouliez-vous dire : Hastière")


def test_the_bundled_hastiere_page_needs_no_commune_option(workspace):
    Ingestor.of(workspace).ingest(HASTIERE)
    assert {r["nis"] for r in actions(workspace)} == {"91142"}
