"""The values search returns: shared by the search engine, the CLI's --json output, the API and pages.

    engine.search("personnes âgées isolées", SearchFilters(axis=[5]), k=10)  -> SearchResults
    engine.similar(action_uri, k=5)                                        -> SearchResults
    engine.classify("Gym douce pour aînés", k=5)                           -> list[Candidate]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class SearchFilters:
    """Facet filters; each list is an OR of values, the lists combine with AND. Empty = no filter."""

    axis: tuple[int, ...] = ()
    theme: tuple[str, ...] = ()  # "5.5"
    action_type: tuple[str, ...] = ()  # "5.5.01"
    commune: tuple[str, ...] = ()  # NIS codes
    province: tuple[str, ...] = ()  # province names ("Hainaut") or NIS codes ("50000")
    programme: tuple[str, ...] = ()  # "2020-2025"
    partner_kind: tuple[str, ...] = ()  # "ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner"
    article20: bool | None = None
    status: tuple[str, ...] = ()  # "declared", "inferred", "unclassified"
    source_kind: tuple[str, ...] = ()  # "official-plan", "commune-page", "press", ... (pcs:SourceKindScheme)

    def is_empty(self) -> bool:
        return not any(asdict(self).values()) and self.article20 is None


@dataclass(frozen=True)
class PartnerRef:
    uri: str
    name: str
    kind: str | None
    article20: bool


@dataclass(frozen=True)
class Explanation:
    """Why an action matched: the query words found in it, the dense similarity, the shared type."""

    matched_terms: tuple[str, ...] = ()
    lexical_score: float = 0.0
    dense_similarity: float = 0.0
    shared_action_type: str | None = None  # for similar(): the code both actions share


@dataclass(frozen=True)
class Hit:
    uri: str
    label: str
    code: str | None  # action type x.y.zz, or None when unclassified
    action_type_label: str | None
    axis: int | None
    commune: str
    nis: str
    province: str
    programme: str
    partners: tuple[PartnerRef, ...]
    status: str  # "declared", "inferred" or "unclassified"
    source: str  # URI of the ingested source document
    score: float
    why: Explanation = field(default_factory=Explanation)
    publication: str | None = None  # the address the action was read from (dcterms:source)
    source_kind: str | None = None  # its kind: "official-plan", "press", ...

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    hits: tuple[Hit, ...]
    total: int  # matching actions before k/offset
    facets: dict[str, tuple[FacetValue, ...]]  # facet name ("axis", "province", ...) -> counts
    notes: tuple[str, ...] = ()  # e.g. "query truncated to 512 characters", "unknown province 'X'"

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Candidate:
    """A candidate action type for a free-text action (classifier output)."""

    code: str
    label: str
    axis: int
    confidence: float  # 0..1
