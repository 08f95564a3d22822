"""The JSON API's response bodies (pydantic models: they are the OpenAPI schema clients rely on)."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from pcs_graph.graph.sheet import PracticeSheet

T = TypeVar("T")


class Error(BaseModel):
    error: str = Field(description="code court de l'erreur", examples=["not_found"])
    detail: str | list | dict | None = Field(description="message précis", examples=["commune inconnue : '99999'"])


class Page(BaseModel, Generic[T]):
    total: int = Field(description="nombre d'éléments avant pagination")
    limit: int
    offset: int
    items: list[T]


class Partner(BaseModel):
    uri: str
    slug: str
    name: str
    kind: str | None = Field(None, description="ASBL, CPAS, CommuneService, PublicBody, School ou OtherPartner")
    article20: bool = Field(False, description="partenaire financé au titre de l'article 20 pour cette action")


class ActionSummary(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{
        "uri": "https://w3id.org/pcs/id/action/53053/2020-2025/23", "path": "action/53053/2020-2025/23",
        "label": "Activités de rencontre pour personnes isolées", "code": "5.5.01",
        "action_type_label": "Activités de rencontre pour personnes isolées", "axis": 5, "nis": "53053",
        "commune": "Mons", "programme": "2020-2025", "status": "declared",
        "source": "https://w3id.org/pcs/id/document/mons-pcs-2020-2025-txt",
        "publication": "https://www.cpas.mons.be/services/cohesion-sociale", "source_kind": "commune-page",
        "partners": []}]}}

    uri: str
    path: str = Field(description="chemin relatif de l'URI, ex. action/53053/2020-2025/23")
    label: str
    code: str | None = Field(None, description="type d'action axe.thème.action, ou null si non classée")
    action_type_label: str | None = None
    axis: int | None = None
    nis: str
    commune: str
    programme: str | None = None
    status: str = Field(description="declared, inferred ou unclassified")
    source: str | None = Field(None, description="URI du document source (le fichier ingéré)")
    publication: str | None = Field(None, description="adresse de la publication d'où l'action est tirée (dcterms:source)")
    source_kind: str | None = Field(None, description="type de cette publication : official-plan, commune-page, press...")
    partners: list[Partner] = []


class SimilarAction(BaseModel):
    uri: str
    label: str
    code: str | None
    nis: str
    commune: str
    score: float
    shared_action_type: str | None = None
    shared: str | None = Field(None, description="ce que les deux actions partagent : type, theme ou meaning (le sens seul)")
    partners: list[str] = []
    source_kind: str | None = Field(None, description="type de la publication d'où l'action est tirée")


class ActionDetail(ActionSummary):
    description: str | None = None
    target_public: list[str] = []
    sheet: PracticeSheet | None = Field(None, description="la fiche pratique telle que la source l'énonce : "
                                        "description, publics (notations de pcs:TargetPublicScheme et mots lus), "
                                        "status (planned, running, suspended, stopped, completed ; null si la source "
                                        "n'en dit rien), status_date, status_as_printed, start_date, end_date, "
                                        "results (chiffres avec leur phrase), contact")
    publication_date: str | None = Field(None, description="date de la publication d'où l'action est tirée")
    code_as_printed: str | None = None
    classification_score: float | None = None
    classification_method: str | None = None
    plan: str | None = None
    source_file: str | None = None
    source_line: int | None = None
    source_page: int | None = None
    source_text: str | None = None
    similar: list[SimilarAction] = Field([], description="actions semblables dans d'autres communes")
    contribution: dict[str, Any] | None = Field(None, description="la mise à jour de la commune, si elle en a fait "
                                                "une : public_name, generated_at, version, sheet (ce qu'elle énonce), "
                                                "current_sheet (sa parole, sinon celle de la source), history")
    notes: list[str] = []


class CommuneSummary(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{
        "uri": "https://w3id.org/pcs/id/commune/53053", "nis": "53053", "name": "Mons", "province": "Hainaut",
        "province_nis": "50000", "population": 95231, "size_band": "ge50k", "actions": 32}]}}

    uri: str
    nis: str
    name: str
    province: str
    province_nis: str
    population: int | None = None
    size_band: str | None = None
    urban_rural: str | None = Field(None, description="urban ou rural (moins de 150 hab./km²)")
    density: float | None = Field(None, description="habitants par km² (population 2015, superficie Statbel)")
    actions: int


class AxisActions(BaseModel):
    axis: int | None = Field(description="numéro d'axe, null pour les actions non classées")
    label: str
    actions: list[ActionSummary]


class PartnerCount(BaseModel):
    uri: str
    slug: str
    name: str
    kind: str | None = None
    actions: int
    article20: bool


class CommuneDetail(CommuneSummary):
    latitude: float | None = None
    longitude: float | None = None
    plans: list[str] = Field([], description="URIs des plans de la commune")
    comparable: list[str] = Field([], description="codes NIS des 10 communes comparables les plus proches (même "
                                  "taille et classe ; toutes : /api/search?comparable_to=NIS)")
    axes: list[AxisActions] = Field([], description="le plan par axe")
    partners: list[PartnerCount] = []


class ActionTypeSummary(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{
        "uri": "https://w3id.org/pcs/id/action-type/5.5.01", "code": "5.5.01",
        "label": "Activités de rencontre pour personnes isolées", "axis": 5, "theme": "5.5", "actions": 3,
        "communes": 1}]}}

    uri: str
    code: str
    label: str | None = None
    axis: int
    theme: str
    actions: int
    communes: int


class CommuneCount(BaseModel):
    uri: str
    nis: str
    name: str
    province: str
    latitude: float | None = None
    longitude: float | None = None
    actions: int


class ActionTypeDetail(ActionTypeSummary):
    axis_label: str | None = None
    theme_label: str | None = None
    communes_running: list[CommuneCount] = Field([], description="les communes qui mènent ce type d'action")
    action_list: list[ActionSummary] = []


class PartnerSummary(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{
        "uri": "https://w3id.org/pcs/id/partner/asbl-pourquoi-pas-toi", "slug": "asbl-pourquoi-pas-toi",
        "name": "ASBL Pourquoi pas toi", "kind": "ASBL", "actions": 2, "communes": 1, "article20_actions": 2}]}}

    uri: str
    slug: str
    name: str
    kind: str | None = None
    actions: int
    communes: int
    article20_actions: int


class PartnerDetail(PartnerSummary):
    communes_list: list[CommuneCount] = []
    action_list: list[ActionSummary] = []


class CountRow(BaseModel):
    key: str
    label: str
    actions: int
    share: float = Field(description="part des actions, 0..1")
    declared: int = Field(0, description="par axe : actions dont l'axe vient d'un code imprimé par la source")
    stated: int = Field(0, description="par axe : actions dont l'axe est indiqué par la source, sans code")
    inferred: int = Field(0, description="par axe : actions dont l'axe est inféré par le classifieur (pcs:axisStatus pcs:Inferred)")


class SizeBand(BaseModel):
    key: str
    label: str
    min_population: int
    max_population: int | None
    communes: int = Field(description="communes wallonnes dans la tranche")
    communes_with_actions: int
    actions: int
    share: float


class Stats(BaseModel):
    totals: dict[str, int]
    per_axis: list[CountRow]
    per_province: list[CountRow]
    per_size_band: list[SizeBand]
    per_partner_kind: list[CountRow]
    reference_2009_2013: dict[str, float] = Field(
        description="parts par axe des 1 712 actions 2009-2013 (ancien schéma à 4 axes), pour comparaison")


class ClassifyRequest(BaseModel):
    text: str = Field(min_length=1, max_length=2000, description="intitulé libre d'une action",
                      examples=["Gym douce pour aînés isolés"])
    k: int = Field(5, ge=1, le=20, description="nombre de types candidats")


class CandidateOut(BaseModel):
    code: str
    label: str
    axis: int
    confidence: float


class Classification(BaseModel):
    text: str
    candidates: list[CandidateOut]


class SearchHealth(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{
        "state": "building", "semantic": False, "phase": "embedding", "actions_indexed": 12000, "actions_total": 20000,
        "texts_embedded": 12100, "texts_total": 20150, "texts_per_s": 84.2, "embedding_s": 143.7,
        "note": "index sémantique en construction : 12 000 / 20 000 actions", "error": None}]}}

    state: Literal["loading", "building", "ready", "updating", "failed", "unavailable"] = Field(
        description="loading : actions en lecture (la recherche attend) ; building : classement lexical seul pendant "
                    "l'encodage ; ready : classement hybride ; updating : hybride, mise à jour en cours ; "
                    "failed : construction en échec (classement lexical) ; unavailable : pas de moteur de recherche")
    semantic: bool = Field(description="le classement hybride (BM25 + e5) est en service")
    phase: str = Field(description="étape de la dernière construction : loading, embedding, saving, done, "
                                   "stopped, failed, idle")
    actions_indexed: int = Field(description="actions dont le vecteur est prêt (dernière construction)")
    actions_total: int
    texts_embedded: int = Field(description="textes distincts encodés par la dernière construction")
    texts_total: int
    texts_per_s: float | None = Field(None, description="débit d'encodage de la dernière construction")
    embedding_s: float = Field(description="secondes d'encodage de la dernière construction")
    note: str | None = Field(None, description="la note que portent les réponses de recherche (classement lexical)")
    error: str | None = None


class Health(BaseModel):
    status: Literal["ok", "degraded"] = Field(description="degraded : le store ne répond pas")
    store: Literal["embedded", "remote"]
    store_answers: bool = Field(description="le store a répondu à une requête ASK")
    search: SearchHealth
