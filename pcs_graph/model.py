"""Records → RDF. The reference graph (communes, axes, plans' facts) and one graph per document.

Every function returns an rdflib Graph; URIs come from `Uris`, terms from `vocab`.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .nomenclature import Code, parse_code
from .records import ActionRecord, PlanDocument
from .reference import Axis, Commune, CommuneDirectory, read_csv
from .text import slugify
from .uris import Uris
from .vocab import DCTERMS, PCS, PROV, RDF, RDFS, SCHEMA, SKOS, WD

FR = "fr"
PARTNER_KINDS = {"ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner"}


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in (("pcs", PCS), ("skos", SKOS), ("dcterms", DCTERMS), ("prov", PROV), ("schema", SCHEMA)):
        g.bind(prefix, ns)
    return g


# --- reference graph --------------------------------------------------------------------------

def reference_graph(uris: Uris, communes: CommuneDirectory, axes: list[Axis]) -> tuple[Graph, Graph]:
    """The reference graph, and the core triples of the plans it mentions (for the registry graph).

    Plans, partners and the nomenclature's structure are shared by several sources; they are kept in
    shared graphs so that no triple stands in two graphs (the union default graph would count it twice).
    """
    g, registry = new_graph(), new_graph()
    _add_programmes(g, uris)
    for commune in communes.communes:
        _add_commune(g, uris, commune)
    for axis in axes:
        _add_axis(g, uris, axis)
    _add_plan_facts(g, registry, uris)
    _add_subsidies(g, registry, uris)
    return g, registry


def _add_programmes(g: Graph, uris: Uris) -> None:
    for period in ("2014-2019", "2020-2025", "2026-2031"):
        p = uris.programme(period)
        g.add((p, RDF.type, PCS.Programme))
        g.add((p, SKOS.notation, Literal(period)))
        g.add((p, SKOS.prefLabel, Literal(f"Programmation PCS {period}", lang=FR)))
        g.add((p, SCHEMA.startDate, Literal(period[:4], datatype=XSD.gYear)))
        g.add((p, SCHEMA.endDate, Literal(period[5:], datatype=XSD.gYear)))


def _add_commune(g: Graph, uris: Uris, c: Commune) -> None:
    u = uris.commune(c.nis)
    g.add((u, RDF.type, PCS.Commune))
    g.add((u, PCS.nisCode, Literal(c.nis)))
    if c.nis_pre2019 != c.nis:
        g.add((u, PCS.nisCodePre2019, Literal(c.nis_pre2019)))
    if c.nis_2025 != c.nis:
        g.add((u, PCS.nisCode2025, Literal(c.nis_2025)))
    g.add((u, SKOS.prefLabel, Literal(c.name, lang=FR)))
    g.add((u, RDFS.label, Literal(c.name, lang=FR)))
    for other in c.names_other:
        g.add((u, SKOS.altLabel, Literal(other)))
    arr, prov = uris.arrondissement(c.arrondissement_nis), uris.province(c.province_nis)
    g.add((u, PCS.arrondissement, arr))
    g.add((u, PCS.province, prov))
    g.add((arr, RDF.type, PCS.Arrondissement))
    g.add((arr, PCS.nisCode, Literal(c.arrondissement_nis)))
    g.add((arr, SKOS.prefLabel, Literal(c.arrondissement, lang=FR)))
    g.add((arr, RDFS.label, Literal(c.arrondissement, lang=FR)))
    g.add((arr, PCS.province, prov))
    g.add((prov, RDF.type, PCS.Province))
    g.add((prov, PCS.nisCode, Literal(c.province_nis)))
    g.add((prov, SKOS.prefLabel, Literal(c.province, lang=FR)))
    g.add((prov, RDFS.label, Literal(c.province, lang=FR)))
    g.add((u, SCHEMA.latitude, Literal(str(c.lat), datatype=XSD.decimal)))
    g.add((u, SCHEMA.longitude, Literal(str(c.lon), datatype=XSD.decimal)))
    for postcode in c.postcodes:
        g.add((u, SCHEMA.postalCode, Literal(postcode)))
    if c.population is not None:
        g.add((u, PCS.population, Literal(c.population, datatype=XSD.integer)))
    if c.share_65plus is not None:
        g.add((u, PCS.share65Plus, Literal(str(c.share_65plus), datatype=XSD.decimal)))
    if c.share_non_belgian is not None:
        g.add((u, PCS.shareNonBelgian, Literal(str(c.share_non_belgian), datatype=XSD.decimal)))
    if c.avg_income is not None:
        g.add((u, PCS.averageNetTaxableIncome, Literal(c.avg_income, datatype=XSD.integer)))
    for match in (c.refnis2019_uri, c.refnis2025_uri):
        if match:
            g.add((u, SKOS.exactMatch, URIRef(match)))
    if c.wikidata:
        g.add((u, SKOS.exactMatch, WD[c.wikidata]))
    if c.geonames:
        g.add((u, SKOS.exactMatch, URIRef(f"https://sws.geonames.org/{c.geonames}/")))


def _add_axis(g: Graph, uris: Uris, axis: Axis) -> None:
    u = uris.axis(axis.number, axis.programme)
    label = axis.label[0].upper() + axis.label[1:]
    g.add((u, RDF.type, PCS.Axis))
    g.add((u, SKOS.notation, Literal(str(axis.number))))
    g.add((u, SKOS.prefLabel, Literal(label, lang=FR)))
    if axis.programme == "2014-2019":
        g.add((u, PCS.programme, uris.programme("2014-2019")))
        g.add((u, SKOS.inScheme, uris.scheme("axes-2014-2019")))
        g.add((u, SKOS.topConceptOf, uris.scheme("axes-2014-2019")))
        return
    for period in ("2020-2025", "2026-2031"):
        g.add((u, PCS.programme, uris.programme(period)))
    scheme = uris.scheme("nomenclature")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("Nomenclature des actions PCS (axe.thème.action)", lang=FR)))
    g.add((u, SKOS.inScheme, scheme))
    g.add((u, SKOS.topConceptOf, scheme))
    for k, right in enumerate(axis.rights, start=1):
        r = uris.right(axis.number, k)
        g.add((u, PCS.right, r))
        g.add((r, RDF.type, PCS.FundamentalRight))
        g.add((r, SKOS.prefLabel, Literal(right[0].upper() + right[1:], lang=FR)))
        g.add((r, SKOS.notation, Literal(f"{axis.number}-{k}")))


def _add_plan_facts(g: Graph, registry: Graph, uris: Uris) -> None:
    """Joint plans, communes without a PCS, plans delegated to a CPAS (reference/pcs_local_authority_facts.csv)."""
    rows = read_csv("pcs_local_authority_facts.csv")
    leads = {r["commune"]: r["nis_code"] for r in rows if r["fact"] == "joint_plan_lead"}
    for r in rows:
        period, nis, fact = r["programme"], r["nis_code"], r["fact"]
        if fact == "no_pcs":
            g.add((uris.commune(nis), PCS.withoutPlanIn, uris.programme(period)))
            continue
        if fact == "joint_plan_member":
            lead_name = r["detail"].rsplit(" avec ", 1)[-1].strip()
            lead = leads[lead_name]
            plan = plan_triples(registry, uris, lead, period)
            g.add((plan, PCS.commune, uris.commune(nis)))
            continue
        plan = plan_triples(registry, uris, nis, period)
        if fact == "pcs_delegated_to_cpas":
            g.add((plan, PCS.delegatedToCPAS, Literal(True)))
        elif fact == "axes_covered":
            for n in "1234567":
                if f" {n}" in r["detail"].split("(")[0].replace(",", " "):
                    g.add((plan, PCS.axisCovered, uris.axis(n)))
        g.add((plan, DCTERMS.source, Literal(r["source"])))


def plan_triples(g: Graph, uris: Uris, lead_nis: str, period: str) -> URIRef:
    """The plan of a commune for a programme: the same URI whichever document or fact mentions it."""
    plan = uris.plan(lead_nis, period)
    g.add((plan, RDF.type, PCS.Plan))
    g.add((plan, PCS.commune, uris.commune(lead_nis)))
    g.add((plan, PCS.leadCommune, uris.commune(lead_nis)))
    g.add((plan, PCS.programme, uris.programme(period)))
    return plan


def _add_subsidies(g: Graph, registry: Graph, uris: Uris) -> None:
    for r in read_csv("pcs_subsidies_partial.csv"):
        year = int(r["year"])
        period = "2020-2025" if 2020 <= year <= 2025 else "2026-2031"
        plan = plan_triples(registry, uris, r["nis_code"], period)
        s = uris.subsidy(r["nis_code"], period, year)
        g.add((plan, PCS.subsidy, s))
        g.add((s, RDF.type, PCS.Subsidy))
        g.add((s, PCS.year, Literal(str(year), datatype=XSD.gYear)))
        g.add((s, SCHEMA.amount, Literal(r["amount_eur"], datatype=XSD.decimal)))
        g.add((s, SCHEMA.currency, Literal("EUR")))
        g.add((s, PCS.beneficiaryKind, Literal(r["beneficiary_type"])))
        g.add((s, RDFS.label, Literal(f"Subvention PCS {year} : {r['label_as_printed']}", lang=FR)))
        g.add((s, DCTERMS.source, Literal(r["source"])))


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

@dataclass
class DocumentTriples:
    """What one document states: its own graph, and its share of the shared graphs."""

    document: Graph  # the document, its actions, its provenance: replaced with the document
    nomenclature: Graph  # structure of the action types and themes it prints (graph/nomenclature)
    registry: Graph  # core triples of the plans and partners it names (graph/registry)
    learned: list[LearnedType]


def document_graph(uris: Uris, doc: PlanDocument, doc_id: str) -> DocumentTriples:
    """The triples one document states, and the action types it teaches the nomenclature."""
    g, nomenclature, registry = new_graph(), new_graph(), new_graph()
    doc_uri = uris.document(doc_id)
    g.add((doc_uri, RDF.type, PCS.SourceDocument))
    g.add((doc_uri, PCS.fileName, Literal(doc.file_name)))
    g.add((doc_uri, PCS.contentHash, Literal(doc.content_hash)))
    g.add((doc_uri, PCS.parser, Literal(doc.parser)))
    if doc.title:
        g.add((doc_uri, DCTERMS.title, Literal(doc.title, lang=FR)))

    learned: dict[str, LearnedType] = {}
    keys: Counter[str] = Counter()
    for action in doc.actions:
        nis = action.commune or doc.nis
        period = action.programme or doc.programme or "2020-2025"
        assert nis is not None, "parse_document resolves every action's commune"
        plan = plan_triples(registry, uris, nis, period)
        if doc.project_leader and nis == doc.nis:
            g.add((plan, PCS.projectLeader, Literal(doc.project_leader)))
        key = _action_key(action, keys)
        a = uris.action(nis, period, key)
        _add_action(g, registry, uris, a, action, nis, plan, doc_uri, period)
        if action.code:
            action_type_triples(nomenclature, uris, parse_code(action.code))
        if action.code and action.code not in learned:
            learned[action.code] = LearnedType(action.code, action.label)
            g.add((uris.action_type(action.code), PCS.learnedFrom, doc_uri))
            g.add((uris.theme(parse_code(action.code).theme_code), PCS.learnedFrom, doc_uri))
    return DocumentTriples(g, nomenclature, registry, list(learned.values()))


def _action_key(action: ActionRecord, seen: Counter[str]) -> str:
    """'23' when the document numbers its actions, else a slug of code and label, '-2' on repeats."""
    if action.sequence is not None:
        key = f"{action.sequence:02d}"
    else:
        key = slugify(f"{action.code or ''} {action.label}", max_length=50)
    seen[key] += 1
    return key if seen[key] == 1 else f"{key}-{seen[key]}"


def _add_action(g: Graph, registry: Graph, uris: Uris, a: URIRef, action: ActionRecord, nis: str, plan: URIRef,
                doc_uri: URIRef, period: str) -> None:
    g.add((a, RDF.type, PCS.Action))
    g.add((a, RDFS.label, Literal(action.label, lang=FR)))
    g.add((a, PCS.commune, uris.commune(nis)))
    g.add((a, PCS.plan, plan))
    g.add((a, PROV.wasDerivedFrom, doc_uri))
    if action.description:
        g.add((a, DCTERMS.description, Literal(action.description, lang=FR)))
    if action.span.line is not None:
        g.add((a, PCS.sourceLine, Literal(action.span.line, datatype=XSD.integer)))
    if action.span.page is not None:
        g.add((a, PCS.sourcePage, Literal(action.span.page, datatype=XSD.integer)))
    if action.span.text:
        g.add((a, PCS.sourceText, Literal(action.span.text)))
        g.add((a, PCS.contentHash, Literal(hashlib.sha256(action.span.text.encode()).hexdigest())))
    if action.sequence is not None:
        g.add((a, PCS.sequenceNumber, Literal(action.sequence, datatype=XSD.integer)))
    if action.code:
        code = parse_code(action.code)
        g.add((a, PCS.actionType, uris.action_type(action.code)))
        g.add((a, PCS.axis, uris.axis(code.axis)))
        g.add((a, PCS.classificationStatus, PCS.Declared))
        g.add((a, PCS.codeAsPrinted, Literal(action.code_as_printed or action.code)))
    elif action.stated_axis:
        g.add((a, PCS.axis, uris.axis(action.stated_axis, period)))
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

