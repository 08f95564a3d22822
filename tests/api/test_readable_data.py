"""Readable data: a resource's description starts with the resource, and every name says its language.

    curl http://127.0.0.1:8000/data/commune/53053.ttl     # <…/commune/53053> a pcs:Commune ; … first
"""

from __future__ import annotations

import json

import httpx
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS

from pcs_graph.graph.reference import load_communes

BASE = "https://w3id.org/pcs/id/"
MONS, LIEGE = BASE + "commune/53053", BASE + "commune/62063"


def first_statement(turtle: str) -> str:
    """The first line of a Turtle document that is neither a prefix nor blank."""
    return next(line for line in turtle.splitlines() if line.strip() and not line.startswith(("@prefix", "PREFIX")))


def test_the_turtle_of_a_commune_starts_with_the_commune_not_its_actions(live_server: str) -> None:
    turtle = httpx.get(f"{live_server}/data/commune/53053.ttl").text
    assert first_statement(turtle).startswith(f"<{MONS}> a pcs:Commune")
    graph = Graph().parse(data=turtle, format="turtle")
    assert len(set(graph.subjects())) > 30  # its actions and their labels are there too, after it


def test_an_action_and_a_resource_reached_by_its_uri_start_with_themselves(live_server: str) -> None:
    action = BASE + "action/53053/2020-2025/23"
    turtle = httpx.get(f"{live_server}/data/action/53053/2020-2025/23.ttl").text
    assert first_statement(turtle).startswith(f"<{action}>")
    followed = httpx.get(f"{live_server}/id/commune/62063", headers={"Accept": "text/turtle"}, follow_redirects=True)
    assert first_statement(followed.text).startswith(f"<{LIEGE}>")
    ntriples = httpx.get(f"{live_server}/data/commune/53053.nt").text
    assert ntriples.splitlines()[0].startswith(f"<{MONS}> ")


def test_a_communes_other_names_carry_their_language_in_turtle_and_json_ld(live_server: str) -> None:
    turtle = Graph().parse(data=httpx.get(f"{live_server}/data/commune/62063.ttl").text, format="turtle")
    assert set(turtle.objects(URIRef(LIEGE), SKOS.altLabel)) == {Literal("Luik", lang="nl"), Literal("Lüttich", lang="de")}
    liege = json.loads(httpx.get(f"{live_server}/data/commune/62063.jsonld").text)
    node = next(n for n in liege["@graph"] if n["id"] == LIEGE) if "@graph" in liege else liege
    assert node["altLabel"] == {"nl": "Luik", "de": "Lüttich"}
    assert node["label"] == {"fr": "Liège"}
    mons = json.loads(httpx.get(f"{live_server}/data/commune/53053.jsonld").text)
    node = next(n for n in mons["@graph"] if n["id"] == MONS) if "@graph" in mons else mons
    assert node["altLabel"] == {"nl": "Bergen"}


def test_no_commune_name_of_the_reference_data_is_without_a_language():
    names = [(c.nis, name, language) for c in load_communes() for name, language in c.names_by_language]
    assert {language for _, _, language in names} == {"fr", "nl", "de"}
    assert ("62063", "Lüttich", "de") in names and ("53053", "Bergen", "nl") in names
    assert all(name for _, name, _ in names)


def test_no_label_of_the_graph_is_without_a_language(corpus_store):
    """Names and labels (communes, partners, actions, types, provinces...) all say their language."""
    from pcs_graph.store.workspace import Workspace

    with Workspace(corpus_store) as ws:
        untagged = ws.store.select("""SELECT ?s ?p ?l WHERE { ?s ?p ?l
            FILTER(?p IN (rdfs:label, skos:prefLabel, skos:altLabel) && isLiteral(?l) && LANG(?l) = "") } LIMIT 5""")
        partners = ws.store.select("SELECT ?l WHERE { ?p a pcs:Partner ; rdfs:label ?l }")
    assert untagged == []
    assert partners  # the corpus names partners, and each label above has a language


def test_a_partners_name_is_french_in_json_ld(live_server: str) -> None:
    partner = BASE + "partner/asbl-pourquoi-pas-toi"
    doc = json.loads(httpx.get(f"{live_server}/data/partner/asbl-pourquoi-pas-toi.jsonld").text)
    node = next(n for n in doc["@graph"] if n["id"] == partner) if "@graph" in doc else doc
    assert set(node["label"]) == {"fr"}
