"""Where an action was read from: the source kinds (pcs:SourceKindScheme) and publication dates.

    source_kind("press")            # pcs:PressArticle (the notation the source_kind column uses)
    source_kind("presse")           # InvalidSourceKind naming the accepted codes
    publication_date("2023-03-02")  # Literal('2023-03-02', datatype=xsd:date); '2022-09' → xsd:gYearMonth

The kinds are declared in ontology/pcs.ttl (a test checks both lists agree).
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from ..errors import PcsError
from .vocab import PCS

SOURCE_KINDS: dict[str, URIRef] = {
    "official-plan": PCS.OfficialPlan,
    "council-decision": PCS.CouncilDecision,
    "commune-page": PCS.CommunePage,
    "region-page": PCS.RegionPage,
    "province-page": PCS.ProvincePage,
    "parliament": PCS.ParliamentDocument,
    "association": PCS.AssociationPage,
    "press": PCS.PressArticle,
    "blog": PCS.BlogPost,
    "dataset": PCS.DataExport,
    "commune-contribution": PCS.CommuneContribution,
}
SOURCE_KIND_LABELS = {
    "official-plan": "plan signé", "council-decision": "décision du conseil communal",
    "commune-page": "page d'une commune ou d'un CPAS", "region-page": "page régionale",
    "province-page": "page provinciale", "parliament": "document parlementaire",
    "association": "page d'une association", "press": "article de presse", "blog": "blog",
    "dataset": "export de données", "commune-contribution": "contribution de la commune",
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


class InvalidSourceKind(PcsError):
    def __init__(self, given: str) -> None:
        self.given = given
        super().__init__(f"type de source inconnu {given!r} (attendu : {', '.join(SOURCE_KINDS)})")


def source_kind(code: str) -> URIRef:
    """The concept of a source kind from its code ('press'), case and spaces ignored."""
    kind = SOURCE_KINDS.get(code.strip().lower())
    if kind is None:
        raise InvalidSourceKind(code)
    return kind


def kind_code(uri: str) -> str | None:
    """pcs:PressArticle → 'press' (None for an IRI that is no source kind)."""
    return next((code for code, kind in SOURCE_KINDS.items() if str(kind) == uri), None)


def is_web_address(text: str) -> bool:
    return bool(_URL.match(text.strip()))


def publication_date(text: str) -> Literal | None:
    """'2023-03-02' → xsd:date, '2022-09' → xsd:gYearMonth, '2016' → xsd:gYear; anything else → None."""
    m = _DATE.match(text.strip())
    if not m:
        return None
    year, month, day = m.groups()
    if day:
        return Literal(f"{year}-{month}-{day}", datatype=XSD.date)
    if month:
        return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    return Literal(year, datatype=XSD.gYear)
