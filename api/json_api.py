"""The JSON API under /api/: search, actions, communes, action types, partners, statistics, classify.

Every list is paginated (`limit`, `offset`; the body says `total`); every error is JSON
`{"error": code, "detail": message}` with a 4xx status for a user's mistake. The store and the
search engine are called off the event loop (Services.run).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Literal, TypeVar

from fastapi import APIRouter, Depends, Path, Query
from fastapi.openapi.models import Example
from pydantic import Field, StringConstraints

from pcs_graph.errors import PcsError
from pcs_graph.search.filters import keep_comparable
from pcs_graph.search.types import SearchFilters, SearchResults

from .catalog import Catalog
from .schemas import (
    ActionDetail,
    ActionTypeDetail,
    ActionTypeSummary,
    CandidateOut,
    Classification,
    ClassifyRequest,
    CommuneDetail,
    CommuneSummary,
    Error,
    Health,
    Page,
    PartnerDetail,
    PartnerSummary,
    SimilarAction,
    Stats,
)
from .auth.edit import contribution_summary
from .services import SearchUnavailable, Services, get_services
from .sheets import with_sheets

router = APIRouter(prefix="/api", tags=["API JSON"])
T = TypeVar("T")

ERRORS = {400: {"model": Error, "description": "paramètre invalide"},
          404: {"model": Error, "description": "ressource inconnue"},
          422: {"model": Error, "description": "paramètre invalide"}}
SEARCH_ERRORS = {**ERRORS, 503: {"model": Error, "description": "moteur de recherche indisponible"}}

Limit = Annotated[int, Query(ge=1, le=500, description="taille de la page")]
Offset = Annotated[int, Query(ge=0, le=100_000, description="début de la page")]
AxisNumber = Annotated[int, Field(ge=1, le=7)]
Short = Annotated[str, StringConstraints(max_length=40)]
Status = Literal["declared", "inferred", "unclassified"]
SourceKind = Literal["official-plan", "council-decision", "commune-page", "region-page", "province-page", "parliament",
                     "association", "press", "blog", "dataset", "commune-contribution"]  # pcs:SourceKindScheme
Kind = Literal["ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner"]
SizeBand = Literal["lt10k", "10k-25k", "25k-50k", "ge50k"]  # pcs:SizeBandScheme (graph/likeness.py)
UrbanRural = Literal["urban", "rural"]  # pcs:UrbanRuralScheme


def catalog(services: Services = Depends(get_services)) -> Catalog:
    return Catalog(services.store, services.workspace.uris)


def page(items: list[T], limit: int, offset: int) -> dict:
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset:offset + limit]}


# --- search -----------------------------------------------------------------------------------

@router.get("/search", response_model=SearchResults, responses=SEARCH_ERRORS,
            summary="Recherche sémantique des actions, avec facettes et filtres")
async def search(
    q: Annotated[str, Query(max_length=1000, description="texte libre en français", openapi_examples={
        "isolement": Example(summary="personnes isolées", value="personnes âgées isolées"),
        "emploi": Example(summary="insertion", value="recherche d'emploi"),
    })] = "",
    axis: Annotated[list[AxisNumber], Query(description="axes (1 à 7), OU entre valeurs")] = [],
    theme: Annotated[list[Short], Query(max_length=20, description="thèmes, ex. 5.5")] = [],
    action_type: Annotated[list[Short], Query(max_length=20, description="types d'action, ex. 5.5.01")] = [],
    commune: Annotated[list[Short], Query(max_length=20, description="codes NIS, ex. 53053")] = [],
    province: Annotated[list[Short], Query(max_length=20, description="provinces (nom ou code NIS)")] = [],
    programme: Annotated[list[Short], Query(max_length=20, description="programmations, ex. 2020-2025")] = [],
    partner_kind: Annotated[list[Kind], Query(description="types de partenaires")] = [],
    article20: Annotated[bool | None, Query(description="avec (true) ou sans (false) partenaire article 20")] = None,
    status: Annotated[list[Status], Query(description="statut de classification")] = [],
    source_kind: Annotated[list[SourceKind], Query(description="types de sources (plan signé, page communale, presse...)")] = [],
    size_band: Annotated[list[SizeBand], Query(description="taille de la commune (population 2015)")] = [],
    urban_rural: Annotated[list[UrbanRural], Query(description="commune urbaine ou rurale (150 hab./km²)")] = [],
    comparable_to: Annotated[str | None, Query(max_length=40, description="code NIS : seulement les communes "
                                               "comparables à celle-ci (même taille, même classe urbaine/rurale)",
                                               openapi_examples={"andenne": Example(value="92003")})] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 10,
    offset: Offset = 0,
    services: Services = Depends(get_services),
) -> SearchResults:
    filters = SearchFilters(axis=tuple(axis), theme=tuple(theme), action_type=tuple(action_type),
                            commune=tuple(commune), province=tuple(province), programme=tuple(programme),
                            partner_kind=tuple(partner_kind), article20=article20, status=tuple(status),
                            source_kind=tuple(source_kind), size_band=tuple(size_band),
                            urban_rural=tuple(urban_rural), comparable_to=comparable_to or None)
    results = await services.run(services.search.search, q, filters, limit, offset)
    hits = await services.run(with_sheets, services.store, results.hits)  # each hit with its practice sheet
    return replace(results, hits=hits)


@router.post("/classify", response_model=Classification, responses=SEARCH_ERRORS,
             summary="Proposer des types d'action pour un intitulé libre")
async def classify(request: ClassifyRequest, services: Services = Depends(get_services)) -> Classification:
    candidates = await services.run(services.search.classify, request.text, request.k)
    return Classification(text=request.text, candidates=[
        CandidateOut(code=c.code, label=c.label, axis=c.axis, confidence=c.confidence) for c in candidates])


# --- actions ----------------------------------------------------------------------------------

@router.get("/actions/{path:path}", response_model=ActionDetail, responses=ERRORS,
            summary="Une action (chemin de son URI) et ses actions semblables dans d'autres communes")
async def action(
    path: Annotated[str, Path(description="NIS/période/clé", openapi_examples={
        "mons": Example(summary="Mons, action 23", value="53053/2020-2025/23")})],
    similar: Annotated[int, Query(ge=0, le=20, description="nombre d'actions semblables")] = 5,
    comparable_to: Annotated[str | None, Query(max_length=40, description="code NIS : actions semblables des "
                                               "seules communes comparables à celle-ci")] = None,
    services: Services = Depends(get_services), data: Catalog = Depends(catalog),
) -> ActionDetail:
    detail = await services.run(data.action, path.removeprefix("action/"))
    if similar:
        try:
            results = await services.run(services.search.similar, detail.uri, 100 if comparable_to else similar + 5)
            if comparable_to:
                results = keep_comparable(results, comparable_to, services.workspace.communes, similar + 5)
                detail.notes += list(results.notes)
        except (SearchUnavailable, PcsError) as e:  # the action itself is still worth answering
            detail.notes.append(f"actions semblables indisponibles : {e}")
        else:
            detail.similar = [SimilarAction(uri=h.uri, label=h.label, code=h.code, nis=h.nis, commune=h.commune,
                                            score=h.score, shared_action_type=h.why.shared_action_type,
                                            shared=h.why.shared, partners=[p.name for p in h.partners],
                                            source_kind=h.source_kind)
                              for h in results.hits if h.nis != detail.nis][:similar]
    detail.contribution = await services.run(contribution_summary, services, detail.uri)  # the commune's word
    return detail


# --- communes ---------------------------------------------------------------------------------

@router.get("/communes", response_model=Page[CommuneSummary], responses=ERRORS,
            summary="Les 262 communes wallonnes, avec leur nombre d'actions")
async def communes(
    province: Annotated[str | None, Query(max_length=40, description="nom ou code NIS de la province",
                                          openapi_examples={"hainaut": Example(value="Hainaut")})] = None,
    with_actions: Annotated[bool | None, Query(description="seulement les communes avec (ou sans) actions")] = None,
    limit: Limit = 50, offset: Offset = 0,
    services: Services = Depends(get_services), data: Catalog = Depends(catalog),
) -> dict:
    return page(await services.run(data.communes, province, with_actions), limit, offset)


@router.get("/communes/{nis}", response_model=CommuneDetail, responses=ERRORS,
            summary="Une commune : son plan par axe et ses partenaires")
async def commune(
    nis: Annotated[str, Path(description="code NIS", openapi_examples={"mons": Example(value="53053")})],
    services: Services = Depends(get_services), data: Catalog = Depends(catalog),
) -> CommuneDetail:
    return await services.run(data.commune, nis)


# --- action types -----------------------------------------------------------------------------

@router.get("/action-types", response_model=Page[ActionTypeSummary], responses=ERRORS,
            summary="La nomenclature des types d'action, avec le nombre d'actions et de communes")
async def action_types(
    axis: Annotated[int | None, Query(ge=1, le=7)] = None,
    theme: Annotated[str | None, Query(max_length=10, description="ex. 5.5")] = None,
    with_actions: Annotated[bool | None, Query()] = None,
    limit: Limit = 50, offset: Offset = 0,
    services: Services = Depends(get_services), data: Catalog = Depends(catalog),
) -> dict:
    return page(await services.run(data.action_types, axis, theme, with_actions), limit, offset)


@router.get("/action-types/{code}", response_model=ActionTypeDetail, responses=ERRORS,
            summary="Un type d'action et les communes qui le mènent")
async def action_type(
    code: Annotated[str, Path(description="axe.thème.action", openapi_examples={"isoles": Example(value="5.5.01")})],
    services: Services = Depends(get_services), data: Catalog = Depends(catalog),
) -> ActionTypeDetail:
    return await services.run(data.action_type, code)


# --- partners ---------------------------------------------------------------------------------

@router.get("/partners", response_model=Page[PartnerSummary], responses=ERRORS,
            summary="Les partenaires des actions (ASBL, CPAS, services communaux...)")
async def partners(
    kind: Annotated[Kind | None, Query()] = None,
    article20: Annotated[bool | None, Query(description="partenaires article 20 (ou non)")] = None,
    min_communes: Annotated[int, Query(ge=0, le=262, description="actifs dans au moins N communes")] = 0,
    q: Annotated[str | None, Query(max_length=200, description="partie du nom")] = None,
    limit: Limit = 50, offset: Offset = 0,
    services: Services = Depends(get_services), data: Catalog = Depends(catalog),
) -> dict:
    return page(await services.run(data.partners, kind, article20, min_communes, q), limit, offset)


@router.get("/partners/{slug}", response_model=PartnerDetail, responses=ERRORS,
            summary="Un partenaire, ses communes et ses actions")
async def partner(
    slug: Annotated[str, Path(description="identifiant", openapi_examples={
        "ppt": Example(value="asbl-pourquoi-pas-toi")})],
    services: Services = Depends(get_services), data: Catalog = Depends(catalog),
) -> PartnerDetail:
    return await services.run(data.partner, slug)


# --- statistics -------------------------------------------------------------------------------

@router.get("/stats", response_model=Stats, summary="Actions par axe, province, taille de commune et type de partenaire")
async def stats(services: Services = Depends(get_services), data: Catalog = Depends(catalog)) -> Stats:
    return await services.run(data.stats)




# --- health -----------------------------------------------------------------------------------

@router.get("/health", response_model=Health,
            summary="État du service : le store répond-il, où en est l'index de recherche (construction en cours)")
async def health(services: Services = Depends(get_services)) -> dict:
    return await services.run(services.health)
