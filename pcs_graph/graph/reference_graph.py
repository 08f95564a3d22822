"""The reference graph: the 262 communes, their arrondissements and provinces, programmes, axes and
their rights, and the plans' facts (joint plans, delegation to a CPAS, subsidies).

    reference, registry = reference_graph(Uris(), CommuneDirectory.load(), load_axes())

Plans are shared with the documents that mention them, so their core triples go to the registry graph.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from .model import FR, new_graph, plan_triples
from .reference import Axis, Commune, CommuneDirectory, read_csv
from .uris import Uris
from .vocab import DCTERMS, PCS, RDF, RDFS, SCHEMA, SKOS, WD


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
