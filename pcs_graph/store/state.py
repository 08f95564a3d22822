"""When the store last changed: a timestamp every write records, and a cheap token of the store's state.

    store.update(f"{update} ;\\n{stamp_update(uris)}")    # inside the write's one atomic update
    state = read_state(store, uris)    # StoreState(token='3f2a…', modified=datetime(…), issued=datetime(…))

Each write of the project (a document ingested or removed, the reference data, a catalogue, the
classifier's assignments) appends `stamp_update` to its single SPARQL update, so the timestamp and
the data change together. The stamp is two triples on the dataset's URI in `graph/registry`:
`dcterms:modified` (the last write, to the microsecond) and `dcterms:issued` (the first one, kept).

Two writers at once on a SPARQL server under snapshot isolation (`oxigraph serve`: each update
deletes the `dcterms:modified` it sees and inserts its own) leave two values: `read_state` takes
the latest, and the next write deletes both. (The embedded store is opened by one process at a time.)

`read_state` reads them with every graph's `pcs:contentHash` (one row per named graph, whatever the
number of actions) and hashes the lot into `token`: equal tokens mean the same data, as long as
every write goes through the project. A store written by an older version, or by hand with SPARQL
Update, has no stamp or an old one: its token changes only with the documents' content hashes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone

from ..graph.uris import Uris
from .base import Store

MODIFIED = "http://purl.org/dc/terms/modified"
ISSUED = "http://purl.org/dc/terms/issued"
CONTENT_HASH = "https://w3id.org/pcs/ontology#contentHash"
DATETIME = "http://www.w3.org/2001/XMLSchema#dateTime"


@dataclass(frozen=True)
class StoreState:
    token: str                   # changes whenever the data does (see the module's note)
    modified: datetime | None    # the last recorded write (UTC), None on a store never stamped
    issued: datetime | None      # the first recorded write (UTC)


def timestamp(now: datetime | None = None) -> str:
    """An xsd:dateTime literal in UTC with microseconds: `"2026-12-01T23:10:04.123456Z"^^xsd:dateTime`."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return f'"{moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}"^^<{DATETIME}>'


def stamp_update(uris: Uris, now: datetime | None = None) -> str:
    """SPARQL Update operations recording a write at `now`: to join, with " ;", to the write's update."""
    registry, dataset, at = uris.graph("registry"), uris.dataset(), timestamp(now)
    return (
        f"DELETE {{ GRAPH <{registry}> {{ <{dataset}> <{MODIFIED}> ?m }} }} "
        f"WHERE {{ GRAPH <{registry}> {{ <{dataset}> <{MODIFIED}> ?m }} }} ;\n"
        f"INSERT DATA {{ GRAPH <{registry}> {{ <{dataset}> <{MODIFIED}> {at} }} }} ;\n"
        # VALUES gives the WHERE one solution to filter: Virtuoso 7.2 treats a WHERE holding only a
        # FILTER NOT EXISTS (or OPTIONAL + !BOUND) as always true (or always false)
        f"INSERT {{ GRAPH <{registry}> {{ <{dataset}> <{ISSUED}> {at} }} }} "
        f"WHERE {{ VALUES ?once {{ 1 }} FILTER NOT EXISTS {{ GRAPH <{registry}> {{ <{dataset}> <{ISSUED}> ?i }} }} }}"
    )


def parse_datetime(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def read_state(store: Store, uris: Uris) -> StoreState:
    """The store's state token and recorded dates: one query, one row per named graph."""
    registry, dataset = uris.graph("registry"), uris.dataset()
    rows = store.select(f"""
        SELECT ?g ?x ?kind WHERE {{
          {{ GRAPH ?g {{ ?g <{CONTENT_HASH}> ?x }} BIND("hash" AS ?kind) }}
          UNION {{ GRAPH <{registry}> {{ <{dataset}> <{MODIFIED}> ?x }} BIND("modified" AS ?kind) }}
          UNION {{ GRAPH <{registry}> {{ <{dataset}> <{ISSUED}> ?x }} BIND("issued" AS ?kind) }}
        }}""")
    lines = sorted(f"{r['kind']}\t{r['g'] or ''}\t{r['x'] or ''}" for r in rows)

    def dates(kind: str) -> list[datetime]:
        return [d for r in rows if r["kind"] == kind and (d := parse_datetime(r["x"])) is not None]

    token = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:32]
    modified, issued = dates("modified"), dates("issued")
    return StoreState(token, max(modified) if modified else None, min(issued) if issued else None)
