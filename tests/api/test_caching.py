"""Validators and caching over real HTTP: ETag, Last-Modified, 304, gzip, HEAD on every GET route,
dumps built once per state of the store and rebuilt after a write."""

from __future__ import annotations

import gzip
import time
from datetime import timedelta
from email.utils import format_datetime, parsedate_to_datetime
from urllib.parse import quote

import httpx
import pytest
from conftest import HASTIERE, MONS
from remote_server import ApiServer, oxigraph_server, remote_settings  # noqa: F401

from pcs_graph.api.dumps import DumpCache
from pcs_graph.api.jsonld import JsonLdContext
from pcs_graph.load import Ingestor
from pcs_graph.store.state import read_state
from pcs_graph.store.workspace import Workspace

PAGES = ["/", "/recherche?q=personnes+isol%C3%A9es", "/commune/53053", "/action/53053/2020-2025/23",
         "/action-type/5.5.01", "/theme/5.5", "/axis/5", "/partner/asbl-pourquoi-pas-toi", "/province/50000",
         "/statistiques", "/requetes", "/partenaires", "/ontology", "/ontology/shapes", "/ontology/source-kinds",
         "/docs", "/redoc", "/document/mons-pcs-2020-2025-txt"]
RESOURCES = ["/data/commune/53053.ttl", "/data/commune/53053.jsonld", "/dataset", "/context.jsonld",
             "/dump?format=nt", "/sparql?query=" + quote("SELECT ?c WHERE { ?c pcs:nisCode '53053' }")]


def test_a_dump_answers_304_to_if_none_match_and_if_modified_since(live_server: str) -> None:
    url = f"{live_server}/dump?format=nt"
    first = httpx.get(url, timeout=120)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert etag.startswith('W/"') and first.headers["cache-control"] == "no-cache"
    again = httpx.get(url, timeout=120)
    assert again.headers["etag"] == etag and again.content == first.content  # the same file, built once
    not_modified = httpx.get(url, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not not_modified.content
    assert not_modified.headers["etag"] == etag and not_modified.headers["last-modified"] == modified
    assert httpx.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    earlier = format_datetime(parsedate_to_datetime(modified) - timedelta(days=1), usegmt=True)
    assert httpx.get(url, headers={"If-Modified-Since": earlier}, timeout=120).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 13.2.2)
    assert httpx.get(url, headers={"If-None-Match": 'W/"other"', "If-Modified-Since": modified},
                     timeout=120).status_code == 200


def test_a_dump_is_gzipped_on_request(live_server: str) -> None:
    url = f"{live_server}/dump?format=ttl"
    plain = httpx.get(url, headers={"Accept-Encoding": "identity"}, timeout=120)
    with httpx.stream("GET", url, headers={"Accept-Encoding": "gzip"}, timeout=120) as response:
        raw = b"".join(response.iter_raw())
        assert response.headers["content-encoding"] == "gzip" and "Accept-Encoding" in response.headers["vary"]
        assert response.headers["etag"] == plain.headers["etag"]
    assert len(raw) < len(plain.content) / 3 and gzip.decompress(raw) == plain.content
    refused = httpx.get(url, headers={"Accept-Encoding": "gzip;q=0"}, timeout=120)
    assert "content-encoding" not in refused.headers and refused.content == plain.content


@pytest.mark.parametrize("path", PAGES + RESOURCES)
def test_pages_and_resources_carry_validators_and_answer_304(live_server: str, path: str) -> None:
    first = httpx.get(f"{live_server}{path}", headers={"Accept-Encoding": "gzip"}, timeout=120)
    assert first.status_code == 200, (path, first.text[:300])
    etag = first.headers["etag"]
    assert httpx.get(f"{live_server}{path}", timeout=120).headers["etag"] == etag, path
    assert httpx.get(f"{live_server}{path}", headers={"If-None-Match": etag}).status_code == 304, path
    if path.startswith(("/recherche", "/action/")):  # the search index decides part of them: no date
        assert "last-modified" not in first.headers
    else:
        modified = first.headers["last-modified"]
        assert httpx.get(f"{live_server}{path}", headers={"If-Modified-Since": modified}).status_code == 304, path


def get_routes(live_server: str) -> list[str]:
    """Every GET route of the OpenAPI with its parameters filled in, and the pages."""
    spec = httpx.get(f"{live_server}/openapi.json").json()
    filled = {"{path}": "53053/2020-2025/23", "{nis}": "53053", "{code}": "5.5.01", "{slug}": "asbl-pourquoi-pas-toi",
              "{programme}": "2020-2025", "{key}": "23"}
    routes = []
    for path, operations in spec["paths"].items():
        if "get" not in operations or "401" in operations["get"].get("responses", {}):
            continue  # a signed-in caller's route: tests/api/test_write_routes.py walks those
        for name, value in filled.items():
            path = path.replace(name, value)
        routes.append(path)
    fixes = {"/id/53053/2020-2025/23": "/id/commune/53053", "/data/53053/2020-2025/23": "/data/commune/53053.ttl",
             "/sparql": "/sparql?query=ASK%7B%7D"}
    return sorted({fixes.get(r, r) for r in routes} | set(PAGES) | {"/export/recherche.csv?q=logement"})


def test_head_works_on_every_get_route_and_answers_like_get(live_server: str) -> None:
    routes = get_routes(live_server)
    assert "/sparql?query=ASK%7B%7D" in routes and "/api/communes" in routes and len(routes) > 30
    for path in routes:
        get = httpx.get(f"{live_server}{path}", timeout=120)
        head = httpx.head(f"{live_server}{path}", timeout=120)
        assert head.status_code == get.status_code and head.status_code in (200, 303), (path, head.status_code)
        assert head.headers.get("content-type") == get.headers.get("content-type"), path
        assert head.content == b"", path


def test_head_sparql_ask_is_200(live_server: str) -> None:
    response = httpx.head(f"{live_server}/sparql?query=ASK{{}}")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/sparql-results")


def test_the_dump_cache_builds_once_per_state_and_forgets_old_states(corpus_store, tmp_path) -> None:
    cache = DumpCache(tmp_path / "dumps")
    context = JsonLdContext.load()
    with Workspace(corpus_store, read_only=True) as ws:
        state = read_state(ws.store, ws.uris)
        first = cache.get(ws.store, state, "ttl", context, "http://x/context.jsonld")
        built_at = first.path.stat().st_mtime_ns
        again = cache.get(ws.store, state, "ttl", context, "http://x/context.jsonld")
        assert again == first and again.path.stat().st_mtime_ns == built_at  # read, not rebuilt
        assert first.path.read_bytes() == ws.store.dump("text/turtle")
        assert gzip.decompress(first.gz_path.read_bytes()) == first.path.read_bytes()
        newer = [type(state)(f"{state.token}-{i}", state.modified, state.issued) for i in (1, 2)]
        later = [cache.get(ws.store, s, "ttl", context, "http://x/context.jsonld") for s in newer]
    assert later[0].path.exists() and later[1].path.exists()  # the previous state stays for its readers
    assert not first.path.exists() and not first.gz_path.exists()  # two states old: removed


@pytest.mark.slow
def test_after_a_write_the_dump_and_the_description_change(remote_settings, tmp_path) -> None:  # noqa: F811
    with Workspace(remote_settings) as ws:
        Ingestor.of(ws).ensure_reference()
        Ingestor.of(ws).ingest(MONS)
    with ApiServer({"PCS_STORE": remote_settings.store, "PCS_INDEX_DIR": str(tmp_path / "index")}) as api:
        url = f"{api.base_url}/dump?format=nt"
        before = httpx.get(url, timeout=120)
        modified_before = dataset_modified(api.base_url)
        with Workspace(remote_settings) as ws:
            Ingestor.of(ws).ingest(HASTIERE)
            hastiere = f"<{ws.uris.document(HASTIERE.name)}>"
        after = before
        for _ in range(40):  # the server re-reads the store's state at most once a second
            after = httpx.get(url, headers={"If-None-Match": before.headers["etag"]}, timeout=120)
            if after.status_code == 200:
                break
            time.sleep(0.25)
        assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
        assert hastiere in after.text and hastiere not in before.text
        assert parsedate_to_datetime(after.headers["last-modified"]) >= parsedate_to_datetime(
            before.headers["last-modified"])
        assert dataset_modified(api.base_url) > modified_before


def dataset_modified(base_url: str):
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCTERMS

    g = Graph().parse(data=httpx.get(f"{base_url}/dataset", headers={"Accept": "text/turtle"}, timeout=120).text,
                      format="turtle")
    return g.value(URIRef("https://w3id.org/pcs/id/dataset"), DCTERMS.modified).toPython()
