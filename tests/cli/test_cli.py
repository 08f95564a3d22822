"""The `pcs` command as a user runs it: real subprocesses on a real store in a temporary folder."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import CORPUS_ACTIONS, CORPUS_COMMUNES, MONS, count_triples
from rdflib import Dataset, Graph

from pcs_graph.config import Settings
from pcs_graph.load import Ingestor
from pcs_graph.store.workspace import Workspace

PCS = str(Path(sys.executable).with_name("pcs"))
INPUTS = Path(__file__).resolve().parents[1] / "inputs"


def pcs(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PCS, *map(str, args)], capture_output=True, text=True, timeout=300)


def nquads(store: Path) -> list[str]:
    with Workspace(Settings(store=str(store))) as ws:
        return sorted(ws.store.dump("application/n-quads").decode("utf-8").splitlines())


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store filled by `pcs ingest` with no document argument: the bundled corpus."""
    path = tmp_path_factory.mktemp("cli") / "store"
    done = pcs("ingest", "--store", path, "--no-index")
    assert done.returncode == 0, done.stderr
    assert "added    32 actions" in done.stdout and "mons_pcs_2020-2025.txt" in done.stdout
    return path


# --- ingest ------------------------------------------------------------------------------------------

def test_ingest_a_file_with_its_commune_and_programme(tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("01 1.1.06 Écoles de devoirs ART 20 ASBL Chantecler\n02 5.5.01 Rencontres\n", encoding="utf-8")

    done = pcs("ingest", plan, "--store", tmp_path / "store", "--commune", "Ville de Hastière",
               "--programme", "2014-2019", "--no-index")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["added", "2", "actions", str(plan)]
    with Workspace(Settings(store=str(tmp_path / "store"))) as ws:
        rows = ws.store.select("""SELECT ?nis ?period WHERE { ?a a pcs:Action ; pcs:commune/pcs:nisCode ?nis ;
                                  pcs:plan/pcs:programme/skos:notation ?period }""")
    assert {(r["nis"], r["period"]) for r in rows} == {("91142", "2014-2019")}

    again = pcs("ingest", plan, "--store", tmp_path / "store", "--no-index", "--commune", "91142",
                "--programme", "2014-2019")
    assert again.stdout.split()[0] == "unchanged"


def test_ingest_of_a_bad_file_names_file_and_line_exits_2_and_changes_nothing(tmp_path):
    store = tmp_path / "store"
    assert pcs("ingest", MONS, "--store", store, "--no-index").returncode == 0
    before = nquads(store)

    done = pcs("ingest", INPUTS / "theme_only_code.txt", "--store", store, "--no-index")
    assert done.returncode == 2
    assert f"{INPUTS / 'theme_only_code.txt'}:6: code de nomenclature invalide '5.5'" in done.stderr
    assert "Traceback" not in done.stderr
    assert nquads(store) == before


def files_digest(folder: Path) -> dict[str, str]:
    return {str(f.relative_to(folder)): hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(folder.rglob("*")) if f.is_file()}


def test_bad_inputs_leave_the_store_and_the_search_index_unchanged(tmp_path):
    store = tmp_path / "store"
    index = tmp_path / "store-index"  # beside the store, where `pcs ingest` keeps it by default
    first = pcs("ingest", MONS, "--store", store)
    assert first.returncode == 0, first.stderr
    before = (nquads(store), files_digest(index))
    assert before[1], "pcs ingest built no search index beside the store"

    for name in ("code_outside_nomenclature.txt", "truncated.pdf", "injection_labels.csv"):
        shutil.copy(INPUTS / name, tmp_path / name)
    (tmp_path / "injection_labels.csv").write_text("nis;label\n53053;ok\n53053;ok;de trop\n", encoding="utf-8")
    done = pcs("ingest", tmp_path / "code_outside_nomenclature.txt", tmp_path / "truncated.pdf",
               tmp_path / "injection_labels.csv", "--store", store)
    assert done.returncode == 2
    assert f"{tmp_path / 'code_outside_nomenclature.txt'}:5:" in done.stderr
    assert f"{tmp_path / 'truncated.pdf'}: PDF illisible ou tronqué" in done.stderr
    assert f"{tmp_path / 'injection_labels.csv'}:3: 3 colonnes pour 2 en-têtes" in done.stderr
    assert (nquads(store), files_digest(index)) == before


def test_ingest_goes_on_after_a_bad_file_and_still_exits_2(tmp_path):
    store = tmp_path / "store"
    done = pcs("ingest", INPUTS / "unknown_commune.csv", MONS, "--store", store, "--no-index")
    assert done.returncode == 2
    assert f"{INPUTS / 'unknown_commune.csv'}:3: commune inconnue : 'Atlantis'" in done.stderr
    assert "added    32 actions" in done.stdout
    with Workspace(Settings(store=str(store))) as ws:
        assert ws.store.select("SELECT (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action }") == [{"n": "32"}]


def test_ingest_a_folder_reads_its_plan_documents_and_skips_its_readme(tmp_path):
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(MONS, folder / MONS.name)
    shutil.copy(INPUTS / "cp1252.csv", folder / "export.csv")
    (folder / "README.md").write_text("# Plans\nCopied from the communes' sites.\n", encoding="utf-8")

    done = pcs("ingest", folder, "--store", tmp_path / "store", "--no-index")
    assert done.returncode == 0, done.stderr
    assert sorted(line.split()[1] for line in done.stdout.splitlines()) == ["1", "32"]
    assert "README" not in done.stdout + done.stderr


def test_an_unknown_commune_option_suggests_names(tmp_path):
    done = pcs("ingest", INPUTS / "latin1.txt", "--store", tmp_path / "store", "--commune", "Mosn", "--no-index")
    assert done.returncode == 2
    assert "commune inconnue : 'Mosn' ; vouliez-vous dire : Mons ?" in done.stderr


# --- sparql ------------------------------------------------------------------------------------------

PER_AXIS = """SELECT ?axis (COUNT(?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:actionType/pcs:axis/skos:notation ?axis }
              GROUP BY ?axis ORDER BY ?axis"""


def test_sparql_json_prints_sparql_1_1_json_results(store):
    done = pcs("sparql", PER_AXIS, "--store", store, "--format", "json")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["head"]["vars"] == ["axis", "n"]
    bindings = results["results"]["bindings"]
    assert [b["axis"]["value"] for b in bindings] == ["1", "2", "3", "4", "5", "6", "7"]
    assert bindings[0]["axis"]["type"] == "literal"
    assert sum(int(b["n"]["value"]) for b in bindings) == 32  # only Mons prints codes


def test_sparql_csv_prints_a_header_and_one_row_per_solution(store):
    done = pcs("sparql", PER_AXIS, "--store", store, "--format", "csv")
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO(done.stdout)))
    assert rows[0] == ["axis", "n"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4", "5", "6", "7"]


def test_a_broken_query_is_one_clear_error_with_exit_code_2(store):
    done = pcs("sparql", "SELECT ?a WHERE { ?a a pcs:Action", "--store", store, "--format", "json")
    assert done.returncode == 2
    assert "requête SPARQL invalide" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


def test_sparql_cannot_update_the_store(store):
    before = nquads(store)
    done = pcs("sparql", "INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }", "--store", store)
    assert done.returncode == 2
    assert "requête SPARQL invalide" in done.stderr
    assert nquads(store) == before


# --- stats, export, validate ------------------------------------------------------------------------

def test_stats_json_counts_actions_per_axis_commune_and_partner_kind(store):
    done = pcs("stats", "--store", store, "--json")
    assert done.returncode == 0, done.stderr
    stats = json.loads(done.stdout)
    assert stats["totals"]["actions"] == CORPUS_ACTIONS
    assert stats["totals"]["article20"] == 6
    per_commune = {c["label"]: c["actions"] for c in stats["commune"]}
    assert per_commune["Mons"] == 32 and per_commune["Hastière"] == 12 + 10  # its page, and a press article
    assert len(per_commune) == CORPUS_COMMUNES
    assert sum(per_commune.values()) == CORPUS_ACTIONS
    assert {c["key"] for c in stats["axe"]} >= {"1", "5", "7"}
    assert any(c["actions"] > 0 for c in stats["type de partenaire"])


@pytest.mark.parametrize("fmt,rdflib_format", [("ttl", "turtle"), ("nq", "nquads"), ("jsonld", "json-ld")])
def test_export_parses_back_with_rdflib(store, tmp_path, fmt, rdflib_format):
    out = tmp_path / f"export.{fmt}"
    done = pcs("export", "--store", store, "--format", fmt, "--output", out)
    assert done.returncode == 0, done.stderr
    if fmt == "nq":
        data = Dataset()
        data.parse(out, format=rdflib_format)
        quads = list(data.quads())
        assert len(quads) == len(nquads(store))
        assert len({q[3] for q in quads}) >= 6  # ontology, reference, registry, nomenclature, documents...
    else:
        graph = Graph().parse(out, format=rdflib_format)
        with Workspace(Settings(store=str(store))) as ws:
            distinct = ws.store.select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o { GRAPH ?g { ?s ?p ?o } } }")
        assert len(graph) == int(distinct[0]["n"])
        assert len(list(graph.subjects(predicate=None, object=None, unique=True))) > CORPUS_ACTIONS


def test_validate_says_the_corpus_graph_conforms(store):
    done = pcs("validate", "--store", store)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Le graphe est conforme" in done.stdout


def test_validate_reports_a_deliberately_broken_graph_with_exit_code_1(tmp_path):
    settings = Settings(store=str(tmp_path / "store"))
    with Workspace(settings) as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(MONS)
        ws.store.update("""INSERT DATA { GRAPH <https://w3id.org/pcs/id/document/broken> {
            <https://w3id.org/pcs/id/action/broken/1> a pcs:Action ; rdfs:label "Action sans commune"@fr } }""")
        assert count_triples(ws) > 0

    done = pcs("validate", "--store", settings.store)
    assert done.returncode == 1
    lines = [line for line in done.stdout.splitlines() if "action/broken/1" in line]
    assert any("pcs:commune" in line for line in lines), done.stdout
