"""The public SPARQL endpoint over HTTP: protocol, formats, read-only, limits, CORS (a real server)."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
import xml.etree.ElementTree as ET

import httpx
import pytest
from rdflib import Graph, URIRef
from server import TEST_LIMITS
from SPARQLWrapper import SPARQLWrapper

PER_AXIS = """SELECT ?axe (COUNT(DISTINCT ?a) AS ?actions) WHERE {
  ?a a pcs:Action ; pcs:actionType/pcs:axis/skos:notation ?axe } GROUP BY ?axe ORDER BY ?axe"""
MONS = 'SELECT ?label WHERE { ?c pcs:nisCode "53053" ; skos:prefLabel ?label }'
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ANY = "(<urn:x>|!<urn:x>)*"  # an unbounded path over every predicate
PROPERTY_PATH = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {ANY} ?o . ?o {ANY} ?z . ?z {ANY} ?w }}"
SPARQL_JSON = "application/sparql-results+json"


def get(base: str, query: str, accept: str | None = None, **params: str) -> httpx.Response:
    headers = {"Accept": accept} if accept else {}
    return httpx.get(f"{base}/sparql", params={"query": query, **params}, headers=headers, timeout=30)


# --- protocol ---------------------------------------------------------------------------------

def test_sparqlwrapper_with_its_defaults_gets_results(live_server: str) -> None:
    client = SPARQLWrapper(f"{live_server}/sparql")  # defaults: GET, XML results, format/output/results params
    client.setQuery(MONS)  # pcs:, skos:, rdfs:... are predeclared by the endpoint
    document = client.query().convert()
    literals = [n.firstChild.data for n in document.getElementsByTagName("literal")]
    assert literals == ["Mons"]


def test_sparqlwrapper_json_and_post(live_server: str) -> None:
    from SPARQLWrapper import JSON, POST

    client = SPARQLWrapper(f"{live_server}/sparql")
    client.setReturnFormat(JSON)
    client.setMethod(POST)
    client.setQuery(PER_AXIS)
    bindings = client.query().convert()["results"]["bindings"]
    axes = {b["axe"]["value"]: int(b["actions"]["value"]) for b in bindings}
    assert set(axes) <= set("1234567") and axes["5"] >= 3


def test_get_form_post_and_direct_post_give_the_same_answer(live_server: str) -> None:
    by_get = get(live_server, PER_AXIS).json()
    by_form = httpx.post(f"{live_server}/sparql", data={"query": PER_AXIS}).json()
    by_body = httpx.post(f"{live_server}/sparql", content=PER_AXIS.encode(),
                         headers={"Content-Type": "application/sparql-query; charset=utf-8"}).json()
    assert by_get == by_form == by_body
    assert by_get["head"]["vars"] == ["axe", "actions"]


def test_any_accept_gets_json_and_unknown_parameters_are_ignored(live_server: str) -> None:
    response = get(live_server, MONS, "*/*", format="xml", output="xml", results="xml", foo="bar")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(SPARQL_JSON)
    assert response.json()["results"]["bindings"][0]["label"] == {"type": "literal", "value": "Mons", "xml:lang": "fr"}


def test_select_formats_by_accept_with_q_values(live_server: str) -> None:
    xml = get(live_server, MONS, "application/sparql-results+xml")
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert ET.fromstring(xml.content).find(".//r:binding/r:literal", ns).text == "Mons"

    csv_body = get(live_server, PER_AXIS, "text/csv").text
    rows = list(csv.DictReader(io.StringIO(csv_body)))
    assert rows[0].keys() == {"axe", "actions"} and all(r["actions"].isdigit() for r in rows)

    tsv = get(live_server, MONS, "text/tab-separated-values")
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.text.splitlines() == ["?label", '"Mons"@fr']

    preferred = get(live_server, MONS, "application/sparql-results+json;q=0.5, text/csv;q=0.9")
    assert preferred.headers["content-type"].startswith("text/csv")


def test_ask_answers_a_boolean(live_server: str) -> None:
    assert get(live_server, 'ASK { ?c pcs:nisCode "53053" }').json()["boolean"] is True


def test_construct_returns_parseable_turtle_and_other_rdf_formats(live_server: str) -> None:
    construct = 'CONSTRUCT { ?c ?p ?o } WHERE { ?c pcs:nisCode "53053" ; ?p ?o }'
    turtle = get(live_server, construct, "text/turtle")
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert len(graph) > 5

    default = get(live_server, construct)  # no Accept: Turtle for graphs
    assert default.headers["content-type"].startswith("text/turtle")
    ntriples = get(live_server, construct, "application/n-triples")
    assert len(Graph().parse(data=ntriples.text, format="nt")) == len(graph)
    jsonld = get(live_server, construct, "application/ld+json")
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)


def test_describe_returns_the_resource(live_server: str) -> None:
    response = get(live_server, "DESCRIBE <https://w3id.org/pcs/id/commune/53053>", "text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    assert any("Mons" in str(o) for o in graph.objects())


# --- errors ---------------------------------------------------------------------------------

def test_syntax_error_is_400_with_the_parser_message(live_server: str) -> None:
    response = get(live_server, "SELECT ?x WHERE { ?x ?y }")
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "bad_query" and "1:" in body["detail"]  # the parser's position


def test_missing_and_repeated_query_parameters_are_400(live_server: str) -> None:
    missing = httpx.get(f"{live_server}/sparql", headers={"Accept": SPARQL_JSON})
    assert missing.status_code == 400 and "query" in missing.json()["detail"]
    twice = httpx.get(f"{live_server}/sparql", params=[("query", MONS), ("query", MONS)])
    assert twice.status_code == 400 and "2" in twice.json()["detail"]
    url_and_body = httpx.post(f"{live_server}/sparql", params={"query": MONS}, data={"query": MONS})
    assert url_and_body.status_code == 400


def test_post_with_a_wrong_content_type_is_415(live_server: str) -> None:
    response = httpx.post(f"{live_server}/sparql", content=json.dumps({"query": MONS}),
                          headers={"Content-Type": "application/json"})
    assert response.status_code == 415
    assert "application/sparql-query" in response.json()["detail"]


def test_rdf_client_without_query_gets_the_service_description(live_server: str) -> None:
    response = httpx.get(f"{live_server}/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoint = URIRef(f"{live_server}/sparql")
    assert (endpoint, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in graph
    assert (endpoint, URIRef(sd + "feature"), URIRef(sd + "UnionDefaultGraph")) in graph


def test_browser_without_query_is_sent_to_the_query_page(live_server: str) -> None:
    response = httpx.get(f"{live_server}/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert response.status_code == 303 and response.headers["location"] == "/requetes"


@pytest.mark.parametrize("update", [
    'INSERT DATA { <urn:x> <urn:p> "pirate" }',
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://example.org/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <https://w3id.org/pcs/id/graph/reference>",
    "PREFIX ex: <http://example.org/> WITH ex:g DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
])
def test_updates_are_refused_on_every_route(live_server: str, update: str) -> None:
    routes = [
        httpx.get(f"{live_server}/sparql", params={"update": update}),
        httpx.get(f"{live_server}/sparql", params={"query": update}),
        httpx.post(f"{live_server}/sparql", data={"update": update}),
        httpx.post(f"{live_server}/sparql", data={"query": update}),
        httpx.post(f"{live_server}/sparql", content=update, headers={"Content-Type": "application/sparql-update"}),
        httpx.post(f"{live_server}/sparql", content=update, headers={"Content-Type": "application/sparql-query"}),
    ]
    assert [r.status_code for r in routes] == [403] * len(routes)
    assert all(r.json()["error"] == "read_only" for r in routes)
    assert get(live_server, 'ASK { ?s ?p "pirate" }').json()["boolean"] is False
    assert get(live_server, MONS).json()["results"]["bindings"]  # nothing was dropped


def test_service_is_refused_unless_allow_listed(live_server: str) -> None:
    for target in ("<http://example.org/sparql>", "?endpoint", "SILENT <http://169.254.169.254/>"):
        response = get(live_server, f"SELECT * WHERE {{ SERVICE {target} {{ ?s ?p ?o }} }}")
        assert response.status_code == 403, target
        assert response.json()["error"] == "service_refused"
    # the allow-listed endpoint passes the guard (it does not answer: a query error, not a refusal)
    allowed = get(live_server, f"SELECT * WHERE {{ SERVICE <{TEST_LIMITS['sparql_service_allow']}> {{ ?s ?p ?o }} }}")
    assert allowed.status_code == 400 and allowed.json()["error"] == "bad_query"


def test_keywords_inside_strings_and_comments_are_not_operations(live_server: str) -> None:
    query = 'SELECT ?x WHERE { BIND("DELETE SERVICE <http://x/>" AS ?x) } # INSERT DATA, SERVICE <http://y/>'
    response = get(live_server, query)
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["x"]["value"].startswith("DELETE")


# --- limits ------------------------------------------------------------------------------------

def test_result_cap_is_a_clear_error(live_server: str) -> None:
    response = get(live_server, "SELECT * WHERE { ?s ?p ?o }")
    assert response.status_code == 400
    assert response.json()["error"] == "result_too_large"
    assert TEST_LIMITS["sparql_max_results"] in response.json()["detail"]
    assert get(live_server, "SELECT * WHERE { ?s ?p ?o } LIMIT 10").status_code == 200


def test_time_limit_stops_a_cartesian_product_while_the_server_keeps_answering(live_server: str) -> None:
    outcome: dict[str, object] = {}

    def slow() -> None:
        started = time.monotonic()
        outcome["response"] = get(live_server, CARTESIAN)
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)  # the pathological query is running in a query worker
    meanwhile = [get(live_server, MONS), httpx.get(f"{live_server}/api/communes/53053", timeout=30)]
    assert thread.is_alive(), "the other requests were answered while the slow query still ran"
    assert [r.status_code for r in meanwhile] == [200, 200]
    thread.join(60)
    response = outcome["response"]
    assert isinstance(response, httpx.Response) and response.status_code == 504
    assert response.json()["error"] == "query_timeout"
    assert f"{TEST_LIMITS['sparql_timeout']} s" in response.json()["detail"]
    print(f"cartesian product stopped after {outcome['seconds']:.2f} s")
    assert get(live_server, MONS).status_code == 200  # the killed worker was replaced


def test_limits_hold_under_load_of_pathological_queries(live_server: str) -> None:
    """More slow queries than query workers, with other clients: every slow query is stopped
    (504, or 503 when it waited for a worker), the other clients are answered, nothing falls over."""
    slow: list[httpx.Response] = []
    threads = [threading.Thread(target=lambda q=q: slow.append(get(live_server, q)))
               for q in (CARTESIAN, PROPERTY_PATH, CARTESIAN, PROPERTY_PATH)]
    for thread in threads:
        thread.start()
    time.sleep(0.3)
    with httpx.Client(base_url=live_server, timeout=30) as client:
        others = [client.get("/api/stats"), client.get("/api/communes/53053"), client.get("/api/action-types/5.5.01"),
                  client.get("/data/commune/53053.ttl")]
    for thread in threads:
        thread.join(60)
    assert [r.status_code for r in others] == [200] * len(others)
    assert sorted({r.status_code for r in slow}) in ([504], [503, 504])
    assert all(r.json()["error"] in ("query_timeout", "busy") for r in slow)
    assert get(live_server, MONS).status_code == 200
    assert get(live_server, "SELECT * WHERE { ?s ?p ?o }").json()["error"] == "result_too_large"


def test_request_body_size_limit(live_server: str) -> None:
    padding = "#" + "x" * int(TEST_LIMITS["max_body_bytes"]) + "\n"
    response = httpx.post(f"{live_server}/sparql", content=padding + MONS,
                          headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 413 and response.json()["error"] == "body_too_large"

    def chunks():  # no Content-Length: the limit holds while the body streams in
        for _ in range(20):
            yield b"#" + b"x" * 8190 + b"\n"

    streamed = httpx.post(f"{live_server}/sparql", content=chunks(),
                          headers={"Content-Type": "application/sparql-query"})
    assert streamed.status_code == 413


# --- CORS -------------------------------------------------------------------------------------

def test_cors_preflight_and_simple_request_from_another_origin(live_server: str) -> None:
    preflight = httpx.options(f"{live_server}/sparql", headers={
        "Origin": "https://yasgui.example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, accept"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    simple = httpx.get(f"{live_server}/sparql", params={"query": MONS}, headers={"Origin": "https://other.example"})
    assert simple.headers["access-control-allow-origin"] == "*"


# --- the same endpoint over a remote store ----------------------------------------------------

def test_endpoint_over_a_remote_oxigraph_store_gives_the_same_answers_and_limits(
        live_server: str, indexed_corpus, tmp_path) -> None:
    from remote_server import OxigraphServer, oxigraph_binary
    from server import TEST_LIMITS, LiveServer

    from pcs_graph.config import Settings
    from pcs_graph.store.workspace import Workspace

    if oxigraph_binary() is None:
        pytest.skip("binaire oxigraph absent (pip install oxigraph)")
    with OxigraphServer(tmp_path / "oxigraph") as oxigraph:
        dump = httpx.get(f"{live_server}/dump", params={"format": "nq"}, timeout=60).content
        httpx.post(f"{oxigraph.base_url}/store", content=dump,
                   headers={"Content-Type": "application/n-quads"}, timeout=60).raise_for_status()
        settings = Settings(store=oxigraph.query_url, index_dir=indexed_corpus.index_dir, extra=dict(TEST_LIMITS))
        with Workspace(settings) as ws:  # the remote store answers like the embedded one
            assert ws.store.ask('ASK { ?c pcs:nisCode "53053" }')
        remote = LiveServer(settings)
        remote.start()
        try:
            for query, accept in ((PER_AXIS, SPARQL_JSON), (MONS, "text/csv"), (MONS, "text/tab-separated-values")):
                assert get(remote.url, query, accept).text == get(live_server, query, accept).text
            construct = 'CONSTRUCT { ?c ?p ?o } WHERE { ?c pcs:nisCode "53053" ; ?p ?o }'
            same = [Graph().parse(data=get(url, construct, "text/turtle").text, format="turtle")
                    for url in (remote.url, live_server)]
            assert len(same[0]) == len(same[1]) > 5
            assert get(remote.url, "SELECT * WHERE { ?s ?p ?o }").json()["error"] == "result_too_large"
            assert get(remote.url, CARTESIAN).status_code == 504
            assert httpx.get(f"{remote.url}/sparql", params={"update": "CLEAR ALL"}).status_code == 403
            assert get(remote.url, "SELECT * { SERVICE <http://example.org/> { ?s ?p ?o } }").status_code == 403
            assert httpx.get(f"{remote.url}/api/communes/53053").json()["actions"] == 32
        finally:
            remote.stop()


# --- the query workers themselves ---------------------------------------------------------------

def test_a_worker_replaced_from_a_short_lived_thread_survives_that_thread(corpus_store) -> None:
    """Linux kills a child when the *thread* that started it exits (PR_SET_PDEATHSIG): replacements
    must not be started by the request threads, which come and go."""
    from pcs_graph.api.sparql.pool import QueryPool, QueryTimeout

    from pcs_graph.graph.vocab import PREFIXES

    pool = QueryPool(corpus_store.store, corpus_store.base_uri, PREFIXES, size=1)
    try:
        outcome: list[BaseException] = []

        def timed_out_in_a_thread() -> None:
            try:
                pool.run(CARTESIAN, SPARQL_JSON, "text/turtle", 10, timeout=0.5)
            except QueryTimeout as e:
                outcome.append(e)

        thread = threading.Thread(target=timed_out_in_a_thread)
        thread.start()
        thread.join(30)
        assert outcome, "the cartesian product was stopped"
        time.sleep(0.5)  # the thread that asked for the replacement is gone
        assert pool._idle.queue[0].process.is_alive()
        answer = pool.run(MONS, SPARQL_JSON, "text/turtle", 10, timeout=10)
        assert json.loads(answer.body)["results"]["bindings"][0]["label"]["value"] == "Mons"
    finally:
        pool.close()


def test_a_worker_killed_from_outside_is_replaced_before_it_gets_a_query(corpus_store) -> None:
    from pcs_graph.api.sparql.pool import QueryPool

    from pcs_graph.graph.vocab import PREFIXES

    pool = QueryPool(corpus_store.store, corpus_store.base_uri, PREFIXES, size=1)
    try:
        worker = pool._idle.queue[0]
        worker.process.kill()
        worker.process.join(5)
        answer = pool.run(MONS, "text/csv", "text/turtle", 10, timeout=10)
        assert answer.body.decode().splitlines() == ["label", "Mons"]
    finally:
        pool.close()
