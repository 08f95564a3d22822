"""The store records its last write: every write of the project moves `dcterms:modified` (and the
state token) in the same atomic update; a write that changes nothing leaves both as they were."""

from __future__ import annotations

from conftest import HASTIERE, MONS

from pcs_graph.load import Ingestor
from pcs_graph.store.state import read_state, stamp_update

CATALOGUE = "code,label\n5.5.01,Activités collectives de rencontre à destination des personnes isolées\n"


def test_each_write_moves_the_state_and_the_dates(workspace, tmp_path) -> None:
    ingestor = Ingestor.of(workspace)
    after_reference = read_state(workspace.store, workspace.uris)
    assert after_reference.issued is not None and after_reference.issued <= after_reference.modified  # two writes

    ingestor.ingest(MONS)
    after_mons = read_state(workspace.store, workspace.uris)
    assert after_mons.token != after_reference.token and after_mons.modified > after_reference.modified
    assert after_mons.issued == after_reference.issued  # the first write stays the first

    assert ingestor.ingest(MONS).status == "unchanged"  # no write: nothing moves
    assert read_state(workspace.store, workspace.uris) == after_mons

    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text(CATALOGUE, encoding="utf-8")
    ingestor.load_catalogue(catalogue)
    after_catalogue = read_state(workspace.store, workspace.uris)
    assert after_catalogue.modified > after_mons.modified and after_catalogue.token != after_mons.token
    ingestor.load_catalogue(catalogue)  # the same catalogue again writes nothing
    assert read_state(workspace.store, workspace.uris) == after_catalogue

    ingestor.ingest(HASTIERE)
    ingestor.remove(str(workspace.uris.document(HASTIERE.name)))
    after_remove = read_state(workspace.store, workspace.uris)
    assert after_remove.modified > after_catalogue.modified


def test_the_stamp_is_two_triples_in_the_registry_graph(workspace) -> None:
    workspace.store.update(stamp_update(workspace.uris))
    workspace.store.update(stamp_update(workspace.uris))
    rows = workspace.store.select(f"""SELECT ?g ?p WHERE {{ GRAPH ?g {{ <{workspace.uris.dataset()}> ?p ?o }} }}""")
    assert sorted((r["g"], r["p"]) for r in rows) == [
        (str(workspace.uris.graph("registry")), "http://purl.org/dc/terms/issued"),
        (str(workspace.uris.graph("registry")), "http://purl.org/dc/terms/modified")]


def test_two_writers_at_once_leave_two_stamps_the_latest_is_read_and_the_next_write_keeps_one(workspace) -> None:
    # a SPARQL server under snapshot isolation (oxigraph serve) applies two concurrent updates each
    # deleting the old `dcterms:modified` and inserting its own: both values remain. Written here by hand.
    registry, dataset = workspace.uris.graph("registry"), workspace.uris.dataset()
    modified = "http://purl.org/dc/terms/modified"
    xsd = "http://www.w3.org/2001/XMLSchema#dateTime"
    workspace.store.update(f"DELETE WHERE {{ GRAPH <{registry}> {{ <{dataset}> <{modified}> ?m }} }}")
    workspace.store.update(f'INSERT DATA {{ GRAPH <{registry}> {{ <{dataset}> <{modified}> '
                           f'"2026-12-01T10:00:00.000001Z"^^<{xsd}>, "2026-12-01T10:00:00.000002Z"^^<{xsd}> }} }}')
    state = read_state(workspace.store, workspace.uris)
    assert state.modified.isoformat() == "2026-12-01T10:00:00.000002+00:00"  # the latest of the two

    workspace.store.update(stamp_update(workspace.uris))
    rows = workspace.store.select(f"SELECT ?m WHERE {{ GRAPH <{registry}> {{ <{dataset}> <{modified}> ?m }} }}")
    assert len(rows) == 1 and read_state(workspace.store, workspace.uris).modified > state.modified
