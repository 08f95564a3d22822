"""The JSON API over HTTP on a real server holding the bundled corpus (Mons, Hastière, examples)."""

from __future__ import annotations

import httpx
from conftest import CORPUS_ACTIONS
import pytest


@pytest.fixture(scope="module")
def api(live_server: str):
    with httpx.Client(base_url=f"{live_server}/api", timeout=60) as client:
        yield client


# --- search -----------------------------------------------------------------------------------

def test_search_finds_mons_isolated_people_with_facets(api: httpx.Client) -> None:
    body = api.get("/search", params={"q": "personnes isolées", "limit": 5}).json()
    first = body["hits"][0]
    assert (first["nis"], first["code"]) == ("53053", "5.5.01")
    # total counts the relevant actions only; the page is completed with the nearest others, flagged
    assert body["total"] >= sum(h["relevant"] for h in body["hits"]) > 0
    assert "axis" in body["facets"] and all(f["count"] > 0 for f in body["facets"]["axis"])
    assert first["why"]["matched_terms"]


def test_search_filters_and_pagination(api: httpx.Client) -> None:
    hastiere = api.get("/search", params={"q": "ateliers", "commune": "91142", "limit": 3}).json()
    assert hastiere["hits"] and {h["nis"] for h in hastiere["hits"]} == {"91142"}
    page2 = api.get("/search", params={"q": "ateliers", "commune": "91142", "limit": 3, "offset": 3}).json()
    assert not {h["uri"] for h in page2["hits"]} & {h["uri"] for h in hastiere["hits"]}
    axis5 = api.get("/search", params=[("q", "rencontre"), ("axis", "5"), ("status", "declared")]).json()
    assert axis5["hits"] and all(h["axis"] == 5 and h["status"] == "declared" for h in axis5["hits"])


def test_search_rejects_bad_parameters_with_json_errors(api: httpx.Client) -> None:
    for params in ({"axis": "9"}, {"limit": "0"}, {"status": "maybe"}, {"offset": "-1"}):
        response = api.get("/search", params={"q": "emploi", **params})
        assert response.status_code == 422, params
        assert response.json()["error"] == "invalid_parameter" and response.json()["detail"]


def test_classify_proposes_action_types(api: httpx.Client) -> None:
    body = api.post("/classify", json={"text": "Activités de rencontre pour personnes âgées isolées", "k": 3}).json()
    assert len(body["candidates"]) == 3
    assert body["candidates"][0]["code"] == "5.5.01"
    assert 0 <= body["candidates"][0]["confidence"] <= 1
    assert api.post("/classify", json={"text": ""}).status_code == 422


# --- actions ----------------------------------------------------------------------------------

def test_action_with_its_source_and_similar_actions_elsewhere(api: httpx.Client) -> None:
    action = api.get("/actions/53053/2020-2025/23").json()
    assert action["label"] == "Activités de rencontre pour personnes isolées"
    assert (action["code"], action["axis"], action["status"], action["commune"]) == ("5.5.01", 5, "declared", "Mons")
    assert action["source_file"] == "mons_pcs_2020-2025.txt" and action["source_line"]
    assert action["similar"] and all(s["nis"] != "53053" for s in action["similar"])
    same = api.get("/actions/action/53053/2020-2025/23").json()  # the URI's whole relative path works too
    assert same["uri"] == action["uri"]
    assert action["publication"] == "https://www.cpas.mons.be/services/cohesion-sociale"
    assert action["source_kind"] == "commune-page"
    undated = api.get("/actions/63079/undated/travail-de-rue").json()
    assert undated["programme"] is None and undated["source_kind"] == "association"


def test_unknown_action_is_404(api: httpx.Client) -> None:
    for path in ("/actions/53053/2020-2025/999", "/actions/not-an-action"):
        response = api.get(path)
        assert response.status_code == 404 and response.json()["error"] == "not_found"


# --- communes ---------------------------------------------------------------------------------

def test_communes_list_is_paginated_and_filtered_by_province(api: httpx.Client) -> None:
    everything = api.get("/communes", params={"limit": 500}).json()
    assert everything["total"] == 262 and len(everything["items"]) == 262
    page = api.get("/communes", params={"limit": 20, "offset": 250}).json()
    assert len(page["items"]) == 12 and page["offset"] == 250
    hainaut = api.get("/communes", params={"province": "hainaut", "with_actions": "true"}).json()
    names = {c["name"] for c in hainaut["items"]}
    assert "Mons" in names and all(c["province"] == "Hainaut" and c["actions"] > 0 for c in hainaut["items"])
    by_code = api.get("/communes", params={"province": "50000", "limit": 500}).json()
    assert by_code["total"] == api.get("/communes", params={"province": "Hainaut"}).json()["total"]


def test_unknown_province_is_422(api: httpx.Client) -> None:
    response = api.get("/communes", params={"province": "Flandre"})
    assert response.status_code == 422 and "Hainaut" in response.json()["detail"]


def test_commune_has_its_plan_by_axis_and_partners(api: httpx.Client) -> None:
    mons = api.get("/communes/53053").json()
    assert (mons["name"], mons["province"], mons["actions"]) == ("Mons", "Hainaut", 32)
    assert mons["size_band"] == "ge50k" and mons["latitude"] and mons["plans"]
    axes = {group["axis"]: group for group in mons["axes"]}
    assert 5 in axes and any(a["code"] == "5.5.01" for a in axes[5]["actions"])
    assert sum(len(g["actions"]) for g in mons["axes"]) == 32
    partner = next(p for p in mons["partners"] if p["slug"] == "asbl-pourquoi-pas-toi")
    assert partner["article20"] and partner["actions"] >= 1
    hastiere = api.get("/communes/91142").json()
    assert hastiere["axes"][-1]["axis"] is None  # its uncoded actions, grouped as "non classées"


def test_unknown_commune_is_404(api: httpx.Client) -> None:
    assert api.get("/communes/99999").status_code == 404
    assert api.get("/communes/mons").status_code == 404


# --- action types -----------------------------------------------------------------------------

def test_action_types_are_listed_in_code_order_with_counts(api: httpx.Client) -> None:
    body = api.get("/action-types", params={"limit": 500}).json()
    codes = [t["code"] for t in body["items"]]
    assert codes == sorted(codes, key=lambda c: tuple(int(p) for p in c.split(".")))
    axis5 = api.get("/action-types", params={"axis": 5, "with_actions": "true"}).json()["items"]
    assert axis5 and all(t["axis"] == 5 and t["actions"] > 0 for t in axis5)


def test_action_type_lists_the_communes_that_run_it(api: httpx.Client) -> None:
    body = api.get("/action-types/5.5.01").json()
    assert body["label"] == "Activités de rencontre pour personnes isolées"
    mons = next(c for c in body["communes_running"] if c["nis"] == "53053")
    assert mons["actions"] >= 1 and mons["latitude"] and mons["longitude"]
    assert all(a["code"] == "5.5.01" for a in body["action_list"])
    assert api.get("/action-types/9.9.99").status_code == 404


# --- partners ---------------------------------------------------------------------------------

def test_partners_list_filters(api: httpx.Client) -> None:
    everything = api.get("/partners", params={"limit": 500}).json()
    assert everything["total"] == len(everything["items"]) > 50  # more than the default page of 50
    assert len(api.get("/partners").json()["items"]) == 50
    article20 = api.get("/partners", params={"article20": "true"}).json()["items"]
    assert article20 and all(p["article20_actions"] > 0 for p in article20)
    asbl = api.get("/partners", params={"kind": "ASBL"}).json()["items"]
    assert asbl and all(p["kind"] == "ASBL" for p in asbl)
    named = api.get("/partners", params={"q": "pourquoi"}).json()["items"]
    assert [p["slug"] for p in named] == ["asbl-pourquoi-pas-toi"]
    assert api.get("/partners", params={"kind": "Mafia"}).status_code == 422


def test_partner_with_its_communes_and_actions(api: httpx.Client) -> None:
    body = api.get("/partners/asbl-pourquoi-pas-toi").json()
    assert body["name"] == "ASBL Pourquoi pas toi" and body["kind"] == "ASBL"
    assert [c["name"] for c in body["communes_list"]] == ["Mons"]
    assert len(body["action_list"]) == body["actions"] >= 1
    assert api.get("/partners/nobody-at-all").status_code == 404


# --- statistics -------------------------------------------------------------------------------

def test_stats_per_axis_province_size_band_with_shares(api: httpx.Client) -> None:
    body = api.get("/stats").json()
    total = body["totals"]["actions"]
    assert total == CORPUS_ACTIONS
    assert sum(r["actions"] for r in body["per_axis"]) == total
    assert abs(sum(r["share"] for r in body["per_axis"]) - 1) < 0.01
    hainaut = next(r for r in body["per_province"] if r["label"] == "Hainaut")
    assert hainaut["actions"] >= 32
    bands = {b["key"]: b for b in body["per_size_band"]}
    assert sum(b["communes"] for b in bands.values()) <= 262 and bands["ge50k"]["actions"] >= 32
    assert body["reference_2009_2013"]["Retissage des liens sociaux"] == 0.43


# --- contract ---------------------------------------------------------------------------------

def test_openapi_documents_every_endpoint_with_examples(live_server: str) -> None:
    spec = httpx.get(f"{live_server}/openapi.json").json()
    paths = spec["paths"]
    for path in ("/api/search", "/api/classify", "/api/actions/{path}", "/api/communes", "/api/communes/{nis}",
                 "/api/action-types", "/api/action-types/{code}", "/api/partners", "/api/partners/{slug}",
                 "/api/stats", "/api/health", "/sparql"):
        assert path in paths, path
    q = next(p for p in paths["/api/search"]["get"]["parameters"] if p["name"] == "q")
    assert q["examples"]


def test_unknown_route_is_a_json_404(live_server: str) -> None:
    response = httpx.get(f"{live_server}/api/nothing-here")
    assert response.status_code == 404 and response.json()["error"] == "not_found"


# --- pcs serve ----------------------------------------------------------------------------------

def test_pcs_serve_on_an_empty_store_ingests_the_corpus_then_serves(tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from server import free_port

    port = free_port()
    pcs = Path(sys.executable).with_name("pcs")
    env = {**os.environ, "PCS_INDEX_DIR": str(tmp_path / "index")}
    process = subprocess.Popen([str(pcs), "serve", "--store", str(tmp_path / "store"), "--port", str(port)],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            try:
                stats = httpx.get(f"http://127.0.0.1:{port}/api/stats", timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            raise AssertionError("pcs serve did not answer within 180 s")
        assert stats.json()["totals"]["actions"] == CORPUS_ACTIONS
        while httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=5).json()["search"]["state"] != "ready":
            assert time.monotonic() < deadline, "the search index was not built in the background in time"
            time.sleep(0.5)
        hits = httpx.get(f"http://127.0.0.1:{port}/api/search", params={"q": "personnes isolées"}).json()["hits"]
        assert hits[0]["label"] == "Activités de rencontre pour personnes isolées" and hits[0]["relevant"]
        assert "53053" in [h["nis"] for h in hits[:3]]  # Mons' lines and Hastière's have the same words
    finally:
        process.send_signal(signal.SIGINT)
        output = process.communicate(timeout=30)[0].decode()
    assert "Store vide" in output and "mons_pcs_2020-2025.txt" in output
    assert process.returncode == 0
