"""One definition of each count: every figure computed here straight from SPARQL, then read back from
every surface that shows it — `pcs stats --json`, /api/stats, the home page, the statistics page,
a commune page and the SPARQL gallery — on the bundled corpus with the classifier's inferred types."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import unescape

import httpx
import pytest
from conftest import CORPUS_ACTIONS

from pcs_graph.store.workspace import Workspace
from pcs_graph.stats import counts

BY_STATUS = """SELECT ?s (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pcs:Action ; pcs:classificationStatus ?s } GROUP BY ?s"""
PER_AXIS = """SELECT ?key (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pcs:Action .
  OPTIONAL { ?a pcs:actionType/pcs:axis ?t } OPTIONAL { ?a pcs:axis ?s }
  BIND(COALESCE(?t, ?s) AS ?ax) BIND(IF(BOUND(?ax), STRAFTER(STR(?ax), "/axis/"), "none") AS ?key) } GROUP BY ?key"""


@pytest.fixture(scope="module")
def truth(indexed_corpus):
    """The figures, by SPARQL on the store itself."""
    with Workspace(indexed_corpus, read_only=True) as ws:
        status = {r["s"].rsplit("#", 1)[-1]: int(r["n"]) for r in ws.store.select(BY_STATUS)}
        per_axis = {r["key"]: int(r["n"]) for r in ws.store.select(PER_AXIS)}
        mons = {r["s"].rsplit("#", 1)[-1]: int(r["n"]) for r in ws.store.select(BY_STATUS.replace(
            "?a a pcs:Action ;", "?a a pcs:Action ; pcs:commune <https://w3id.org/pcs/id/commune/91142> ;"))}
    figures = {"actions": sum(status.values()), "declared": status.get("Declared", 0),
               "inferred": status.get("Inferred", 0), "unclassified": status.get("Unclassified", 0)}
    figures["without_declared_type"] = figures["inferred"] + figures["unclassified"]
    assert figures["actions"] == CORPUS_ACTIONS and figures["inferred"] > 0  # a corpus with inferred types
    return {"totals": figures, "per_axis": per_axis, "hastiere": mons}


def test_the_counts_module_agrees_with_sparql(indexed_corpus, truth):
    with Workspace(indexed_corpus, read_only=True) as ws:
        totals = counts.totals(ws.store)
        per_axis = {c.key: c.actions for c in counts.actions_per_axis(ws.store)}
    assert {k: totals[k] for k in truth["totals"]} == truth["totals"]
    assert per_axis == truth["per_axis"]
    assert sum(per_axis.values()) == truth["totals"]["actions"]


def test_pcs_stats_json_shows_the_same(indexed_corpus, truth):
    done = subprocess.run([sys.executable, "-c", "from pcs_graph.cli import main; main()", "stats", "--json",
                           "--store", indexed_corpus.store], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert {k: body["totals"][k] for k in truth["totals"]} == truth["totals"]
    assert {c["key"]: c["actions"] for c in body["axe"]} == truth["per_axis"]


def test_api_stats_shows_the_same(live_server, truth):
    body = httpx.get(f"{live_server}/api/stats", timeout=60).json()
    for key in ("declared", "inferred", "unclassified"):
        assert body["totals"][key] == truth["totals"][key]
    assert {k: body["totals"][k] for k in truth["totals"]} == truth["totals"]
    assert {r["key"]: r["actions"] for r in body["per_axis"]} == truth["per_axis"]


def figures_of(html: str) -> dict[str, int]:
    """'<strong>32</strong> actions au code déclaré par la source' → {label: 32}, labels as counts.LABELS says."""
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))
    found = {}
    for key, label in counts.LABELS.items():
        m = re.search(rf"(\d[\d\u202f ]*) {re.escape(label)}", text)
        if m:
            found[key] = int(re.sub(r"\D", "", m.group(1)))
    return found


def test_home_and_statistics_pages_show_the_same(live_server, truth):
    home = figures_of(httpx.get(f"{live_server}/", timeout=60).text)
    statistics = figures_of(httpx.get(f"{live_server}/statistiques", timeout=60).text)
    for key in ("actions", "declared", "inferred", "unclassified"):
        assert home[key] == truth["totals"][key], key
    for key, value in truth["totals"].items():
        assert statistics[key] == value, key


def test_a_commune_page_shows_its_own_counts_the_same_way(live_server, truth):
    page = figures_of(httpx.get(f"{live_server}/commune/91142", timeout=60).text)
    assert page["declared"] == truth["hastiere"].get("Declared", 0)
    assert page["inferred"] == truth["hastiere"].get("Inferred", 0)
    assert page["unclassified"] == truth["hastiere"].get("Unclassified", 0)


def test_the_gallery_queries_give_the_same_figures(live_server, truth):
    from pcs_graph.api.pages import load_gallery

    gallery = {q.name: q.text for q in load_gallery()}
    answer = httpx.post(f"{live_server}/sparql", data={"query": gallery["05-actions-inferees-vs-declarees"]},
                        headers={"Accept": "application/sparql-results+json"}, timeout=60).json()
    by_label = {b["statut"]["value"]: int(b["actions"]["value"]) for b in answer["results"]["bindings"]}
    assert by_label == {"Déclaré": truth["totals"]["declared"], "Inféré": truth["totals"]["inferred"],
                        "Non classé": truth["totals"]["unclassified"]}
    answer = httpx.post(f"{live_server}/sparql", data={"query": gallery["01-actions-par-axe-et-province"]},
                        headers={"Accept": "application/sparql-results+json"}, timeout=60).json()
    per_axis: dict[str, int] = {}
    for b in answer["results"]["bindings"]:
        per_axis[b["axe"]["value"]] = per_axis.get(b["axe"]["value"], 0) + int(b["actions"]["value"])
    assert per_axis == {k: v for k, v in truth["per_axis"].items() if k.isdigit()}


def test_the_void_description_counts_the_actions_the_same(live_server, truth):
    from rdflib import Graph, URIRef
    from rdflib.namespace import Namespace

    void = Namespace("http://rdfs.org/ns/void#")
    g = Graph().parse(data=httpx.get(f"{live_server}/.well-known/void", headers={"Accept": "text/turtle"},
                                     timeout=60).text, format="turtle")
    partitions = {g.value(p, void["class"]): int(g.value(p, void.entities)) for p in g.objects(None, void.classPartition)}
    assert partitions[URIRef("https://w3id.org/pcs/ontology#Action")] == truth["totals"]["actions"]
