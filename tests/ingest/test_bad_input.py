"""The hostile and broken inputs of tests/inputs/ (issue 6 §3): each one is refused with a precise
message naming the file and line, leaving the store exactly as it was, or read safely."""

from __future__ import annotations

import shutil
import tracemalloc
from pathlib import Path

import pytest
from conftest import MONS
from pcs_graph.ingest.parse import MAX_ACTIONS
from rdflib import Dataset, Graph, Literal, URIRef

from pcs_graph.errors import InputError
from pcs_graph.load import Ingestor

INPUTS = Path(__file__).resolve().parents[1] / "inputs"


def snapshot(ws) -> list[str]:
    """The whole store as sorted N-Quads lines: equal snapshots mean nothing changed."""
    return sorted(ws.store.dump("application/n-quads").decode("utf-8").splitlines())


@pytest.fixture
def mons_store(workspace):
    """A store that already holds a document, so that "nothing changed" means something."""
    Ingestor.of(workspace).ingest(MONS)
    return workspace


REFUSED = [
    # file, --commune, line named in the error, what the message says
    ("empty.txt", None, None, "le fichier est vide"),
    ("blank.txt", None, None, "ne contient que des blancs"),
    ("binary.txt", None, 3, "fichier binaire (octet nul)"),
    ("control_chars.txt", None, None, "fichier binaire (caractères de contrôle)"),
    ("not_a_pdf.pdf", None, 1, "ce n'est pas un PDF"),
    ("truncated.pdf", None, None, "PDF illisible ou tronqué"),
    ("no_text.pdf", None, None, "le PDF ne contient aucun texte"),
    ("not_a_workbook.xlsx", None, 1, "ce n'est pas un classeur XLSX"),
    ("broken.xlsx", None, None, "classeur XLSX illisible"),
    ("code_outside_nomenclature.txt", None, 5, "code de nomenclature invalide '9.9.99' : l'axe 9 n'existe pas"),
    ("theme_only_code.txt", None, 6, "code de nomenclature invalide '5.5' : c'est un code de thème"),
    ("unknown_commune.csv", None, 3, "commune inconnue : 'Atlantis'"),
    ("unknown_commune.txt", None, None, "commune introuvable dans le document"),
    ("latin1.txt", "Atlantide", None, "commune inconnue : 'Atlantide'"),
    ("missing_label_column.csv", None, 1, "colonne du libellé de l'action introuvable"),
    ("csv_theme_code.csv", None, 3, "code de nomenclature invalide '5.5' : c'est un code de thème"),
    ("csv_without_commune.csv", None, 2, "ligne sans commune ni code NIS"),
    ("truncated_utf16.txt", None, None, "texte UTF-16 mal formé"),
    ("too_many_columns.csv", None, 3, "4 colonnes pour 3 en-têtes"),
    ("no_actions.txt", None, None, "aucune liste d'actions trouvée"),
]


@pytest.mark.parametrize("name,commune,line,message", REFUSED, ids=[r[0] + ("+commune" if r[1] else "") for r in REFUSED])
def test_a_bad_input_is_refused_naming_file_and_line_and_changes_nothing(mons_store, name, commune, line, message):
    before = snapshot(mons_store)
    with pytest.raises(InputError) as refused:
        Ingestor.of(mons_store).ingest(INPUTS / name, commune=commune)
    error = refused.value
    assert error.source == str(INPUTS / name)
    assert error.line == line
    assert message in error.message
    assert str(error).startswith(f"{INPUTS / name}{f':{line}' if line else ''}: ")
    assert snapshot(mons_store) == before


def test_a_changed_document_that_no_longer_parses_keeps_its_previous_version(workspace, tmp_path):
    plan = tmp_path / "mons.txt"
    shutil.copy(MONS, plan)
    Ingestor.of(workspace).ingest(plan)
    before = snapshot(workspace)
    plan.write_text(MONS.read_text(encoding="utf-8").replace("32 7.3.01", "32 7.3"), encoding="utf-8")

    with pytest.raises(InputError, match=r"mons\.txt:\d+: code de nomenclature invalide '7\.3'"):
        Ingestor.of(workspace).ingest(plan)
    assert snapshot(workspace) == before


def test_a_50_mb_text_file_is_refused_without_being_read(mons_store, tmp_path):
    huge = tmp_path / "huge.txt"
    line = b"01 1.1.06 Initiatives menees par les ecoles de devoirs - Ville de Mons\n"
    with huge.open("wb") as f:
        for _ in range(50 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    assert huge.stat().st_size > 50 * 1024 * 1024
    before = snapshot(mons_store)

    tracemalloc.start()
    try:
        with pytest.raises(InputError, match=r"huge\.txt: fichier trop grand \(52\.\d Mo, maximum 10 Mo\)"):
            Ingestor.of(mons_store).ingest(huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 5 * 1024 * 1024, f"refusing a 50 MB file allocated {peak / 1e6:.0f} MB"
    assert snapshot(mons_store) == before


def test_a_document_with_more_actions_than_any_plan_is_refused_at_the_first_extra_line(mons_store, tmp_path):
    flood = tmp_path / "flood.txt"
    flood.write_text("Ville de Mons\n" + "".join(f"{i % 1000:03d} 5.5.01 Rencontre {i}\n" for i in range(MAX_ACTIONS + 10)),
                     encoding="utf-8")
    before = snapshot(mons_store)
    with pytest.raises(InputError) as refused:
        Ingestor.of(mons_store).ingest(flood)
    assert refused.value.line == MAX_ACTIONS + 2  # the heading, then action number MAX_ACTIONS + 1
    assert f"plus de {MAX_ACTIONS} actions ({MAX_ACTIONS + 10})" in refused.value.message
    assert snapshot(mons_store) == before


# --- read safely ------------------------------------------------------------------------------------

LABELS = "SELECT ?a ?label ?text WHERE { ?a a pcs:Action ; rdfs:label ?label ; pcs:sourceText ?text } ORDER BY ?a"


def exported(ws) -> tuple[Graph, Dataset]:
    """The store exported as Turtle and as N-Quads, parsed back by rdflib (a separate parser)."""
    turtle = Graph().parse(data=ws.store.dump("text/turtle").decode("utf-8"), format="turtle")
    quads = Dataset(default_union=True)
    quads.parse(data=ws.store.dump("application/n-quads").decode("utf-8"), format="nquads")
    return turtle, quads


def test_script_style_and_comments_never_become_actions_and_markup_stays_text(workspace):
    result = Ingestor.of(workspace).ingest(INPUTS / "script.html")
    rows = workspace.store.select(LABELS)

    assert result.actions == 3
    assert [r["label"] for r in rows] == [
        'Initiatives <b>menées</b> par les "écoles" de devoirs > 12 ans',
        "<script>alert('xss')</script> Rencontres",
        "Assuétudes",
    ]
    everything = "\n".join(snapshot(workspace))
    for injected in ("Injected by script", "ASBL Evil", "9.9.99", "styled", "commented out", "alert(1)"):
        assert injected not in everything
    partners = workspace.store.select("SELECT ?n WHERE { ?a pcs:article20Partner/rdfs:label ?n } ORDER BY ?n")
    assert [r["n"] for r in partners] == ["ASBL Chantecler", "ASBL RAMBO"]

    turtle, quads = exported(workspace)
    for r in rows:
        assert (URIRef(r["a"]), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(r["label"], lang="fr")) in turtle
        assert (URIRef(r["a"]), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(r["label"], lang="fr")) in quads


def test_injection_in_csv_labels_stays_literal_text_through_store_and_export(workspace):
    result = Ingestor.of(workspace).ingest(INPUTS / "injection_labels.csv")
    rows = {r["label"]: r for r in workspace.store.select(LABELS)}

    assert result.actions == 5
    assert set(rows) == {
        '=HYPERLINK("http://evil.example","clic")',  # formula prefixes are kept, never evaluated nor stripped
        "+33 ateliers",
        '-1 rencontre "conviviale" > <b>en-cas</b>',
        'Assuétudes sur deux lignes""" . } ;',  # the label's newline becomes a space
        'Label with a Turtle break-out" ; <http://evil/p> "x',
    }
    raw = rows['Assuétudes sur deux lignes""" . } ;']["text"]
    assert raw == '53053 | 3.1.07 | Assuétudes\nsur deux lignes""" . } ;'  # the raw source keeps it
    partner = workspace.store.select("SELECT ?n WHERE { ?a pcs:article20Partner/rdfs:label ?n }")
    assert partner == [{"n": "@SUM(A1)"}]

    turtle, quads = exported(workspace)
    for graph in (turtle, quads):
        assert not list(graph.triples((None, URIRef("http://evil/p"), None)))
        assert (None, None, Literal(raw)) in graph
        for label in rows:
            assert (None, None, Literal(label, lang="fr")) in graph


def test_duplicate_lines_become_distinct_actions(workspace):
    result = Ingestor.of(workspace).ingest(INPUTS / "duplicates.txt")
    rows = workspace.store.select("SELECT ?a ?label ?line WHERE { ?a a pcs:Action ; rdfs:label ?label ; pcs:sourceLine ?line } "
                                  "ORDER BY ?line")
    assert result.actions == 4
    assert len({r["a"] for r in rows}) == 4
    assert [(r["label"], r["line"]) for r in rows] == [
        ("Activités de rencontre pour personnes isolées", "4"), ("Activités de rencontre pour personnes isolées", "5"),
        ("Écoles de devoirs", "6"), ("Écoles de devoirs", "7"),
    ]
    assert Ingestor.of(workspace).ingest(INPUTS / "duplicates.txt").status == "unchanged"


@pytest.mark.parametrize("name,label,partner", [
    ("cp1252.csv", "Activités de rencontre pour personnes âgées", "ASBL « L’Œuvre »"),
    ("latin1.txt", "Activités de rencontre pour personnes âgées", None),
    ("double_encoded_utf8.txt", "Activités de rencontre pour personnes âgées", "ASBL « L’Œuvre »"),
    ("mixed_utf8_cp1252.csv", "Activités de rencontre pour personnes âgées", "ASBL « L’Œuvre »"),
])
def test_office_encodings_are_read_with_their_accents(workspace, name, label, partner):
    Ingestor.of(workspace).ingest(INPUTS / name)
    labels = {r["label"] for r in workspace.store.select(LABELS)}
    assert label in labels
    if partner:
        assert partner in {r["n"] for r in workspace.store.select("SELECT ?n WHERE { ?a pcs:partner/rdfs:label ?n }")}
    assert "Écoles de devoirs" in labels or name.startswith(("cp1252", "latin1"))
    assert not any("Ã" in label or "â€" in label for label in labels)


def test_a_second_document_numbering_the_same_plans_actions_is_refused(mons_store):
    """latin1.txt, given as Mons 2020-2025, numbers actions 01 and 02, which the Mons page already
    describes: merging them would give one action two labels and two types."""
    before = snapshot(mons_store)
    with pytest.raises(InputError) as refused:
        Ingestor.of(mons_store).ingest(INPUTS / "latin1.txt", programme="2020-2025")
    assert refused.value.line == 2
    assert "action/53053/2020-2025/01" in refused.value.message
    assert "déjà décrite par le document https://w3id.org/pcs/id/document/mons-pcs-2020-2025-txt" in refused.value.message
    assert snapshot(mons_store) == before
    # given for another plan, the same file is welcome
    assert Ingestor.of(mons_store).ingest(INPUTS / "latin1.txt", programme="2014-2019").actions == 2


def test_the_graph_still_validates_after_the_hostile_inputs_that_are_read(workspace):
    from rdflib import Graph

    from pcs_graph.graph.validation import validate_graph

    for name in ("script.html", "injection_labels.csv", "cp1252.csv"):
        Ingestor.of(workspace).ingest(INPUTS / name)
    for name in REFUSED:
        with pytest.raises(InputError):
            Ingestor.of(workspace).ingest(INPUTS / name[0], commune=name[1])
    data = Graph().parse(data=workspace.store.dump("application/n-triples").decode("utf-8"), format="nt")
    report = validate_graph(data)
    assert report.conforms, report.to_text()
