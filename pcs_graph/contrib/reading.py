"""What the source printed, what the commune updated, and the sheet that results — read from the store.

    view = read_contribution(store, uris, action_uri)  # Contribution(public_name="PCS de Gerpinnes",
                                                       #   generated_at=datetime(...), version=2, sheet=...)
    source = read_source_sheet(store, uris, action_uri)  # the documents' word only
    sheet = current_sheet(source, view)                  # field by field: the commune's word, else the source's

Everything here is public (it is in the store): the contribution's agent is a public name, never an
e-mail. A field the commune does not state leaves the source's word standing; a field it states
replaces the source's on the page and in the API (both stay in the graph, each in its own graph).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime

from ..graph.sheet import SHEET_PREDICATES, PracticeSheet, sheet_columns, sheet_from_rows
from ..graph.uris import Uris
from ..graph.vocab import OWL, PROV, RDFS
from ..store.base import Store
from ..store.state import parse_datetime

PREDICATES = SHEET_PREDICATES


@dataclass(frozen=True)
class Contribution:
    graph: str
    public_name: str
    generated_at: datetime | None
    version: int
    sheet: PracticeSheet
    note: str | None  # « rétablit la version 1 »


def contribution_graph(uris: Uris, action_uri: str) -> str | None:
    relative = uris.relative(action_uri)
    return str(uris.graph("contribution/" + relative)) if relative and relative.startswith("action/") else None


def read_contribution(store: Store, uris: Uris, action_uri: str) -> Contribution | None:
    graph = contribution_graph(uris, action_uri)
    if graph is None:
        return None
    meta = store.select(f"""SELECT ?name ?at ?v ?note WHERE {{ GRAPH <{graph}> {{
        <{graph}> <{PROV.wasAttributedTo}> ?agent ; <{PROV.generatedAtTime}> ?at ; <{OWL.versionInfo}> ?v .
        ?agent <{RDFS.label}> ?name OPTIONAL {{ <{graph}> <{RDFS.comment}> ?note }} }} }} LIMIT 1""")
    if not meta:
        return None
    predicates = ", ".join(f"<{p}>" for p in PREDICATES)
    rows = store.select(f"SELECT ?p ?o ?n ?l ?k WHERE {{ GRAPH <{graph}> {{ <{action_uri}> ?p ?o }} "
                        f"FILTER(?p IN ({predicates})) {sheet_columns()} }}")
    m = meta[0]
    return Contribution(graph, m["name"] or "", parse_datetime(m["at"]), int(m["v"] or 0), sheet_from_rows(rows),
                        m.get("note"))


def read_source_sheet(store: Store, uris: Uris, action_uri: str) -> PracticeSheet:
    """The sheet as the source documents state it (every graph but contributions)."""
    prefix = str(uris.graph("contribution/"))
    predicates = ", ".join(f"<{p}>" for p in PREDICATES)
    rows = store.select(f"SELECT ?p ?o ?n ?l ?k WHERE {{ GRAPH ?g {{ <{action_uri}> ?p ?o }} "
                        f"FILTER(?p IN ({predicates}) && !STRSTARTS(STR(?g), \"{prefix}\")) {sheet_columns()} }}")
    return sheet_from_rows(rows)


def current_sheet(source: PracticeSheet, contribution: Contribution | None) -> PracticeSheet:
    """The commune's word where it states one, the source's elsewhere (a status comes with its own date)."""
    if contribution is None:
        return source
    own = contribution.sheet
    changes = {f.name: getattr(own, f.name) for f in fields(PracticeSheet) if getattr(own, f.name) not in (None, ())}
    if own.status is not None:  # a new status does not keep the source's date or wording of the old one
        changes.setdefault("status_date", None)
        changes.setdefault("status_as_printed", None)
    if own.publics:
        changes.setdefault("publics_read", ())
    # own.partners (when stated) replace the documents' partners whole, article-20 marks included
    return replace(source, **changes)


def stated_fields(contribution: Contribution | None) -> set[str]:
    """The fields the commune stated (shown « mis à jour par … » on the page)."""
    if contribution is None:
        return set()
    return {f.name for f in fields(PracticeSheet) if getattr(contribution.sheet, f.name) not in (None, ())}
