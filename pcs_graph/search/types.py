"""The values search returns: shared by the search engine, the CLI's --json output, the API and pages.

    engine.search("personnes âgées isolées", SearchFilters(axis=[5]), k=10)  -> SearchResults
    engine.similar(action_uri, k=5)                                        -> SearchResults
    engine.classify("Gym douce pour aînés", k=5)                           -> list[Candidate]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..graph.sheet import PracticeSheet


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
    size_band: tuple[str, ...] = ()  # the commune's population band: "lt10k", "10k-25k", "25k-50k", "ge50k"
    urban_rural: tuple[str, ...] = ()  # the commune's class: "urban", "rural"
    comparable_to: str | None = None  # a NIS code: only the communes comparable to that one (same band and class)

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
    """Why an action matched, only what is true of it: the query words found in its label or description
    (as written there), the synonyms found there ("aînés → personnes âgées"), the words met only in its
    action type's, theme's or axis's label ("via le type d'action « … »"), BM25 and the cosine."""

    matched_terms: tuple[str, ...] = ()
    lexical_score: float = 0.0
    dense_similarity: float = 0.0
    shared_action_type: str | None = None  # for similar(): the code both actions share
    synonyms: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    shared: str | None = None  # for similar(): "type", "theme" or "meaning" (what the two actions share)
    glossary: tuple[str, ...] = ()  # "IST = infections sexuellement transmissibles": a matched acronym, in full
    close: tuple[str, ...] = ()  # "médicale → santé": a word of close meaning in the label or description
    in_description: tuple[str, ...] = ()  # of matched_terms, those found in the description only (not the label)

    def sentences(self) -> list[str]:
        """The explanation in French, one phrase per kind of evidence."""
        out = []
        in_label = [t for t in self.matched_terms if t not in self.in_description]
        if in_label:
            out.append("mots trouvés : " + ", ".join(in_label))
        if self.in_description:
            out.append("mots trouvés dans la description : " + ", ".join(self.in_description))
        out += [f"synonyme : {s}" for s in self.synonyms]
        out += list(self.glossary)
        out += [f"sens proche : {s}" for s in self.close]
        out += list(self.via)
        if self.shared == "type" and self.shared_action_type:
            out.append(f"même type d'action {self.shared_action_type}")
        elif self.shared == "theme":
            out.append("même thème")
        out.append(f"similarité de sens {self.dense_similarity:.2f}".replace(".", ","))
        return out


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
    relevant: bool = True  # False: no action really answers; this one is only among the nearest
    sheet: PracticeSheet | None = None  # its practice sheet, when the caller asks for it (API, downloads)
    publication_date: str | None = None  # the publication's date, where known ("2023-03-02", "2022-09")

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
    total: int  # actions that really answer the query (relevant), before k/offset
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
