"""Records → RDF: one graph per document, and the triples shared with the nomenclature and registry.

    triples = document_graph(Uris(), doc, "mons_pcs_2020-2025.txt")   # DocumentTriples
    len(triples.document), [t.code for t in triples.learned]

URIs come from `Uris`, terms from `vocab`; the reference graph is built in `reference_graph.py`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..text import slugify
from .nomenclature import Code, parse_code
from .programmes import Programmes
from .records import ActionRecord, PlanDocument, Publication
from .sources import publication_date, source_kind
from .uris import Uris
from .vocab import DCTERMS, PCS, PROV, RDF, RDFS, SCHEMA, SKOS

FR = "fr"
PARTNER_KINDS = {"ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner"}


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in (("pcs", PCS), ("skos", SKOS), ("dcterms", DCTERMS), ("prov", PROV), ("schema", SCHEMA)):
        g.bind(prefix, ns)
    return g


def plan_triples(g: Graph, uris: Uris, lead_nis: str, period: str) -> URIRef:
    """The plan of a commune for a programme: the same URI whichever document or fact mentions it."""
    plan = uris.plan(lead_nis, period)
    g.add((plan, RDF.type, PCS.Plan))
    g.add((plan, PCS.commune, uris.commune(lead_nis)))
    g.add((plan, PCS.leadCommune, uris.commune(lead_nis)))
    g.add((plan, PCS.programme, uris.programme(period)))
    return plan


# --- nomenclature -----------------------------------------------------------------------------

@dataclass(frozen=True)
class LearnedType:
    """An action type as one document prints it: its code and the label next to it."""

    code: str
    label: str


def action_type_triples(g: Graph, uris: Uris, code: Code) -> URIRef:
    """The structural triples of an action type and its theme (no label: labels are chosen by the store)."""
    scheme = uris.scheme("nomenclature")
    axis, theme, action_type = uris.axis(code.axis), uris.theme(code.theme_code), uris.action_type(str(code))
    g.add((theme, RDF.type, PCS.Theme))
    g.add((theme, SKOS.notation, Literal(code.theme_code)))
    g.add((theme, SKOS.broader, axis))
    g.add((theme, PCS.axis, axis))
    g.add((theme, SKOS.inScheme, scheme))
    g.add((action_type, RDF.type, PCS.ActionType))
    g.add((action_type, SKOS.notation, Literal(str(code))))
    g.add((action_type, SKOS.broader, theme))
    g.add((action_type, PCS.theme, theme))
    g.add((action_type, PCS.axis, axis))
    g.add((action_type, SKOS.inScheme, scheme))
    return action_type


# --- documents --------------------------------------------------------------------------------

UNDATED = "undated"  # the period segment of the URIs of actions whose source gives no programme


@dataclass
class DocumentTriples:
    """What one document states: its own graph, and its share of the shared graphs."""

    document: Graph  # the document, its actions, its provenance: replaced with the document
    nomenclature: Graph  # structure of the action types and themes it prints (graph/nomenclature)
    registry: Graph  # core triples of the plans and partners it names (graph/registry)
    publications: Graph  # the publications its actions are read from (graph/registry, last write wins)
    learned: list[LearnedType]


def document_graph(uris: Uris, doc: PlanDocument, doc_id: str, programmes: Programmes) -> DocumentTriples:
    """The triples one document states, and the action types it teaches the nomenclature."""
    g, nomenclature, registry, publications = new_graph(), new_graph(), new_graph(), new_graph()
    doc_uri = uris.document(doc_id)
    g.add((doc_uri, RDF.type, PCS.SourceDocument))
    g.add((doc_uri, PCS.fileName, Literal(doc.file_name)))
    g.add((doc_uri, PCS.contentHash, Literal(doc.content_hash)))
    g.add((doc_uri, PCS.parser, Literal(doc.parser)))
    if doc.title:
        g.add((doc_uri, DCTERMS.title, Literal(doc.title, lang=FR)))
    if doc.document_number:
        g.add((doc_uri, PCS.documentNumber, Literal(doc.document_number)))
    if doc.status:
        g.add((doc_uri, PCS.documentStatus, Literal(doc.status, lang=FR)))
    if doc.printed_on:
        g.add((doc_uri, PCS.printDate, Literal(doc.printed_on, datatype=XSD.date)))
    if doc.publication:
        g.add((doc_uri, DCTERMS.source, publication_triples(publications, doc.publication)))

    learned: dict[str, LearnedType] = {}
    keys: Counter[str] = Counter()
    for action in doc.actions:
        nis = action.commune or doc.nis
        period = action.programme or doc.programme
        assert nis is not None, "parse_document resolves every action's commune"
        plan = plan_triples(registry, uris, nis, period) if period else None
        if plan is not None and doc.project_leader and nis == doc.nis:
            g.add((plan, PCS.projectLeader, Literal(doc.project_leader)))
        key = _action_key(action, keys)
        a = uris.action(nis, period or UNDATED, key)
        programme = programmes.get(period) if period else None
        scheme = programme.axes_scheme if programme else "nomenclature"
        _add_action(g, registry, uris, a, action, nis, plan, doc_uri, scheme)
        publication = action.publication or doc.publication
        if publication:
            g.add((a, DCTERMS.source, publication_triples(publications, publication)))
        if action.dropped:
            continue
        if action.code:
            action_type_triples(nomenclature, uris, parse_code(action.code))
        if action.code and action.code not in learned:
            learned[action.code] = LearnedType(action.code, action.label)
            g.add((uris.action_type(action.code), PCS.learnedFrom, doc_uri))
            g.add((uris.theme(parse_code(action.code).theme_code), PCS.learnedFrom, doc_uri))
    return DocumentTriples(g, nomenclature, registry, publications, list(learned.values()))


def publication_triples(g: Graph, publication: Publication) -> URIRef:
    """A publication: its address is its IRI; its kind, and its title, publisher and date where known."""
    u = URIRef(publication.url)
    g.add((u, RDF.type, PCS.Publication))
    g.add((u, DCTERMS.type, source_kind(publication.kind)))
    if publication.title:
        g.add((u, DCTERMS.title, Literal(publication.title, lang=FR)))
    if publication.publisher:
        g.add((u, DCTERMS.publisher, Literal(publication.publisher)))
    if publication.date and (issued := publication_date(publication.date)) is not None:
        g.add((u, DCTERMS.issued, issued))
    return u


def _action_key(action: ActionRecord, seen: Counter[str]) -> str:
    """'23' when the document numbers its actions, else a slug of code and label, '-2' on repeats."""
    if action.sequence is not None:
        key = f"{action.sequence:02d}"
    else:
        key = slugify(f"{action.code or ''} {action.label}", max_length=50)
    seen[key] += 1
    return key if seen[key] == 1 else f"{key}-{seen[key]}"


def _add_action(g: Graph, registry: Graph, uris: Uris, a: URIRef, action: ActionRecord, nis: str,
                plan: URIRef | None, doc_uri: URIRef, axes_scheme: str) -> None:
    """A live action (pcs:Action), or one its source says was removed from the plan (pcs:DroppedAction):
    the latter keeps its label, commune, plan and provenance but no type and no classification."""
    g.add((a, RDF.type, PCS.DroppedAction if action.dropped else PCS.Action))
    g.add((a, RDFS.label, Literal(action.label, lang=FR)))
    g.add((a, PCS.commune, uris.commune(nis)))
    if plan is not None:
        g.add((a, PCS.plan, plan))
    g.add((a, PROV.wasDerivedFrom, doc_uri))
    if action.note and action.dropped:
        g.add((a, RDFS.comment, Literal(action.note)))
    if action.citation:
        g.add((a, DCTERMS.bibliographicCitation, Literal(action.citation)))
    if action.description:
        g.add((a, DCTERMS.description, Literal(action.description, lang=FR)))
    if action.heading:
        g.add((a, PCS.sourceHeading, Literal(action.heading, lang=FR)))
    if action.span.line is not None:
        g.add((a, PCS.sourceLine, Literal(action.span.line, datatype=XSD.integer)))
    if action.span.page is not None:
        g.add((a, PCS.sourcePage, Literal(action.span.page, datatype=XSD.integer)))
    if action.span.text:
        g.add((a, PCS.sourceText, Literal(action.span.text)))
        g.add((a, PCS.contentHash, Literal(hashlib.sha256(action.span.text.encode()).hexdigest())))
    if action.sequence is not None:
        g.add((a, PCS.sequenceNumber, Literal(action.sequence, datatype=XSD.integer)))
    if action.code and not action.dropped:
        code = parse_code(action.code)
        g.add((a, PCS.actionType, uris.action_type(action.code)))
        g.add((a, PCS.axis, uris.axis(code.axis)))
        g.add((a, PCS.classificationStatus, PCS.Declared))
        g.add((a, PCS.codeAsPrinted, Literal(action.code_as_printed or action.code)))
    elif action.code:
        g.add((a, PCS.codeAsPrinted, Literal(action.code_as_printed or action.code)))
    elif action.stated_axis:
        g.add((a, PCS.axis, uris.axis(action.stated_axis, axes_scheme)))
    for public in action.target_publics:
        g.add((a, PCS.targetPublic, Literal(public, lang=FR)))
    for p in action.partners:
        pu = uris.partner(p.name)
        if (pu, RDF.type, PCS.Partner) not in registry:  # first spelling of a partner names it
            registry.add((pu, RDF.type, PCS.Partner))
            registry.add((pu, RDFS.label, Literal(p.name)))
            if p.kind in PARTNER_KINDS:
                registry.add((pu, PCS.partnerKind, PCS[p.kind]))
        g.add((a, PCS.partner, pu))
        if p.article20:
            g.add((a, PCS.article20Partner, pu))
