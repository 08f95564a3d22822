"""The dataset's description, VoID and DCAT-AP 3, at /.well-known/void and /dataset.

    graph = dataset_graph(services, "http://host/", state, dumps, Publisher.from_settings(settings))

DCAT-AP 3: a dcat:Catalog (title, description, publisher, homepage, language, licence, themes,
modified) holding the dcat:Dataset (title, description, contact point, publisher, keywords, themes
— the EU data theme SOCI —, spatial coverage — Wallonia as NUTS BE3 and Wikidata Q231 —, temporal
coverage from the programmes of the plans in the store, language, licence, issued and modified as
recorded by the store's writes) and one dcat:Distribution per dump format (download URL, media type,
EU file type, licence, availability, byte size and SHA-256 checksum of the file served now), plus the
SPARQL endpoint as a dcat:DataService. Who publishes and how to reach them is configured, never
guessed:

| setting (extra key / environment)        | default                                  |
| ---------------------------------------- | ---------------------------------------- |
| `publisher_name` / `PCS_PUBLISHER_NAME`  | « Projet pcs-graph »                     |
| `publisher_uri` / `PCS_PUBLISHER_URI`    | (none: a blank node)                     |
| `contact_email` / `PCS_CONTACT_EMAIL`    | (none)                                   |
| `contact_url` / `PCS_CONTACT_URL`        | the service's home page                  |
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from pcs_graph.config import Settings
from pcs_graph.graph.vocab import PCS, VOID
from pcs_graph.store.state import StoreState

from .dumps import DUMP_FORMATS, FILE_TYPES, Dump
from .rdf_http import RDF_DOC, graph_body, jsonld_context, negotiated_rdf, rdf_response, shown_as
from .services import Services, get_services

router = APIRouter(tags=["Données liées"])

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
LICENCE = URIRef(EU + "licence/CC_BY_4_0")
LANGUAGE = URIRef(EU + "language/FRA")
THEME = URIRef(EU + "data-theme/SOCI")
THEMES = URIRef(EU + "data-theme")
WALLONIA = (URIRef("http://data.europa.eu/nuts/code/BE3"), URIRef("http://www.wikidata.org/entity/Q231"))
AVAILABLE = URIRef(EU + "planned-availability/AVAILABLE")
IRREGULAR = URIRef(EU + "frequency/IRREG")
IANA = "http://www.iana.org/assignments/media-types/"
KEYWORDS = ("cohésion sociale", "plan de cohésion sociale", "Wallonie", "communes", "action sociale",
            "données liées")


@dataclass(frozen=True)
class Publisher:
    name: str = "Projet pcs-graph"
    uri: str | None = None
    email: str | None = None
    url: str | None = None

    @classmethod
    def from_settings(cls, settings: Settings, environ: dict[str, str] | None = None) -> "Publisher":
        env = os.environ if environ is None else environ

        def get(key: str) -> str | None:
            return settings.extra.get(key) or env.get(f"PCS_{key.upper()}") or None

        return cls(get("publisher_name") or cls.name, get("publisher_uri"), get("contact_email"),
                   get("contact_url"))


def _counts(services: Services) -> tuple[dict, list, int, list]:
    store = services.store
    counts = store.select("SELECT (COUNT(*) AS ?triples) (COUNT(DISTINCT ?s) AS ?subjects) "
                          "WHERE { GRAPH ?g { ?s ?p ?o } }")[0]
    classes = store.select("""
        SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
          VALUES ?class { pcs:Action pcs:Commune pcs:Plan pcs:Partner pcs:ActionType pcs:SourceDocument }
          ?x a ?class } GROUP BY ?class""")
    used = store.select("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?a a pcs:Action ; pcs:commune ?c }")
    periods = store.select("""
        SELECT (MIN(?start) AS ?from) (MAX(?end) AS ?to) WHERE {
          ?plan a pcs:Plan ; pcs:programme ?p . ?p schema:startDate ?start ; schema:endDate ?end }""")
    return counts, classes, int(used[0]["n"] or 0), periods


def dataset_graph(services: Services, public: str, state: StoreState, dumps: list[Dump],
                  publisher: Publisher) -> Graph:
    counts, classes, communes, periods = _counts(services)
    uris = services.workspace.uris
    g = Graph()
    d = uris.dataset()
    catalogue = URIRef(uris.base + "catalogue")
    title = Literal("Plans de cohésion sociale de Wallonie : graphe de connaissances", lang="fr")
    description = Literal(
        "Actions des Plans de cohésion sociale (PCS) des communes wallonnes, classées selon la nomenclature "
        "axe.thème.action, avec leurs communes, partenaires et documents sources.", lang="fr")

    # named blank nodes: the same description serialises to the same bytes (a stable ETag)
    agent = URIRef(publisher.uri) if publisher.uri else BNode("publisher")
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, FOAF.name, Literal(publisher.name, lang="fr")))
    contact = BNode("contact")
    g.add((contact, RDF.type, VCARD.Kind))
    g.add((contact, VCARD.fn, Literal(publisher.name, lang="fr")))
    g.add((contact, VCARD.hasURL, URIRef(publisher.url or public)))
    if publisher.email:
        g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{publisher.email.removeprefix('mailto:')}")))

    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal("Catalogue du graphe des Plans de cohésion sociale", lang="fr")))
    g.add((catalogue, DCTERMS.description, Literal(
        "Le jeu de données pcs-graph et ses distributions (exports RDF, endpoint SPARQL).", lang="fr")))
    g.add((catalogue, DCTERMS.publisher, agent))
    g.add((catalogue, FOAF.homepage, URIRef(public)))
    g.add((catalogue, DCAT.dataset, d))
    g.add((catalogue, DCAT.themeTaxonomy, THEMES))
    for p, o in ((DCTERMS.language, LANGUAGE), (DCTERMS.license, LICENCE)):
        g.add((catalogue, p, o))

    for t in (VOID.Dataset, DCAT.Dataset):
        g.add((d, RDF.type, t))
    g.add((d, DCTERMS.title, title))
    g.add((d, DCTERMS.description, description))
    g.add((d, DCTERMS.identifier, Literal(str(d))))
    g.add((d, DCTERMS.publisher, agent))
    g.add((d, DCAT.contactPoint, contact))
    g.add((d, DCAT.theme, THEME))
    g.add((d, DCTERMS.language, LANGUAGE))
    g.add((d, DCTERMS.license, LICENCE))
    g.add((d, DCTERMS.accrualPeriodicity, IRREGULAR))
    g.add((d, DCTERMS.conformsTo, URIRef(str(PCS).rstrip("#"))))
    for keyword in KEYWORDS:
        g.add((d, DCAT.keyword, Literal(keyword, lang="fr")))
    for place in WALLONIA:
        g.add((d, DCTERMS.spatial, place))
    for moment, p in ((state.issued, DCTERMS.issued), (state.modified, DCTERMS.modified)):
        if moment is not None:
            for target in (d, catalogue):
                g.add((target, p, Literal(moment, datatype=XSD.dateTime)))  # as the store records it
    if periods and periods[0]["from"] and periods[0]["to"]:
        period = BNode("period")
        g.add((d, DCTERMS.temporal, period))
        g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        g.add((period, DCAT.startDate, Literal(periods[0]["from"], datatype=XSD.date)))  # the programmes' dates
        g.add((period, DCAT.endDate, Literal(periods[0]["to"], datatype=XSD.date)))
    g.add((d, DCAT.landingPage, URIRef(public)))
    g.add((d, DCTERMS.coverage, Literal(f"{communes} communes avec des actions", lang="fr")))

    g.add((d, VOID.uriSpace, Literal(services.settings.base_uri)))
    g.add((d, VOID.vocabulary, URIRef(str(PCS))))
    g.add((d, VOID.sparqlEndpoint, URIRef(f"{public}sparql")))
    g.add((d, VOID.triples, Literal(int(counts["triples"] or 0), datatype=XSD.integer)))
    g.add((d, VOID.distinctSubjects, Literal(int(counts["subjects"] or 0), datatype=XSD.integer)))
    g.add((d, VOID.rootResource, URIRef(str(uris.scheme("nomenclature")))))
    for row in classes:
        part = BNode("partition-" + str(row["class"] or "").rsplit("#", 1)[-1])
        g.add((d, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(row["class"] or "")))
        g.add((part, VOID.entities, Literal(int(row["n"] or 0), datatype=XSD.integer)))

    for dump in dumps:
        _distribution(g, d, public, dump)
    _sparql_service(g, d, public)
    return g


def _distribution(g: Graph, d: URIRef, public: str, dump: Dump) -> None:
    url = URIRef(f"{public}dump?format={dump.ext}")
    dist = URIRef(f"{public}dataset#dump-{dump.ext}")
    g.add((d, VOID.dataDump, url))
    g.add((d, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal(f"Export complet ({dump.ext})", lang="fr")))
    g.add((dist, DCTERMS.description, Literal(
        "Tout le graphe, reconstruit après chaque écriture ; gzip sur demande (Accept-Encoding)."
        + (" Les graphes nommés sont conservés." if dump.ext in ("nq", "trig") else ""), lang="fr")))
    g.add((dist, DCAT.accessURL, url))
    g.add((dist, DCAT.downloadURL, url))
    g.add((dist, DCAT.mediaType, URIRef(IANA + dump.media_type)))
    g.add((dist, DCTERMS.format, URIRef(EU + "file-type/" + FILE_TYPES[dump.ext])))
    g.add((dist, DCTERMS.license, LICENCE))
    g.add((dist, DCATAP.availability, AVAILABLE))
    g.add((dist, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
    checksum = BNode(f"checksum-{dump.ext}")
    g.add((dist, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    if dump.state.modified is not None:
        g.add((dist, DCTERMS.modified, Literal(dump.state.modified, datatype=XSD.dateTime)))


def _sparql_service(g: Graph, d: URIRef, public: str) -> None:
    endpoint = URIRef(f"{public}sparql")
    service = URIRef(f"{public}dataset#sparql")
    dist = URIRef(f"{public}dataset#sparql-distribution")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("Endpoint SPARQL 1.1 (lecture seule)", lang="fr")))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.endpointDescription, endpoint))  # GET with Accept: text/turtle → service description
    g.add((service, DCAT.servesDataset, d))
    g.add((service, DCTERMS.license, LICENCE))
    g.add((d, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCTERMS.title, Literal("Endpoint SPARQL 1.1 (lecture seule)", lang="fr")))
    g.add((dist, DCAT.accessURL, endpoint))
    g.add((dist, DCAT.accessService, service))
    g.add((dist, DCTERMS.license, LICENCE))


def build(request: Request, services: Services) -> Graph:
    """The description for this state of the store (the dumps are built first if they are not yet)."""
    context, url = jsonld_context(request)
    state = request.app.state.tracker.current()
    cache = request.app.state.dumps
    dumps = [cache.get(services.store, state, ext, context, url) for ext in DUMP_FORMATS]
    return dataset_graph(services, str(request.base_url), state, dumps, Publisher.from_settings(services.settings))


@router.get("/.well-known/void", summary="Description VoID / DCAT-AP du jeu de données", response_class=Response,
            responses=RDF_DOC)
@router.get("/dataset", summary="Description VoID / DCAT-AP du jeu de données", response_class=Response,
            responses=RDF_DOC)
async def dataset(request: Request, services: Services = Depends(get_services)) -> Response:
    media = negotiated_rdf(request)
    graph = await services.run(build, request, services)
    body = await services.run(graph_body, request, graph, media, str(services.workspace.uris.dataset()))
    return rdf_response(request, body, shown_as(request, media))
