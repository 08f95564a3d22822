"""Records → RDF: one graph per document, and its share of the nomenclature and registry graphs.

    triples = document_graph(Uris(), doc, "mons_pcs_2020-2025.txt", Programmes.load())   # DocumentTriples
    len(triples.document), [t.code for t in triples.learned], triples.actions[0].uri

Triples are written as N-Triples text (`ntriples.py`): a regional export of 10,000 actions is written
in one atomic SPARQL update without building an rdflib Graph. URIs come from `Uris`, terms from
`vocab`; the reference graph is built in `reference_graph.py`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rdflib.namespace import XSD

from ..text import slugify
from .nomenclature import Code, parse_code
from .ntriples import Triples, iri, literal
from .programmes import Programmes
from .records import ActionRecord, PlanDocument, Publication
from .reference import joint_plan_leads
from .sheet import PARTNER_KINDS, PracticeSheet, sheet_triples
from .sources import publication_date, source_kind
from .uris import Uris
from .vocab import DCTERMS, PCS, PROV, RDF, RDFS, SKOS

FR = "fr"
UNDATED = "undated"  # the period segment of the URIs of actions whose source gives no programme

A = iri(RDF.type)
LABEL, COMMENT = iri(RDFS.label), iri(RDFS.comment)
NOTATION, BROADER, IN_SCHEME = iri(SKOS.notation), iri(SKOS.broader), iri(SKOS.inScheme)
P = {name: iri(PCS[name]) for name in (
    "commune", "leadCommune", "programme", "plan", "axis", "theme", "actionType", "classificationStatus",
    "codeAsPrinted", "sourceHeading", "sourceLine", "sourcePage", "sourceText", "contentHash", "sequenceNumber",
    "targetPublic", "partner", "article20Partner", "partnerKind", "fileName", "parser", "documentNumber",
    "documentStatus", "printDate", "learnedFrom", "projectLeader")}
C = {name: iri(PCS[name]) for name in (
    "Plan", "Theme", "ActionType", "Action", "DroppedAction", "Declared", "Partner", "Publication", "SourceDocument")}
D_TITLE, D_TYPE, D_SOURCE, D_DESCRIPTION = iri(DCTERMS.title), iri(DCTERMS.type), iri(DCTERMS.source), iri(DCTERMS.description)
D_PUBLISHER, D_ISSUED, D_CITATION = iri(DCTERMS.publisher), iri(DCTERMS.issued), iri(DCTERMS.bibliographicCitation)
DERIVED_FROM = iri(PROV.wasDerivedFrom)
INTEGER, DATE = str(XSD.integer), str(XSD.date)


def plan_triples(t: Triples, uris: Uris, lead_nis: str, period: str) -> str:
    """The plan of a commune for a programme: the same URI whichever document or fact mentions it."""
    plan, commune = iri(uris.plan(lead_nis, period)), iri(uris.commune(lead_nis))
    t.add(plan, A, C["Plan"])
    t.add(plan, P["commune"], commune)
    t.add(plan, P["leadCommune"], commune)
    t.add(plan, P["programme"], iri(uris.programme(period)))
    return plan


# --- nomenclature -----------------------------------------------------------------------------

@dataclass(frozen=True)
class LearnedType:
    """An action type as one document prints it: its code and the label next to it."""

    code: str
    label: str


def action_type_triples(t: Triples, uris: Uris, code: Code) -> str:
    """The structural triples of an action type and its theme (no label: labels are chosen by the store)."""
    scheme = iri(uris.scheme("nomenclature"))
    axis, theme, action_type = iri(uris.axis(code.axis)), iri(uris.theme(code.theme_code)), iri(uris.action_type(str(code)))
    t.add(theme, A, C["Theme"])
    t.add(theme, NOTATION, literal(code.theme_code))
    t.add(theme, BROADER, axis)
    t.add(theme, P["axis"], axis)
    t.add(theme, IN_SCHEME, scheme)
    t.add(action_type, A, C["ActionType"])
    t.add(action_type, NOTATION, literal(str(code)))
    t.add(action_type, BROADER, theme)
    t.add(action_type, P["theme"], theme)
    t.add(action_type, P["axis"], axis)
    t.add(action_type, IN_SCHEME, scheme)
    return action_type


# --- documents --------------------------------------------------------------------------------

@dataclass(frozen=True)
class WrittenAction:
    """An action the document writes: its URI, the line it was read from, whether it is typed or dropped."""

    uri: str
    line: int | None
    typed: bool
    dropped: bool


@dataclass
class DocumentTriples:
    """What one document states: its own graph, and its share of the shared graphs."""

    document: Triples  # the document, its actions, its provenance: replaced with the document
    nomenclature: Triples  # structure of the action types and themes it prints (graph/nomenclature)
    plans: Triples  # core triples of the plans it names (graph/registry)
    publications: Triples  # the publications its actions are read from (graph/registry, last write wins)
    partners: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # URI -> (first spelling, kind)
    actions: list[WrittenAction] = field(default_factory=list)
    learned: list[LearnedType] = field(default_factory=list)


def document_graph(uris: Uris, doc: PlanDocument, doc_id: str, programmes: Programmes,
                   joint_plans: Mapping[tuple[str, str], str] | None = None) -> DocumentTriples:
    """The triples one document states, and the action types it teaches the nomenclature.

    An action of a commune that shares a joint plan in its programme belongs to that plan (the lead
    commune's): `joint_plans` maps (NIS, programme) to the lead's NIS (default: the reference facts)."""
    leads = joint_plans if joint_plans is not None else _joint_plans()
    out = DocumentTriples(Triples(), Triples(), Triples(), Triples())
    g = out.document
    doc_uri = iri(uris.document(doc_id))
    g.add(doc_uri, A, C["SourceDocument"])
    g.add(doc_uri, P["fileName"], literal(doc.file_name))
    g.add(doc_uri, P["contentHash"], literal(doc.content_hash))
    g.add(doc_uri, P["parser"], literal(doc.parser))
    if doc.title:
        g.add(doc_uri, D_TITLE, literal(doc.title, lang=FR))
    if doc.document_number:
        g.add(doc_uri, P["documentNumber"], literal(doc.document_number))
    if doc.status:
        g.add(doc_uri, P["documentStatus"], literal(doc.status, lang=FR))
    if doc.printed_on:
        g.add(doc_uri, P["printDate"], literal(doc.printed_on, datatype=DATE))
    if doc.publication:
        g.add(doc_uri, D_SOURCE, publication_triples(out.publications, doc.publication))

    learned: dict[str, LearnedType] = {}
    keys: Counter[str] = Counter()
    schemes = {p.code: p.axes_scheme for p in programmes.all}
    for action in doc.actions:
        nis = action.commune or doc.nis
        period = action.programme or doc.programme
        assert nis is not None, "parse_document resolves every action's commune"
        plan = plan_triples(out.plans, uris, leads.get((nis, period), nis), period) if period else None
        if plan is not None and doc.project_leader and nis == doc.nis:
            g.add(plan, P["projectLeader"], literal(doc.project_leader))
        a = str(uris.action(nis, period or UNDATED, _action_key(action, keys)))
        _add_action(out, uris, iri(a), action, nis, plan, doc_uri, schemes.get(period or "", "nomenclature"))
        out.actions.append(WrittenAction(a, action.span.line, bool(action.code) and not action.dropped, action.dropped))
        publication = action.publication or doc.publication
        if publication:
            g.add(iri(a), D_SOURCE, publication_triples(out.publications, publication))
        if action.dropped or not action.code:
            continue
        code = parse_code(action.code)
        action_type_triples(out.nomenclature, uris, code)
        if action.code not in learned:
            learned[action.code] = LearnedType(action.code, action.label)
            g.add(iri(uris.action_type(action.code)), P["learnedFrom"], doc_uri)
            g.add(iri(uris.theme(code.theme_code)), P["learnedFrom"], doc_uri)
    out.learned = list(learned.values())
    return out


@lru_cache(maxsize=1)
def _joint_plans() -> dict[tuple[str, str], str]:
    """The joint plans of the reference data, read once on first use."""
    return joint_plan_leads()


def publication_triples(t: Triples, publication: Publication) -> str:
    """A publication: its address is its IRI; its kind, and its title, publisher and date where known."""
    u = iri(publication.url)
    t.add(u, A, C["Publication"])
    t.add(u, D_TYPE, iri(source_kind(publication.kind)))
    if publication.title:
        t.add(u, D_TITLE, literal(publication.title, lang=FR))
    if publication.publisher:
        t.add(u, D_PUBLISHER, literal(publication.publisher))
    if publication.date and (issued := publication_date(publication.date)) is not None:
        t.add(u, D_ISSUED, literal(issued, datatype=str(issued.datatype)))
    return u


def _action_key(action: ActionRecord, seen: Counter[str]) -> str:
    """'23' when the document numbers its actions, else a slug of code and label, '-2' on repeats."""
    if action.sequence is not None:
        key = f"{action.sequence:02d}"
    else:
        key = slugify(f"{action.code or ''} {action.label}", max_length=50)
    seen[key] += 1
    return key if seen[key] == 1 else f"{key}-{seen[key]}"


def _add_action(out: DocumentTriples, uris: Uris, a: str, action: ActionRecord, nis: str, plan: str | None,
                doc_uri: str, axes_scheme: str) -> None:
    """A live action (pcs:Action), or one its source says was removed from the plan (pcs:DroppedAction):
    the latter keeps its label, commune, plan and provenance but no type and no classification."""
    g = out.document
    g.add(a, A, C["DroppedAction"] if action.dropped else C["Action"])
    g.add(a, LABEL, literal(action.label, lang=FR))
    g.add(a, P["commune"], iri(uris.commune(nis)))
    if plan is not None:
        g.add(a, P["plan"], plan)
    g.add(a, DERIVED_FROM, doc_uri)
    if action.note and action.dropped:
        g.add(a, COMMENT, literal(action.note))
    if action.citation:
        g.add(a, D_CITATION, literal(action.citation))
    if action.heading:
        g.add(a, P["sourceHeading"], literal(action.heading, lang=FR))
    if action.span.line is not None:
        g.add(a, P["sourceLine"], literal(action.span.line, datatype=INTEGER))
    if action.span.page is not None:
        g.add(a, P["sourcePage"], literal(action.span.page, datatype=INTEGER))
    if action.span.text:
        g.add(a, P["sourceText"], literal(action.span.text))
        g.add(a, P["contentHash"], literal(hashlib.sha256(action.span.text.encode()).hexdigest()))
    if action.sequence is not None:
        g.add(a, P["sequenceNumber"], literal(action.sequence, datatype=INTEGER))
    if action.code:
        g.add(a, P["codeAsPrinted"], literal(action.code_as_printed or action.code))
    if action.code and not action.dropped:
        g.add(a, P["actionType"], iri(uris.action_type(action.code)))
        g.add(a, P["axis"], iri(uris.axis(parse_code(action.code).axis)))
        g.add(a, P["classificationStatus"], C["Declared"])
    elif action.stated_axis and not action.code:
        g.add(a, P["axis"], iri(uris.axis(action.stated_axis, axes_scheme)))
    sheet = action.sheet or PracticeSheet()
    sheet_triples(g, uris, a, replace(sheet, description=sheet.description or action.description,
                                      publics_read=tuple(dict.fromkeys(sheet.publics_read + action.target_publics))))
    for p in action.partners:
        pu = str(uris.partner(p.name))
        out.partners.setdefault(pu, (p.name, p.kind if p.kind in PARTNER_KINDS else None))  # the first spelling names it
        g.add(a, P["partner"], iri(pu))
        if p.article20:
            g.add(a, P["article20Partner"], iri(pu))
