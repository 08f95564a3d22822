"""Spreadsheet downloads of the lists the pages show, with the same filters as the page (CSV or XLSX).

    /export/recherche.csv?q=personnes+isolées&axis=5      every result of the search (at most 10 000)
    /export/commune/53053.xlsx                             the commune's plan: its actions by axis
    /export/action-type/5.5.01.csv                         the communes that run the action type
    /export/partenaires.xlsx?kind=ASBL&article20=true      the partners list

Each page links its own download (`download_links`); the parameters are the page's, checked the same
way (a bad one is the same French 400 page). The cells are written by `tabular`.
"""

from __future__ import annotations

from datetime import datetime, timezone

from fastapi import APIRouter, Request
from fastapi.responses import Response

from pcs_graph.errors import PcsError
from pcs_graph.search.types import Hit

from ..catalog import Catalog
from ..errors import ResourceNotFound
from ..services import SearchUnavailable
from ..sheets import SHEET_HEADER, action_sheet_cells, sheet_cells, with_sheets
from .data import STATUS_LABELS
from .partners import PartnerFilters, partner_rows
from .render import BadPageParameter, bad_request, engine, not_found, off_loop, page_data, render
from .search import parse_search
from .tabular import Table, spreadsheet_response

router = APIRouter(include_in_schema=False)
FORMATS = ("csv", "xlsx")
MAX_ROWS = 10_000
CHUNK = 1000  # the search engine's largest page


def _about(request: Request, what: str) -> list[tuple[str, str]]:
    page = request.url.path.removeprefix("/export").rsplit(".", 1)[0]
    query = f"?{request.url.query}" if request.url.query else ""
    return [("Contenu", what), ("Page", f"{request.base_url}{page.lstrip('/')}{query}"),
            ("Extrait le", datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")),
            ("Licence", "CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)")]


def _format(request: Request, fmt: str) -> Response | None:
    if fmt not in FORMATS:
        return not_found(request, f"Format « {fmt} » inconnu : csv ou xlsx.")
    return None


# --- search results -------------------------------------------------------------------------------

SEARCH_HEADER = ["Rang", "Action", "Code", "Type d'action", "Axe", "Commune", "Code INS", "Province",
                 "Programmation", "Classification", "Partenaires", "Partenaires article 20", *SHEET_HEADER, "Page", "URI"]


def _hit_row(request: Request, rank: int, hit: Hit, path: str) -> list:
    partners = [p.name for p in hit.partners]
    a20 = [p.name for p in hit.partners if p.article20]
    return [rank, hit.label, hit.code, hit.action_type_label, hit.axis, hit.commune, hit.nis, hit.province,
            hit.programme, STATUS_LABELS.get(hit.status, hit.status), " ; ".join(partners), " ; ".join(a20),
            *sheet_cells(hit.sheet, hit.publication, hit.source_kind, hit.publication_date),
            f"{request.base_url}{path.lstrip('/')}", hit.uri]


@router.get("/export/recherche.{fmt}")
async def search_export(request: Request, fmt: str) -> Response:
    return _format(request, fmt) or await off_loop(request, _search_export, fmt)


def _search_export(request: Request, fmt: str) -> Response:
    try:
        search = parse_search(request)
        hits: list[Hit] = []
        total = None
        while total is None or (len(hits) < min(total, MAX_ROWS)):
            found = engine(request).search(search.q, search.filters, k=CHUNK, offset=len(hits))
            total = found.total
            relevant = [h for h in found.hits if h.relevant]  # the actions that answer: the ones the page counts
            hits.extend(relevant if total else found.hits)  # none answers: the nearest, as the page shows them
            if not found.hits or not total:
                break
    except (BadPageParameter, PcsError) as e:
        return bad_request(request, e)
    except SearchUnavailable as e:
        return render(request, "error.html", 503, title="Recherche indisponible", message=str(e))
    data = page_data(request)
    hits = list(with_sheets(data.store, hits[:MAX_ROWS]))  # each with its practice sheet and publication date
    rows = [_hit_row(request, i, h, data.path(h.uri)) for i, h in enumerate(hits, start=1)]
    filters = "; ".join(f"{k} = {', '.join(v)}" for k, v in search.selected.items()) or "aucun"
    about = _about(request, f"Résultats de la recherche « {search.q} »" if search.q else "Actions filtrées")
    if not total and rows:
        about.append(("Correspondance", "aucune action ne correspond vraiment : voici les plus proches"))
    about += [("Filtres", filters), ("Actions", f"{len(rows)} sur {total or 0}"
                                                 + (f" (export limité à {MAX_ROWS})" if (total or 0) > MAX_ROWS else ""))]
    name = "recherche" + (f"-{search.q}" if search.q else "")
    return spreadsheet_response(Table(name, SEARCH_HEADER, rows, about), fmt)


# --- a commune's plan ------------------------------------------------------------------------------

@router.get("/export/commune/{nis}.{fmt}")
async def commune_export(request: Request, nis: str, fmt: str) -> Response:
    return _format(request, fmt) or await off_loop(request, _commune_export, nis, fmt)


def _commune_export(request: Request, nis: str, fmt: str) -> Response:
    view = page_data(request).commune(nis)
    if view is None:
        return not_found(request, f"Aucune commune wallonne n'a le code INS « {nis} ».")
    header = ["Axe", "Intitulé de l'axe", "Code", "Type d'action", "Action", "Classification", "Partenaires",
              "Partenaires article 20", *SHEET_HEADER, "Page"]
    data = page_data(request)
    uri = {a.path: data.uris.base + a.path.lstrip("/") for g in view.groups for a in g.actions}
    cells = action_sheet_cells(data.store, list(uri.values()))
    rows = []
    for group in view.groups:
        for a in group.actions:
            rows.append([int(group.axis) if group.axis.isdigit() else None, group.label, a.code, a.type_label, a.label,
                         STATUS_LABELS.get(a.status, a.status), " ; ".join(p.name for p in a.partners),
                         " ; ".join(p.name for p in a.partners if p.article20), *cells[uri[a.path]],
                         f"{request.base_url}{a.path.lstrip('/')}"])
    about = _about(request, f"Plan de cohésion sociale de {view.commune.name} : ses actions par axe")
    about.append(("Programmations", ", ".join(p.programme for p in view.plans) or "aucune connue"))
    return spreadsheet_response(Table(f"plan-{view.commune.name}", header, rows, about), fmt)


# --- an action type's communes -------------------------------------------------------------------

@router.get("/export/action-type/{code}.{fmt}")
async def action_type_export(request: Request, code: str, fmt: str) -> Response:
    return _format(request, fmt) or await off_loop(request, _action_type_export, code, fmt)


def _action_type_export(request: Request, code: str, fmt: str) -> Response:
    ws = request.app.state.services.workspace
    try:
        detail = Catalog(ws.store, ws.uris).action_type(code)
    except ResourceNotFound as e:
        return not_found(request, str(e))
    header = ["Commune", "Code INS", "Province", "Actions de ce type", "Latitude", "Longitude",
              "Actions (intitulés)", *SHEET_HEADER, "Page"]
    per_commune = _type_actions(ws.store, ws.uris.action_type(detail.code))
    rows = [[c.name, c.nis, c.province, c.actions, c.latitude, c.longitude, *per_commune.get(c.nis, [""] * 9),
             f"{request.base_url}commune/{c.nis}"] for c in detail.communes_running]
    about = _about(request, f"Communes qui mènent le type d'action {code}" + (f" — {detail.label}" if detail.label else ""))
    return spreadsheet_response(Table(f"communes-{code}", header, rows, about), fmt)


def _type_actions(store, type_uri: str) -> dict[str, list[str]]:
    """Per commune, its actions of a type (labels) and their sheets' cells, each column joined with « | »."""
    rows = store.select(f"""SELECT ?a ?label ?nis WHERE {{ ?a a pcs:Action ; pcs:actionType <{type_uri}> ;
      rdfs:label ?label ; pcs:commune/pcs:nisCode ?nis }} ORDER BY ?nis ?label""")
    cells = action_sheet_cells(store, [r["a"] or "" for r in rows])
    joined: dict[str, list[list[str]]] = {}
    for r in rows:
        columns = joined.setdefault(r["nis"] or "", [[] for _ in range(1 + len(SHEET_HEADER))])
        for column, value in zip(columns, [r["label"] or "", *cells[r["a"] or ""]]):
            column.append(str(value))
    return {nis: [" | ".join(v for v in column) if any(column) else "" for column in columns]
            for nis, columns in joined.items()}


# --- the partners list -----------------------------------------------------------------------------

@router.get("/export/partenaires.{fmt}")
async def partners_export(request: Request, fmt: str) -> Response:
    return _format(request, fmt) or await off_loop(request, _partners_export, fmt)


def _partners_export(request: Request, fmt: str) -> Response:
    try:
        filters = PartnerFilters.of(request)
        partners = partner_rows(request, filters)
    except (BadPageParameter, PcsError) as e:
        return bad_request(request, e)
    header = ["Partenaire", "Type", "Actions", "Communes", "Actions article 20", "Page", "URI"]
    rows = [[p.name, p.kind, p.actions, p.communes, p.article20_actions, f"{request.base_url}partner/{p.slug}", p.uri]
            for p in partners]
    about = _about(request, "Partenaires des actions") + [("Filtres", filters.described())]
    return spreadsheet_response(Table("partenaires", header, rows, about), fmt)
