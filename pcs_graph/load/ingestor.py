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
from ..graph.model import (
    DocumentTriples,
    action_type_triples,
    document_graph,
    new_graph,
)
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


def insert_data(graph: URIRef, g: Graph) -> str:
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{ntriples(g)}}} }}"


def _literal(text: str, lang: str | None = "fr") -> str:
    return Literal(text, lang=lang).n3()


class Ingestor:
    def __init__(self, store: Store, uris: Uris, communes: CommuneDirectory,
                 programmes: Programmes | None = None) -> None:
        self.store = store
        self.uris = uris
        self.communes = communes
        self.programmes = programmes or Programmes.load()

    @classmethod
    def of(cls, ws: Workspace) -> "Ingestor":
        """The ingestor writing to a workspace's store."""
        return cls(ws.store, ws.uris, ws.communes, ws.programmes)

    # --- reference data and ontology --------------------------------------------------------

    def ensure_reference(self) -> bool:
        """Load the ontology and the reference graph when missing or changed. True if it wrote."""
        ontology = Graph()
        ontology.parse(ONTOLOGY_DIR / "pcs.ttl", format="turtle")
        reference, plans = reference_graph(self.uris, self.communes, load_axes(), self.programmes)
        wrote = False
        for name, g in (("ontology", ontology), ("reference", reference)):
            graph_uri = self.uris.graph(name)
            digest = graph_digest(g)
            if self.store.ask(f'ASK {{ GRAPH <{graph_uri}> {{ <{graph_uri}> pcs:contentHash "{digest}" }} }}'):
                continue
            g.add((graph_uri, PCS.contentHash, Literal(digest)))
            update = f"DROP SILENT GRAPH <{graph_uri}> ;\n{insert_data(graph_uri, g)}"
            if name == "reference":
                update += " ;\n" + insert_data(self.uris.graph("registry"), plans)
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
        self._refuse_actions_of_other_documents(str(path), doc_uri, triples.document)
        self.store.update(self._replace_document(doc_uri, triples))
        return IngestResult(str(path), str(doc_uri), "replaced" if existed else "added", len(doc.actions),
                            doc.warnings)

    def _refuse_actions_of_other_documents(self, source: str, doc_uri: URIRef, g: Graph) -> None:
        """Two documents must not describe the same action URI (same commune, programme and number):
        their triples would merge into one action with two labels and two types. Refuse the newcomer."""
        actions = sorted({str(a) for a in g.subjects(RDF.type, PCS.Action)})
        for start in range(0, len(actions), 500):
            values = " ".join(f"<{a}>" for a in actions[start:start + 500])
            rows = self.store.select(
                f"SELECT ?a ?g WHERE {{ VALUES ?a {{ {values} }} GRAPH ?g {{ ?a a pcs:Action }} "
                f"FILTER (?g != <{doc_uri}>) }} LIMIT 1"
            )
            if rows:
                action, other = URIRef(rows[0]["a"] or ""), rows[0]["g"]
                line = g.value(action, PCS.sourceLine)
                raise InputError(
                    source, f"l'action {action} (même commune, programme et numéro) est déjà décrite par le "
                            f"document {other}", line=int(line) if line is not None else None,
                    expected="un seul document par action numérotée d'un plan (sinon, précisez --commune ou --programme)",
                )

    def _replace_document(self, doc_uri: URIRef, triples: DocumentTriples) -> str:
        nomenclature, classification = self.uris.graph("nomenclature"), self.uris.graph("classification")
        registry = self.uris.graph("registry")
        g, nom, learned = triples.document, triples.nomenclature, triples.learned
        labels = self._current_labels([t.code for t in learned])
        for t in learned:
            current = labels.get(t.code)
            if current is not None and current != t.label:
                nom.add((self.uris.action_type(t.code), SKOS.altLabel, Literal(t.label, lang="fr")))
        cls = new_graph()
        for action in g.subjects(RDF.type, PCS.Action):
            if (action, PCS.actionType, None) not in g:  # dropped actions are no pcs:Action: never classified
                cls.add((action, PCS.classificationStatus, PCS.Unclassified))  # type: ignore[arg-type]
        parts = [
            # forget the classifications of the actions the old version of the document had
            f"DELETE {{ GRAPH <{classification}> {{ ?a ?p ?o }} }} WHERE {{ GRAPH <{doc_uri}> {{ ?a a pcs:Action }} "
            f"GRAPH <{classification}> {{ ?a ?p ?o }} }}",
            f"DROP SILENT GRAPH <{doc_uri}>",
            insert_data(doc_uri, g),
        ]
        if len(nom):
            parts.append(insert_data(nomenclature, nom))
        if len(cls):
            parts.append(insert_data(classification, cls))
        plans = new_graph()
        for plan in triples.registry.subjects(RDF.type, PCS.Plan):
            for triple in triples.registry.triples((plan, None, None)):
                plans.add(triple)
        parts.append(insert_data(registry, plans))
        if len(triples.publications):  # a publication's description: the last document to cite it writes it
            cited = " ".join(f"<{u}>" for u in sorted(set(triples.publications.subjects(RDF.type, PCS.Publication))))
            parts.append(f"DELETE {{ GRAPH <{registry}> {{ ?u ?p ?o }} }} WHERE {{ VALUES ?u {{ {cited} }} "
                         f"GRAPH <{registry}> {{ ?u ?p ?o }} }}")
            parts.append(insert_data(registry, triples.publications))
        for partner in triples.registry.subjects(RDF.type, PCS.Partner):  # the first spelling names it
            one = new_graph()
            for triple in triples.registry.triples((partner, None, None)):
                one.add(triple)
            parts.append(
                f"INSERT {{ GRAPH <{registry}> {{ {ntriples(one)} }} }} "
                f"WHERE {{ FILTER NOT EXISTS {{ GRAPH <{registry}> {{ <{partner}> a pcs:Partner }} }} }}"
            )
        for t in learned:
            if t.code not in labels:  # the first document to print a code names it
                at = self.uris.action_type(t.code)
                parts.append(
                    f"INSERT {{ GRAPH <{nomenclature}> {{ <{at}> skos:prefLabel {_literal(t.label)} }} }} "
                    f"WHERE {{ FILTER NOT EXISTS {{ GRAPH <{nomenclature}> {{ <{at}> skos:prefLabel ?l }} }} }}"
                )
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
        g = new_graph()
        deletes = []
        for e in entries:
            uri = self._catalogue_triples(g, e)
            deletes.append(f"<{uri}>")
            old = known.get(e.code)
            if old is not None and old != e.label:
                g.add((uri, SKOS.altLabel, Literal(old, lang="fr")))
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

    def _catalogue_triples(self, g: Graph, e: CatalogueEntry) -> URIRef:
        if e.is_theme:
            axis, _ = e.code.split(".")
            uri = self.uris.theme(e.code)
            g.add((uri, RDF.type, PCS.Theme))
            g.add((uri, SKOS.notation, Literal(e.code)))
            g.add((uri, SKOS.broader, self.uris.axis(axis)))
            g.add((uri, PCS.axis, self.uris.axis(axis)))
            g.add((uri, SKOS.inScheme, self.uris.scheme("nomenclature")))
        else:
            uri = action_type_triples(g, self.uris, parse_code(e.code))
        g.add((uri, SKOS.prefLabel, Literal(e.label, lang="fr")))
        g.add((uri, PCS.official, Literal(True)))
        return uri
