"""Documents into the store: parse, build the document's graph, replace it in one atomic update.

    ingestor = Ingestor.of(workspace)       # or Ingestor(store, Uris(base), CommuneDirectory.load())
    result = ingestor.ingest(Path("corpus/mons_pcs_2020-2025.txt"))
    result.status, result.actions   # ('added', 32); a second call gives ('unchanged', 32)

The parse happens entirely before anything is written: a document that fails to parse leaves the
store exactly as it was. The write is a single SPARQL Update (drop the document's graph, insert
the new one, teach the nomenclature its codes), which the store applies atomically.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef

from ..config import ONTOLOGY_DIR
from ..errors import InputError
from ..graph.glossary import glossary_graph
from ..graph.model import DocumentTriples, WrittenAction, action_type_triples, document_graph
from ..graph.ntriples import Triples, iri, literal
from ..graph.nomenclature import CatalogueEntry, parse_code
from ..graph.programmes import Programmes
from ..graph.records import Publication
from ..graph.reference import CommuneDirectory, load_axes
from ..graph.reference_graph import reference_graph
from ..graph.uris import Uris
from ..graph.vocab import PCS, RDF, SKOS
from ..ingest.catalogue import read_catalogue
from ..ingest.parse import parse_document
from ..store import Store
from ..store.state import stamp_update
from ..store.workspace import Workspace


@dataclass
class IngestResult:
    source: str
    document: str
    status: str  # "added", "replaced" or "unchanged"
    actions: int
    warnings: list[str] = field(default_factory=list)


def ntriples(g: Graph) -> str:
    return g.serialize(format="nt")


def graph_digest(g: Graph) -> str:
    """A hash of a graph's content that does not depend on its blank nodes' random labels
    (the ontology's OWL lists are blank nodes: hashing their N-Triples would differ on every run)."""
    from rdflib.compare import to_canonical_graph

    if any(isinstance(term, BNode) for triple in g for term in triple):
        g = to_canonical_graph(g)
    return hashlib.sha256("".join(sorted(ntriples(g).splitlines())).encode()).hexdigest()


def insert_data(graph: URIRef | str, triples: Graph | Triples) -> str:
    text = triples.text() if isinstance(triples, Triples) else ntriples(triples)
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{text}\n}} }}"


class Ingestor:
    def __init__(self, store: Store, uris: Uris, communes: CommuneDirectory,
                 programmes: Programmes | None = None) -> None:
        self.store = store
        self.uris = uris
        self.communes = communes
        self.programmes = programmes or Programmes.load()

    @classmethod
    def of(cls, ws: Workspace, store: Store | None = None) -> "Ingestor":
        """The ingestor writing to a workspace's store (or to `store`: a first load's staged copy)."""
        return cls(store or ws.store, ws.uris, ws.communes, ws.programmes)

    # --- reference data and ontology --------------------------------------------------------

    def ensure_reference(self) -> bool:
        """Load the ontology, the reference graph and the glossary when missing or changed. True if it wrote."""
        ontology = Graph()
        ontology.parse(ONTOLOGY_DIR / "pcs.ttl", format="turtle")
        reference, plans = reference_graph(self.uris, self.communes, load_axes(), self.programmes)
        wrote = False
        for name, g in (("ontology", ontology), ("reference", reference), ("glossary", glossary_graph(self.uris))):
            graph_uri = self.uris.graph(name)
            digest = graph_digest(g)
            if self.store.ask(f'ASK {{ GRAPH <{graph_uri}> {{ <{graph_uri}> pcs:contentHash "{digest}" }} }}'):
                continue
            g.add((graph_uri, PCS.contentHash, Literal(digest)))
            update = f"DROP SILENT GRAPH <{graph_uri}> ;\n{insert_data(graph_uri, g)}"
            if name == "reference":
                update += " ;\n" + insert_data(self.uris.graph("registry"), plans)  # the plans' core triples
            self.store.update(f"{update} ;\n{stamp_update(self.uris)}")
            wrote = True
        return wrote

    # --- documents --------------------------------------------------------------------------

    def ingest(self, path: Path, commune: str | None = None, programme: str | None = None,
               publication: Publication | None = None) -> IngestResult:
        """Parse one document and write it (or nothing, if it did not change). `publication`: where the
        document is published (--source-url/--source-kind), else its `<file>.meta.json`, else none."""
        doc = parse_document(path, self.communes, commune=commune, programme=programme,
                             programmes=self.programmes, publication=publication)
        doc_uri = self.uris.document(path.name)
        if self.store.ask(f'ASK {{ GRAPH <{doc_uri}> {{ <{doc_uri}> pcs:contentHash "{doc.content_hash}" }} }}'):
            return IngestResult(str(path), str(doc_uri), "unchanged", len(doc.actions), doc.warnings)
        existed = self.store.ask(f"ASK {{ GRAPH <{doc_uri}> {{ ?s ?p ?o }} }}")
        triples = document_graph(self.uris, doc, path.name, self.programmes)
        self._refuse_actions_of_other_documents(str(path), doc_uri, triples.actions)
        self.store.update(self._replace_document(doc_uri, triples))
        return IngestResult(str(path), str(doc_uri), "replaced" if existed else "added", len(doc.actions),
                            doc.warnings)

    CHUNK = 2000  # actions per query when checking that no other document describes them

    def _refuse_actions_of_other_documents(self, source: str, doc_uri: URIRef, actions: list[WrittenAction]) -> None:
        """Two documents must not describe the same action URI (same commune, programme and number):
        their triples would merge into one action with two labels and two types. Refuse the newcomer."""
        lines = {a.uri: a.line for a in actions}
        uris = sorted(lines)
        for start in range(0, len(uris), self.CHUNK):
            values = " ".join(f"<{a}>" for a in uris[start:start + self.CHUNK])
            rows = self.store.select(
                f"SELECT ?a ?g WHERE {{ VALUES ?a {{ {values} }} GRAPH ?g {{ ?a a ?class }} "
                f"FILTER (?g != <{doc_uri}> && ?class IN (pcs:Action, pcs:DroppedAction)) }} LIMIT 1"
            )
            if rows:
                action, other = rows[0]["a"] or "", rows[0]["g"]
                raise InputError(
                    source, f"l'action {action} (même commune, programme et numéro) est déjà décrite par le "
                            f"document {other}", line=lines.get(action),
                    expected="un seul document par action numérotée d'un plan (sinon, précisez --commune ou --programme)",
                )

    def replacement(self, doc_uri: URIRef | str, triples: DocumentTriples) -> str:
        """The one update that replaces a document's graph and its share of the shared graphs, for a
        writer that built the triples itself (a commune's contributed plan, `pcs_graph.contrib.plans`)."""
        return self._replace_document(URIRef(str(doc_uri)), triples)

    def _replace_document(self, doc_uri: URIRef, triples: DocumentTriples) -> str:
        """ONE update: forget the old version (its graph, its classifications), write the new one, and its
        share of the shared graphs: the plans, the publications (last write wins), the partners and the
        action types' labels (the first document to name them wins)."""
        nomenclature, classification = self.uris.graph("nomenclature"), self.uris.graph("classification")
        registry = self.uris.graph("registry")
        labels = self._current_labels([t.code for t in triples.learned])
        alt = iri(SKOS.altLabel)
        for t in triples.learned:
            current = labels.get(t.code)
            if current is not None and current != t.label:
                triples.nomenclature.add(iri(self.uris.action_type(t.code)), alt, literal(t.label, lang="fr"))
        unclassified = Triples()
        status, unclassified_status = iri(PCS.classificationStatus), iri(PCS.Unclassified)
        for action in triples.actions:
            if not action.typed and not action.dropped:  # dropped actions are no pcs:Action: never classified
                unclassified.add(iri(action.uri), status, unclassified_status)
        parts = [
            # forget the classifications of the actions the old version of the document had
            f"DELETE {{ GRAPH <{classification}> {{ ?a ?p ?o }} }} WHERE {{ GRAPH <{doc_uri}> {{ ?a a pcs:Action }} "
            f"GRAPH <{classification}> {{ ?a ?p ?o }} }}",
            f"DROP SILENT GRAPH <{doc_uri}>",
            insert_data(doc_uri, triples.document),
        ]
        for graph, data in ((nomenclature, triples.nomenclature), (classification, unclassified),
                            (registry, triples.plans)):
            if len(data):
                parts.append(insert_data(graph, data))
        if len(triples.publications):  # a publication's description: the last document to cite it writes it
            cited = " ".join(sorted({line.split(" ", 1)[0] for line in triples.publications.text().splitlines()}))
            parts.append(f"DELETE {{ GRAPH <{registry}> {{ ?u ?p ?o }} }} WHERE {{ VALUES ?u {{ {cited} }} "
                         f"GRAPH <{registry}> {{ ?u ?p ?o }} }}")
            parts.append(insert_data(registry, triples.publications))
        if triples.partners:  # the first spelling of a partner names it, in the document's French like its actions
            rows = " ".join(f"(<{uri}> {literal(name, lang='fr')} {iri(PCS[kind]) if kind else 'UNDEF'})"
                            for uri, (name, kind) in triples.partners.items())
            # a partner a commune's update named first (pcs_graph/contrib/partners.py) keeps that name and
            # kind: the registry repeats them, so the partner still has one label and one kind
            parts.append(
                f"INSERT {{ GRAPH <{registry}> {{ ?p a pcs:Partner ; rdfs:label ?label ; pcs:partnerKind ?k }} }} "
                f"WHERE {{ VALUES (?p ?name ?kind) {{ {rows} }} "
                f"FILTER NOT EXISTS {{ GRAPH <{registry}> {{ ?p a pcs:Partner }} }} "
                f"OPTIONAL {{ SELECT ?p (MIN(?l) AS ?known) (MIN(?kk) AS ?knownKind) WHERE {{ GRAPH ?g {{ "
                f"?p a pcs:Partner ; rdfs:label ?l OPTIONAL {{ ?p pcs:partnerKind ?kk }} }} }} GROUP BY ?p }} "
                f"BIND(COALESCE(?known, ?name) AS ?label) BIND(IF(BOUND(?known), ?knownKind, ?kind) AS ?k) }}")
        new = [t for t in triples.learned if t.code not in labels]
        if new:  # the first document to print a code names it
            rows = " ".join(f"(<{self.uris.action_type(t.code)}> {literal(t.label, lang='fr')})" for t in new)
            parts.append(
                f"INSERT {{ GRAPH <{nomenclature}> {{ ?t skos:prefLabel ?label }} }} WHERE {{ VALUES (?t ?label) {{ {rows} }} "
                f"FILTER NOT EXISTS {{ GRAPH <{nomenclature}> {{ ?t skos:prefLabel ?any }} }} }}")
        parts.append(stamp_update(self.uris))  # the store's last-write time, in the same update
        return " ;\n".join(parts)

    def _current_labels(self, codes: list[str]) -> dict[str, str]:
        if not codes:
            return {}
        values = " ".join(f"<{self.uris.action_type(c)}>" for c in codes)
        rows = self.store.select(
            f"SELECT ?t ?n ?l WHERE {{ VALUES ?t {{ {values} }} GRAPH <{self.uris.graph('nomenclature')}> "
            f"{{ ?t skos:prefLabel ?l ; skos:notation ?n }} }}"
        )
        return {r["n"]: r["l"] for r in rows if r["n"] and r["l"]}

    def remove(self, doc_uri: str) -> None:
        classification = self.uris.graph("classification")
        self.store.update(
            f"DELETE {{ GRAPH <{classification}> {{ ?a ?p ?o }} }} WHERE {{ GRAPH <{doc_uri}> {{ ?a a pcs:Action }} "
            f"GRAPH <{classification}> {{ ?a ?p ?o }} }} ;\nDROP SILENT GRAPH <{doc_uri}> ;\n"
            + stamp_update(self.uris)
        )

    # --- official catalogue -----------------------------------------------------------------

    def load_catalogue(self, path: Path) -> tuple[int, int]:
        """Merge an official catalogue: (codes added, codes already known). Official labels win."""
        entries = read_catalogue(path)
        known = self._current_labels([e.code for e in entries if not e.is_theme])
        nomenclature = self.uris.graph("nomenclature")
        t = Triples()
        deletes = []
        for e in entries:
            uri = self._catalogue_triples(t, e)
            deletes.append(uri)
            old = known.get(e.code)
            if old is not None and old != e.label:
                t.add(uri, iri(SKOS.altLabel), literal(old, lang="fr"))
        g = t.graph()
        added = sum(1 for e in entries if not e.is_theme and e.code not in known)
        if self._already_holds(nomenclature, deletes, g):  # the same catalogue again: nothing to write
            return added, len([e for e in entries if not e.is_theme]) - added
        update = (
            f"DELETE {{ GRAPH <{nomenclature}> {{ ?t skos:prefLabel ?l }} }} WHERE {{ VALUES ?t {{ {' '.join(deletes)} }} "
            f"GRAPH <{nomenclature}> {{ ?t skos:prefLabel ?l }} }} ;\n{insert_data(nomenclature, g)} ;\n"
            + stamp_update(self.uris)
        )
        self.store.update(update)
        return added, len([e for e in entries if not e.is_theme]) - added

    def _already_holds(self, graph: URIRef, relabelled: list[str], g: Graph) -> bool:
        """Whether the update (drop the prefLabels of `relabelled`, insert `g`) would leave `graph` as it is."""
        subjects = sorted(set(relabelled) | {f"<{s}>" for s in g.subjects() if isinstance(s, URIRef)})
        current = self.store.construct(
            f"CONSTRUCT {{ ?t ?p ?o }} WHERE {{ VALUES ?t {{ {' '.join(subjects)} }} GRAPH <{graph}> {{ ?t ?p ?o }} }}")
        dropped = {URIRef(s.strip("<>")) for s in relabelled}
        after = {t for t in current if not (t[1] == SKOS.prefLabel and t[0] in dropped)} | set(g)
        return after == set(current)

    def _catalogue_triples(self, t: Triples, e: CatalogueEntry) -> str:
        if e.is_theme:
            axis = iri(self.uris.axis(e.code.split(".")[0]))
            uri = iri(self.uris.theme(e.code))
            t.add(uri, iri(RDF.type), iri(PCS.Theme))
            t.add(uri, iri(SKOS.notation), literal(e.code))
            t.add(uri, iri(SKOS.broader), axis)
            t.add(uri, iri(PCS.axis), axis)
            t.add(uri, iri(SKOS.inScheme), iri(self.uris.scheme("nomenclature")))
        else:
            uri = action_type_triples(t, self.uris, parse_code(e.code))
        t.add(uri, iri(SKOS.prefLabel), literal(e.label, lang="fr"))
        t.add(uri, iri(PCS.official), literal("true", datatype="http://www.w3.org/2001/XMLSchema#boolean"))
        return uri
