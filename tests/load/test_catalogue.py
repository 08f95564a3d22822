"""`pcs catalogue load`: an official catalogue (code,label) merges into the nomenclature learned from
documents, without duplicates, and a bad line is refused naming the file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MONS
from rdflib import Graph

from pcs_graph.errors import InputError
from pcs_graph.graph.validation import validate_graph
from pcs_graph.load import Ingestor

PCS = str(Path(sys.executable).with_name("pcs"))
AT = "https://w3id.org/pcs/id/action-type/"
LEARNED_5501 = "Activités de rencontre pour personnes isolées"  # as Mons prints it
OFFICIAL_5501 = "Activités collectives de rencontre à destination des personnes isolées"
CATALOGUE = f"""code,label
5.5,Lutte contre l'isolement social
5.5.01,{OFFICIAL_5501}
1.1.06,Initiatives menées par les écoles de devoirs
7.9.01,"Mobilité douce, vélos partagés"
"""


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def labels(ws, code: str) -> dict[str, list[str]]:
    rows = ws.store.select(f"""SELECT ?p ?l WHERE {{ <{AT}{code}> ?p ?l
        FILTER (?p IN (skos:prefLabel, skos:altLabel, pcs:official)) }} ORDER BY ?p ?l""")
    out: dict[str, list[str]] = {}
    for r in rows:
        out.setdefault(r["p"].rsplit("#", 1)[1], []).append(r["l"])
    return out


def snapshot(ws) -> list[str]:
    return sorted(ws.store.dump("application/n-quads").decode("utf-8").splitlines())


def conforms(ws) -> bool:
    report = validate_graph(Graph().parse(data=ws.store.dump("application/n-triples").decode("utf-8"), format="nt"))
    assert report.conforms, report.to_text()
    return True


def test_a_catalogue_merges_with_the_codes_learned_from_mons_without_duplicates(workspace, tmp_path):
    Ingestor.of(workspace).ingest(MONS)
    added, merged = Ingestor.of(workspace).load_catalogue(write(tmp_path / "catalogue.csv", CATALOGUE))

    assert (added, merged) == (1, 2)
    types = workspace.store.select(f"SELECT ?g ?t WHERE {{ GRAPH ?g {{ <{AT}5.5.01> a ?t }} }}")
    assert [r["t"] for r in types] == ["https://w3id.org/pcs/ontology#ActionType"]  # one rdf:type, in one graph
    assert labels(workspace, "5.5.01") == {"prefLabel": [OFFICIAL_5501], "altLabel": [LEARNED_5501], "official": ["true"]}
    assert labels(workspace, "1.1.06") == {"prefLabel": ["Initiatives menées par les écoles de devoirs"],
                                           "official": ["true"]}  # same label: no altLabel
    assert labels(workspace, "3.1.07") == {"prefLabel": ["Assuétudes"]}  # learned only, untouched
    new = workspace.store.select(f"""SELECT ?label ?theme ?axis WHERE {{ <{AT}7.9.01> a pcs:ActionType ;
        skos:prefLabel ?label ; pcs:theme/skos:notation ?theme ; pcs:axis/skos:notation ?axis }}""")
    assert new == [{"label": "Mobilité douce, vélos partagés", "theme": "7.9", "axis": "7"}]
    theme = workspace.store.select("""SELECT ?label ?official WHERE { <https://w3id.org/pcs/id/theme/5.5>
        skos:prefLabel ?label ; pcs:official ?official }""")
    assert theme == [{"label": "Lutte contre l'isolement social", "official": "true"}]
    # the 32 Mons actions still point at their (now official) types
    assert workspace.store.select(f"SELECT (COUNT(?a) AS ?n) WHERE {{ ?a pcs:actionType <{AT}5.5.01> }}") == [{"n": "3"}]
    assert conforms(workspace)


def test_loading_the_same_catalogue_twice_changes_nothing(workspace, tmp_path):
    Ingestor.of(workspace).ingest(MONS)
    catalogue = write(tmp_path / "catalogue.csv", CATALOGUE)
    Ingestor.of(workspace).load_catalogue(catalogue)
    before = snapshot(workspace)

    assert Ingestor.of(workspace).load_catalogue(catalogue) == (0, 3)
    assert snapshot(workspace) == before


def test_a_document_ingested_after_the_catalogue_keeps_the_official_label(workspace, tmp_path):
    Ingestor.of(workspace).load_catalogue(write(tmp_path / "catalogue.csv", CATALOGUE, "cp1252"))
    Ingestor.of(workspace).ingest(MONS)

    assert labels(workspace, "5.5.01") == {"prefLabel": [OFFICIAL_5501], "altLabel": [LEARNED_5501], "official": ["true"]}
    learned = workspace.store.select(f"SELECT ?l WHERE {{ <{AT}3.1.07> skos:prefLabel ?l }}")
    assert learned == [{"l": "Assuétudes"}]
    assert conforms(workspace)


@pytest.mark.parametrize("text,line,message", [
    ("code,label\n5.5.01,Rencontres\n9.9.99,Hors nomenclature\n", 3, "l'axe 9 n'existe pas"),
    ("code,label\n5.5.1,Rencontres\n", 2, "deux chiffres"),
    ("code,label\n5.5.01,Rencontres\ncinq,Rencontres\n", 3, "n'est pas un code de la forme x.y.zz"),
    ("code,label\n8.1,Thème d'un axe inconnu\n", 2, "axe de 1 à 7"),
    ("code,label\n5.5.01,Rencontres\n5.5.01,Rencontres bis\n", 3, "code 5.5.01 déjà donné ligne 2"),
    ("code,label\n5.5.01,\n", 2, "libellé vide"),
    ("code,label\n5.5.01,Rencontres, pour isolés\n", 2, "3 colonnes pour 2 en-têtes"),
    ("code,intitulé du thème\n5.5.01,Rencontres\n", 1, "colonne(s) manquante(s) : label"),
])
def test_a_bad_catalogue_line_is_refused_naming_file_and_line(workspace, tmp_path, text, line, message):
    Ingestor.of(workspace).ingest(MONS)
    before = snapshot(workspace)
    path = write(tmp_path / "catalogue.csv", text)
    with pytest.raises(InputError) as refused:
        Ingestor.of(workspace).load_catalogue(path)
    assert (refused.value.source, refused.value.line) == (str(path), line)
    assert message in refused.value.message
    assert snapshot(workspace) == before


def test_pcs_catalogue_load_from_the_command_line(tmp_path):
    store = tmp_path / "store"
    assert subprocess.run([PCS, "ingest", MONS, "--store", store, "--no-index"], capture_output=True).returncode == 0
    good = write(tmp_path / "catalogue.csv", CATALOGUE)
    bad = write(tmp_path / "bad.csv", "code;label\n5.5.01;Rencontres\n5.5;Thème\n9.9.99;Hors nomenclature\n")

    done = subprocess.run([PCS, "catalogue", "load", good, "--store", store], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1 types d'action ajoutés, 2 fusionnés avec des codes déjà appris."
    refused = subprocess.run([PCS, "catalogue", "load", bad, "--store", store], capture_output=True, text=True)
    assert refused.returncode == 2
    assert f"{bad}:4: code de nomenclature invalide '9.9.99'" in refused.stderr
    valid = subprocess.run([PCS, "validate", "--store", store], capture_output=True, text=True)
    assert valid.returncode == 0, valid.stdout
