"""The forms real plans come in besides pages and tables: the region's printout of a signed plan (text
and PDF), pages grouping actions under their own headings, Word and OpenDocument files, and the
metadata that says where a document is published."""

from __future__ import annotations

import json

import pytest
from conftest import MONS
from documents import write_docx, write_odt, write_pdf

from pcs_graph.config import CORPUS_DIR
from pcs_graph.errors import InputError
from pcs_graph.graph.reference import CommuneDirectory
from pcs_graph.ingest.parse import parse_document
from pcs_graph.load import Ingestor

LIEGE = CORPUS_DIR / "liege_pcs_2014-2019_plan_signe.txt"
PLAN_ACTIONS = """SELECT ?n ?label (GROUP_CONCAT(?partner; separator="|") AS ?partners) WHERE {
  ?a a pcs:Action ; pcs:plan <https://w3id.org/pcs/id/plan/62063/2014-2019> ; pcs:sequenceNumber ?n ; rdfs:label ?label .
  OPTIONAL { ?a pcs:partner/rdfs:label ?partner }
} GROUP BY ?n ?label ORDER BY ?n"""


@pytest.fixture(scope="module")
def communes() -> CommuneDirectory:
    return CommuneDirectory.load()


# --- the region's printout of a signed plan ---------------------------------------------------------

def test_liege_signed_plan_gives_13_numbered_actions_and_flags_the_cut_14th(workspace):
    result = Ingestor.of(workspace).ingest(LIEGE)
    assert result.actions == 13
    [warning] = [w for w in result.warnings if "coupée" in w]
    assert "l'action 14" in warning and "Centre d’Actions Socia" in warning and f"{LIEGE}:" in warning

    rows = workspace.store.select(PLAN_ACTIONS)
    assert [int(r["n"]) for r in rows] == list(range(1, 14))
    assert rows[0]["label"] == "Coordination et mise en réseau"
    assert rows[1]["partners"] == "CALIF ASBL"  # "(CALIF ASBL)" in the title is a partner...
    assert not rows[2]["partners"] and rows[2]["label"].endswith("(Abri de nuit)")  # ..."(Abri de nuit)" is not
    assert not workspace.store.ask('ASK { ?a rdfs:label ?l FILTER(STRSTARTS(?l, "Centre d’Actions")) }')

    document = workspace.store.select("""SELECT ?number ?status ?printed ?url ?kind WHERE {
      ?d pcs:documentNumber ?number ; pcs:documentStatus ?status ; pcs:printDate ?printed ; dcterms:source ?url .
      ?url dcterms:type/skos:notation ?kind }""")[0]
    assert document == {"number": "SPW-PCS-201502251135-LIE00004-78477", "status": "Signé par les autorités communales",
                        "printed": "2015-03-11", "kind": "official-plan",
                        "url": "https://issuu.com./communicatin-web/docs/plan-cohesion-sociale-liege-octobre"}


def test_the_signed_plan_as_a_pdf_reads_the_same(tmp_path, communes):
    lines = [line for line in LIEGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    pdf = write_pdf(tmp_path / "liege_plan.pdf", [lines[:8], lines[8:]])
    from_pdf = parse_document(pdf, communes)
    from_text = parse_document(LIEGE, communes)
    assert (from_pdf.nis, from_pdf.programme, from_pdf.document_number, from_pdf.status, from_pdf.printed_on) == \
        ("62063", "2014-2019", "SPW-PCS-201502251135-LIE00004-78477", "Signé par les autorités communales", "2015-03-11")
    assert [(a.sequence, a.label) for a in from_pdf.actions] == [(a.sequence, a.label) for a in from_text.actions]
    assert from_pdf.actions[5].span.page == 2 and any("coupée" in w for w in from_pdf.warnings)


# --- pages with headings of their own ------------------------------------------------------------------

HEADED = """PCS de la commune de Gesves
Axe 1 : Droit à la santé
Action : Permanence santé au CPAS
Action : Ateliers « bien manger »
Axe 2 : Droit à l'alimentation
Action : Potager collectif
Axe 3 : Nos projets
Action : Fête des voisins
"""


def test_headings_map_to_the_regions_axis_by_the_right_they_name_never_by_their_number(workspace, tmp_path):
    page = tmp_path / "gesves.txt"
    page.write_text(HEADED, encoding="utf-8")
    result = Ingestor.of(workspace).ingest(page, programme="2020-2025")
    assert result.actions == 4
    assert any("« Axe 3 : Nos projets »" in w and ":7:" in w for w in result.warnings)  # names no right
    rows = workspace.store.select("""SELECT ?label ?axis ?heading ?type WHERE {
      ?a a pcs:Action ; rdfs:label ?label ; pcs:sourceHeading ?heading .
      OPTIONAL { ?a pcs:axis/skos:notation ?axis } OPTIONAL { ?a pcs:actionType ?type } } ORDER BY ?label""")
    got = {r["label"]: (r["axis"], r["heading"], r["type"]) for r in rows}
    assert got == {
        "Permanence santé au CPAS": ("3", "Axe 1 : Droit à la santé", None),  # health is axis 3, not 1
        "Ateliers « bien manger »": ("3", "Axe 1 : Droit à la santé", None),
        "Potager collectif": ("4", "Axe 2 : Droit à l'alimentation", None),
        "Fête des voisins": (None, "Axe 3 : Nos projets", None),
    }
    assert not workspace.store.ask('ASK { ?a pcs:axis <https://w3id.org/pcs/id/axis/1> }')
    assert workspace.store.ask('ASK { ?a pcs:classificationStatus pcs:Unclassified ; rdfs:label "Potager collectif"@fr }')


# --- Word and OpenDocument ---------------------------------------------------------------------------

def mons_paragraphs() -> list[str]:
    return [line for line in MONS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("writer", [write_docx, write_odt], ids=["docx", "odt"])
def test_word_and_odf_files_with_the_mons_list_give_the_same_32_actions(tmp_path, communes, writer):
    office = writer(tmp_path / f"mons_pcs.{writer.__name__[6:]}", mons_paragraphs())
    from_office = parse_document(office, communes)
    from_text = parse_document(MONS, communes)
    assert len(from_office.actions) == 32
    assert (from_office.nis, from_office.programme) == ("53053", "2020-2025")
    assert [(a.sequence, a.code, a.label, [p.name for p in a.partners]) for a in from_office.actions] == \
        [(a.sequence, a.code, a.label, [p.name for p in a.partners]) for a in from_text.actions]


@pytest.mark.parametrize("writer", [write_docx, write_odt], ids=["docx", "odt"])
def test_bullets_and_tables_of_office_files_are_read(tmp_path, communes, writer):
    bullets = writer(tmp_path / f"hastiere.{writer.__name__[6:]}",
                     ["Commune d'Hastière", "Le PCS 2020-2025 mènera différentes actions :"],
                     bullets=["Gym douce pour aînés", "Café papote"])
    assert [a.label for a in parse_document(bullets, communes).actions] == ["Gym douce pour aînés", "Café papote"]
    table = writer(tmp_path / f"export.{writer.__name__[6:]}", ["Export des actions"],
                   table=[["commune", "programme", "code", "libellé"], ["Mons", "2020-2025", "5.5.01", "Rencontres"],
                          ["Hastière", "2020-2025", "", "Gym douce"]])
    doc = parse_document(table, communes)
    assert doc.parser == "table"
    assert [(a.commune, a.code, a.label, a.span.line) for a in doc.actions] == \
        [("53053", "5.5.01", "Rencontres", 2), ("91142", None, "Gym douce", 3)]


@pytest.mark.parametrize("suffix", ["docx", "odt"])
def test_a_truncated_office_file_is_refused_naming_it_and_the_store_is_unchanged(workspace, tmp_path, suffix):
    writer = write_docx if suffix == "docx" else write_odt
    whole = writer(tmp_path / f"whole.{suffix}", mons_paragraphs())
    cut = tmp_path / f"cut.{suffix}"
    cut.write_bytes(whole.read_bytes()[: len(whole.read_bytes()) // 2])
    Ingestor.of(workspace).ingest(MONS)
    before = sorted(workspace.store.dump("application/n-quads").decode().splitlines())
    with pytest.raises(InputError) as refused:
        Ingestor.of(workspace).ingest(cut)
    assert refused.value.source == str(cut) and "tronqué" in refused.value.message
    assert sorted(workspace.store.dump("application/n-quads").decode().splitlines()) == before


# --- where a document is published ---------------------------------------------------------------------

def test_a_meta_json_beside_a_document_gives_its_publication(tmp_path, communes):
    page = tmp_path / "mons.txt"
    page.write_text(MONS.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "mons.txt.meta.json").write_text(json.dumps({
        "source_url": "https://www.cpas.mons.be/services/cohesion-sociale", "source_kind": "commune-page",
        "title": "Cohésion sociale", "date": "2024-05"}), encoding="utf-8")
    doc = parse_document(page, communes)
    assert doc.publication is not None and (doc.publication.kind, doc.publication.date) == ("commune-page", "2024-05")


@pytest.mark.parametrize("meta,message", [
    ('{"source_url": "ftp://x"', "JSON illisible"),
    ('{"source_url": "https://x.be/p"}', "type de source manquant"),
    ('{"source_url": "https://x.be/p", "source_kind": "gazette"}', "type de source 'gazette'"),
    ('{"source_url": "www.x.be", "source_kind": "press"}', "adresse de publication invalide"),
    ('{"source_url": "https://x.be/p", "source_kind": "press", "date": "mars 2023"}', "date de publication invalide"),
    ('{"url": "https://x.be/p"}', "clé(s) inconnue(s) : url"),
])
def test_a_bad_meta_json_is_refused_naming_it(tmp_path, communes, meta, message):
    page = tmp_path / "mons.txt"
    page.write_text(MONS.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "mons.txt.meta.json").write_text(meta, encoding="utf-8")
    with pytest.raises(InputError) as refused:
        parse_document(page, communes)
    assert refused.value.source.endswith("mons.txt.meta.json") and message in refused.value.message


def test_table_rows_carry_their_own_source_and_a_dropped_row_is_no_live_action(workspace, tmp_path):
    table = tmp_path / "revision.csv"
    table.write_text(
        "commune,programme,label,source_url,source_kind,status,note\n"
        "Somme-Leuze,,le service emploi,https://www.lavenir.net/a/2015/03/03/x,press,,\n"
        "Somme-Leuze,,la concertation sociale,https://www.lavenir.net/a/2015/03/03/x,press,dropped,« disparaît »\n"
        "Verviers,,travail de rue,https://www.relais-social-verviers.be/?page_id=233,association,,\n",
        encoding="utf-8")
    (tmp_path / "revision.csv.meta.json").write_text(json.dumps({"publications": {
        "https://www.lavenir.net/a/2015/03/03/x": {"publisher": "L'Avenir", "date": "2015-03-03"}}}), encoding="utf-8")
    result = Ingestor.of(workspace).ingest(table)
    assert any("1 ligne(s) sans programmation" in w and "lignes 4" in w for w in result.warnings)
    rows = workspace.store.select("""SELECT ?label ?class ?programme ?kind ?date ?publisher WHERE {
      ?a a ?class ; rdfs:label ?label ; dcterms:source ?u . ?u dcterms:type/skos:notation ?kind .
      FILTER(?class IN (pcs:Action, pcs:DroppedAction))
      OPTIONAL { ?a pcs:plan/pcs:programme/skos:notation ?programme }
      OPTIONAL { ?u dcterms:issued ?date } OPTIONAL { ?u dcterms:publisher ?publisher } } ORDER BY ?label""")
    pcs = "https://w3id.org/pcs/ontology#"
    assert [(r["label"], r["class"][len(pcs):], r["programme"], r["kind"], r["date"]) for r in rows] == [
        ("la concertation sociale", "DroppedAction", "2014-2019", "press", "2015-03-03"),  # dated by its article
        ("le service emploi", "Action", "2014-2019", "press", "2015-03-03"),
        ("travail de rue", "Action", None, "association", None),  # the source gives no date: undated
    ]
    assert workspace.store.ask('ASK { ?a a pcs:DroppedAction ; rdfs:comment "« disparaît »" }')
    assert not workspace.store.ask('ASK { ?a a pcs:DroppedAction ; pcs:classificationStatus ?s }')
