"""The partners a commune names in its update: a new partner gets its name (and kind) in the update's graph.

    partner_nodes(t, store, uris, graph, sheet.partners)   # `<p> a pcs:Partner ; rdfs:label "…"@fr` for new ones

The action's `pcs:partner` statements are the sheet's (`sheet_triples`). A partner the documents
already name (a `pcs:Partner` of the registry graph, where the ingest writes partners) keeps its
name and kind there: nothing more is stated. A partner no document names is described in the
commune's own graph — `a pcs:Partner`, `rdfs:label` (its name as typed), `pcs:partnerKind` when the
commune gives one — so that it has a name wherever it is shown, and goes with that graph when a later
version no longer names it. When another commune's update already describes it, its spelling and
kind are repeated (the first spelling names a partner, as in the ingest: one label per partner).
"""

from __future__ import annotations

from ..graph.ntriples import Triples, iri, literal
from ..graph.sheet import OWN_GRAPH, SheetPartner
from ..graph.uris import Uris
from ..graph.vocab import PCS, RDF, RDFS
from ..store.base import Store


def partner_nodes(t: Triples, store: Store, uris: Uris, graph: str, partners: tuple[SheetPartner, ...]) -> None:
    """Add to `t` the description of each partner of `partners` that no document names yet."""
    nodes = {str(uris.partner(p.name)): p for p in partners}
    if not nodes:
        return
    values = " ".join(f"<{u}>" for u in sorted(nodes))
    rows = store.select(f"SELECT ?p ?g ?l ?k WHERE {{ VALUES ?p {{ {values} }} GRAPH ?g {{ ?p <{RDFS.label}> ?l }} "
                        f"OPTIONAL {{ GRAPH ?g {{ ?p <{PCS.partnerKind}> ?k }} }} }}")
    for uri, partner in nodes.items():
        found = sorted((r for r in rows if r["p"] == uri and r["g"] != graph), key=lambda r: (r["g"] or "", r["l"] or ""))
        if any(OWN_GRAPH not in (r["g"] or "") for r in found):
            continue  # a document names it: its name and kind are the registry's
        label = found[0]["l"] if found else partner.name
        kind = (found[0]["k"] if found else None) or (str(PCS[partner.kind]) if partner.kind else None)
        node = iri(uri)
        t.add(node, iri(RDF.type), iri(PCS.Partner))
        t.add(node, iri(RDFS.label), literal(label or partner.name, lang="fr"))
        if kind:
            t.add(node, iri(PCS.partnerKind), iri(kind))
