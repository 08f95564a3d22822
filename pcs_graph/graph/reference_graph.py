"""The reference graph: the 262 communes, their arrondissements and provinces, programmes, axes and
their rights, and the plans' facts (joint plans, delegation to a CPAS, subsidies).

    reference, registry = reference_graph(Uris(), CommuneDirectory.load(), load_axes())

Plans are shared with the documents that mention them, so their core triples go to the registry graph.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .likeness import Likeness, likeness_triples
from .model import FR, plan_triples
from .ntriples import Triples
from .programmes import Programmes
from .reference import Axis, Commune, CommuneDirectory, read_csv
from .uris import Uris
from .vocab import DCTERMS, PCS, RDF, RDFS, SCHEMA, SKOS, WD

AXES_SCHEMES = {"nomenclature": "Nomenclature des actions PCS (axe.thème.action)",
                "axes-2014-2019": "Axes des programmations 2009-2013 et 2014-2019"}


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in (("pcs", PCS), ("skos", SKOS), ("dcterms", DCTERMS), ("schema", SCHEMA)):
        g.bind(prefix, ns)
    return g


def reference_graph(uris: Uris, communes: CommuneDirectory, axes: list[Axis],
                    programmes: Programmes) -> tuple[Graph, Triples]:
    """The reference graph, and the core triples of the plans it mentions (for the registry graph).

    Plans, partners and the nomenclature's structure are shared by several sources; they are kept in
    shared graphs so that no triple stands in two graphs (the union default graph would count it twice).
    """
    g, registry = new_graph(), Triples()
    _add_programmes(g, uris, programmes)
    for commune in communes.communes:
        _add_commune(g, uris, commune)
    likeness_triples(g, uris, Likeness.load(communes))  # size band, urban/rural class, comparable communes
    for axis in axes:
        _add_axis(g, uris, axis, programmes)
    _add_plan_facts(g, registry, uris)
    _add_subsidies(g, registry, uris, programmes)
    return g, registry


def _add_programmes(g: Graph, uris: Uris, programmes: Programmes) -> None:
    """Each programme with its dates (xsd:date), its axes scheme and, when extended, the source of the extension."""
    for programme in programmes.all:
        p = uris.programme(programme.code)
        g.add((p, RDF.type, PCS.Programme))
        g.add((p, SKOS.notation, Literal(programme.code)))
        g.add((p, SKOS.prefLabel, Literal(programme.label, lang=FR)))
        g.add((p, SCHEMA.startDate, Literal(programme.start.isoformat(), datatype=XSD.date)))
        g.add((p, SCHEMA.endDate, Literal(programme.end.isoformat(), datatype=XSD.date)))
        g.add((p, PCS.axesScheme, uris.scheme(programme.axes_scheme)))
        if programme.extended:
            g.add((p, PCS.plannedEndDate, Literal(programme.planned_end.isoformat(), datatype=XSD.date)))
        if programme.note:
            g.add((p, RDFS.comment, Literal(programme.note, lang="en")))
        if programme.extension_source:
            source = URIRef(programme.extension_source)
            g.add((p, DCTERMS.source, source))
            g.add((source, RDF.type, PCS.Publication))
            g.add((source, DCTERMS.type, PCS.ParliamentDocument))
            g.add((source, DCTERMS.title, Literal(
                "Question écrite n° 513 (2024-2025) : la prolongation du Plan de cohésion sociale (PCS) "
                "et l'application de l'article 20", lang=FR)))
            g.add((source, DCTERMS.publisher, Literal("Parlement de Wallonie")))
            g.add((source, DCTERMS.issued, Literal("2025-03-25", datatype=XSD.date)))


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
    for other, language in c.names_by_language:  # "Bergen"@nl, "Lüttich"@de
        g.add((u, SKOS.altLabel, Literal(other, lang=language)))
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


def _add_axis(g: Graph, uris: Uris, axis: Axis, programmes: Programmes) -> None:
    """An axis in the scheme of its programme: the 4 axes of 2009-2019 or the 7 of the nomenclature."""
    of_axis = programmes.get(axis.programme)
    scheme_name = of_axis.axes_scheme if of_axis else "nomenclature"
    u = uris.axis(axis.number, scheme_name)
    scheme = uris.scheme(scheme_name)
    label = axis.label[0].upper() + axis.label[1:]
    g.add((u, RDF.type, PCS.Axis))
    g.add((u, SKOS.notation, Literal(str(axis.number))))
    g.add((u, SKOS.prefLabel, Literal(label, lang=FR)))
    for programme in programmes.all:
        if programme.axes_scheme == scheme_name:
            g.add((u, PCS.programme, uris.programme(programme.code)))
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal(AXES_SCHEMES.get(scheme_name, scheme_name), lang=FR)))
    g.add((u, SKOS.inScheme, scheme))
    g.add((u, SKOS.topConceptOf, scheme))
    for k, right in enumerate(axis.rights, start=1):
        r = uris.right(axis.number, k)
        g.add((u, PCS.right, r))
        g.add((r, RDF.type, PCS.FundamentalRight))
        g.add((r, SKOS.prefLabel, Literal(right[0].upper() + right[1:], lang=FR)))
        g.add((r, SKOS.notation, Literal(f"{axis.number}-{k}")))


def _add_plan_facts(g: Graph, registry: Triples, uris: Uris) -> None:
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
            plan = _plan(registry, uris, lead, period)
            g.add((plan, PCS.commune, uris.commune(nis)))
            continue
        plan = _plan(registry, uris, nis, period)
        if fact == "pcs_delegated_to_cpas":
            g.add((plan, PCS.delegatedToCPAS, Literal(True)))
        elif fact == "axes_covered":
            for n in "1234567":
                if f" {n}" in r["detail"].split("(")[0].replace(",", " "):
                    g.add((plan, PCS.axisCovered, uris.axis(n)))
        g.add((plan, DCTERMS.source, Literal(r["source"])))


def _add_subsidies(g: Graph, registry: Triples, uris: Uris, programmes: Programmes) -> None:
    for r in read_csv("pcs_subsidies_partial.csv"):
        year = int(r["year"])
        programme = programmes.containing(year)
        if programme is None:  # a subsidy of a programme not in the reference data yet
            continue
        period = programme.code
        plan = _plan(registry, uris, r["nis_code"], period)
        s = uris.subsidy(r["nis_code"], period, year)
        g.add((plan, PCS.subsidy, s))
        g.add((s, RDF.type, PCS.Subsidy))
        g.add((s, PCS.year, Literal(str(year), datatype=XSD.gYear)))
        g.add((s, SCHEMA.amount, Literal(r["amount_eur"], datatype=XSD.decimal)))
        g.add((s, SCHEMA.currency, Literal("EUR")))
        g.add((s, PCS.beneficiaryKind, Literal(r["beneficiary_type"])))
        g.add((s, RDFS.label, Literal(f"Subvention PCS {year} : {r['label_as_printed']}", lang=FR)))
        g.add((s, DCTERMS.source, Literal(r["source"])))


def _plan(registry: Triples, uris: Uris, lead_nis: str, period: str) -> URIRef:
    """A plan's core triples in the registry (as documents write them), and its URI for the reference graph."""
    return URIRef(plan_triples(registry, uris, lead_nis, period)[1:-1])
