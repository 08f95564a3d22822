"""The RDF vocabularies pcs-graph writes: the project's own `pcs:` terms and the reused ones.

Every term the code emits is named here once, so the ontology in `ontology/pcs.ttl` and the
code cannot drift apart silently (a test checks that each `PCS.x` used here is declared there).
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

PCS = Namespace("https://w3id.org/pcs/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
WD = Namespace("http://www.wikidata.org/entity/")
REFNIS2019 = Namespace("http://vocab.belgif.be/auth/refnis2019/")
REFNIS2025 = Namespace("http://vocab.belgif.be/auth/refnis2025/")
GEONAMES = Namespace("https://sws.geonames.org/")

PREFIXES: dict[str, str] = {
    "pcs": str(PCS),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "schema": str(SCHEMA),
    "rdfs": str(RDFS),
    "rdf": str(RDF),
    "owl": str(OWL),
    "xsd": str(XSD),
    "dcat": str(DCAT),
    "void": str(VOID),
}


def sparql_prefixes() -> str:
    """The PREFIX lines every query of the project starts with."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())


__all__ = [
    "PCS", "ORG", "SCHEMA", "VOID", "WD", "REFNIS2019", "REFNIS2025", "GEONAMES",
    "DCAT", "DCTERMS", "OWL", "PROV", "RDF", "RDFS", "SKOS", "XSD", "PREFIXES", "sparql_prefixes",
]
