"""A platform publishes Gerpinnes' plan with an API token and httpx, no browser: upload, preview,
correct, publish, replace, restore, unpublish; hostile files refused with the store unchanged."""

from __future__ import annotations

import httpx
import pytest

from tests.api.contrib_server import ContribServer, contrib_server  # noqa: F401  (module fixture)
from tests.contrib.plan_documents import LABELS, SECOND, gerpinnes_docx
from tests.ingest.hostile import empty_pages_pdf, zip_bomb_docx

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
pytestmark = pytest.mark.slow  # its own writable server (a copy of the indexed corpus), re-indexed after each publish


def upload(server: ContribServer, data: bytes, name: str, token: str | None = None, **form: str) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token or server.token}"}
    return httpx.post(f"{server.url}/api/contributions", headers=headers, timeout=120,
                      files={"file": (name, data, DOCX)}, data={"commune": "52025", "programme": "2020-2025", **form})


def sparql_labels(server: ContribServer) -> set[str]:
    query = ('SELECT ?l WHERE { ?a <http://purl.org/dc/terms/source> <https://w3id.org/pcs/id/contribution/52025/2020-2025> ; '
             'a <https://w3id.org/pcs/ontology#Action> ; <http://www.w3.org/2000/01/rdf-schema#label> ?l }')
    answer = httpx.get(f"{server.url}/sparql", params={"query": query},
                       headers={"Accept": "application/sparql-results+json"}, timeout=60)
    assert answer.status_code == 200, answer.text
    return {b["l"]["value"] for b in answer.json()["results"]["bindings"]}


def test_the_whole_flow_with_a_token(contrib_server: ContribServer, tmp_path):  # noqa: F811
    server = contrib_server
    answer = upload(server, gerpinnes_docx(tmp_path), "Plan PCS Gerpinnes.docx",
                    publication_url="https://www.gerpinnes.be/pcs/plan-2020-2025", publication_kind="official-plan")
    assert answer.status_code == 201, answer.text
    draft = answer.json()
    assert [a["label"] for a in draft["actions"]] == LABELS and draft["state"] == "draft"
    assert [a["line"] for a in draft["actions"]] == [2, 3, 4, 5, 6, 7]
    suggested = [a for a in draft["actions"] if a["suggestion"]]
    assert [a["position"] for a in suggested] == [4]  # the one action printed without a code
    best = suggested[0]["suggestion"]["types"][0]
    assert 0 < best["probability"] <= 1 and suggested[0]["suggestion"]["axis"] in range(1, 8)

    # private until published: neither search, SPARQL nor the dump knows the draft
    dump = server.nquads()
    assert not any(label in dump for label in LABELS)
    assert sparql_labels(server) == set() and not server.search_labels(source_kind="commune-contribution")
    assert httpx.get(f"{server.url}/api/contributions/{draft['key']}", timeout=30).status_code == 401
    mons = {"Authorization": f"Bearer {server.mons_token}"}
    assert httpx.get(f"{server.url}/api/contributions/{draft['key']}", headers=mons, timeout=30).status_code == 403

    # the editor prefers the second suggestion (the browser test accepts the first)
    chosen = suggested[0]["suggestion"]["types"][1]["code"]
    corrected = httpx.post(f"{server.url}/api/contributions/{draft['key']}/corrections", headers=server.bearer,
                           timeout=60, json={"corrections": [
                               {"position": 4, "type": chosen},
                               {"position": 2, "description": "Chaque mardi au CPAS, sans rendez-vous."}]})
    assert corrected.status_code == 200, corrected.text
    assert corrected.json()["actions"][3]["declared"]["code"] == chosen
    wrong = httpx.post(f"{server.url}/api/contributions/{draft['key']}/corrections", headers=server.bearer,
                       timeout=60, json={"corrections": [{"position": 9, "exclude": True}]})
    assert wrong.status_code == 422 and "ligne 9 : aucune action à cette position" in wrong.json()["detail"]

    published = httpx.post(f"{server.url}/api/contributions/{draft['key']}/publish", headers=server.bearer, timeout=120)
    assert published.status_code == 201, published.text
    v1 = published.json()
    assert (v1["number"], v1["state"], v1["public_name"]) == (1, "published", "Plateforme des bonnes pratiques")
    assert server.wait_for_search(set(LABELS), source_kind="commune-contribution") == set(LABELS)
    assert sparql_labels(server) == set(LABELS)
    # a type declared by the commune teaches the classifier: its own label now leads to it
    taught = httpx.post(f"{server.url}/api/classify", json={"text": LABELS[3], "k": 3}, timeout=60).json()
    assert taught["candidates"][0]["code"] == chosen

    second = upload(server, gerpinnes_docx(tmp_path, SECOND, "v2.docx"), "v2.docx").json()
    v2 = httpx.post(f"{server.url}/api/contributions/{second['key']}/publish", headers=server.bearer, timeout=120).json()
    assert v2["number"] == 2 and sparql_labels(server) == {row[1] for row in SECOND}  # replaced: no duplicate
    assert server.wait_for_search({row[1] for row in SECOND}, source_kind="commune-contribution") == {row[1] for row in SECOND}

    restored = httpx.post(f"{server.url}/api/plans/52025/2020-2025/versions/{v1['id']}/restore", headers=server.bearer,
                          timeout=120)
    assert restored.status_code == 201 and restored.json()["restored_from"] == 1
    assert sparql_labels(server) == set(LABELS)

    assert httpx.post(f"{server.url}/api/plans/52025/2020-2025/unpublish", headers=mons, timeout=60).status_code == 403
    gone = httpx.post(f"{server.url}/api/plans/52025/2020-2025/unpublish", headers=server.bearer, timeout=60)
    assert gone.status_code == 200 and gone.json()["state"] == "unpublished"
    assert sparql_labels(server) == set()
    assert server.wait_for_search(set(), source_kind="commune-contribution") == set()
    history = httpx.get(f"{server.url}/api/plans/52025/2020-2025/versions", headers=server.bearer, timeout=60).json()
    assert [(v["number"], v["state"]) for v in history] == [(3, "unpublished"), (2, "superseded"), (1, "superseded")]
    assert set(history[0]["labels"]) == set(LABELS)  # kept in the history


@pytest.mark.parametrize("name, make, status, message", [
    ("bombe.docx", lambda tmp: zip_bomb_docx(1100), 422, "bombe de décompression probable"),
    ("gros.txt", lambda tmp: b"- action\n" * (25 * 1024 * 1024 // 9), 413, "fichier trop volumineux"),
    ("plan.pdf", lambda tmp: b"<!DOCTYPE html><html><body><p>Plan de Gerpinnes</p></body></html>", 415,
     "« plan.pdf » porte l'extension .pdf mais son contenu est une page HTML"),
    ("vide.pdf", lambda tmp: empty_pages_pdf(10_000), 422, "10000 pages : trop pour un document de plan"),
])
def test_hostile_files_are_refused_in_french_and_leave_the_store_as_it_was(
        contrib_server: ContribServer, tmp_path, name, make, status, message):  # noqa: F811
    before = contrib_server.nquads()
    drafts_before = httpx.get(f"{contrib_server.url}/api/contributions", headers=contrib_server.bearer, timeout=30).json()
    answer = upload(contrib_server, make(tmp_path), name)
    assert answer.status_code == status, answer.text
    assert message in answer.json()["detail"]
    assert contrib_server.nquads() == before
    assert httpx.get(f"{contrib_server.url}/api/contributions", headers=contrib_server.bearer,
                     timeout=30).json() == drafts_before


def test_uploads_need_an_actor_of_the_commune(contrib_server: ContribServer, tmp_path):  # noqa: F811
    data = gerpinnes_docx(tmp_path)
    anonymous = httpx.post(f"{contrib_server.url}/api/contributions", files={"file": ("p.docx", data, DOCX)},
                           data={"commune": "52025"}, timeout=60)
    assert anonymous.status_code == 401
    assert upload(contrib_server, data, "p.docx", token=contrib_server.mons_token).status_code == 403
