"""The pages of the graph's resources: home, statistics, action, commune, plan, programme, province,
axis, theme, action type, partner and source document.

    /commune/53053, /action/53053/2020-2025/23, /action-type/5.5.01, /statistiques

Page paths are the data URIs' paths relative to the base (`{base}commune/53053` → `/commune/53053`),
where the linked-data URIs redirect.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from pcs_graph.errors import PcsError
from pcs_graph.search.filters import keep_comparable
from pcs_graph.search.types import Hit
from pcs_graph.stats import counts as stats

from ..services import SearchUnavailable
from .data import NIS, PERIOD
from .practice import action_sheet, commune_statuses, comparable_view
from .tabular import download_links
from .render import engine, not_found, off_loop, page_data, percent, render
from .svg import Bar, bar_chart, commune_map

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    return await off_loop(request, _home)


def _home(request: Request) -> Response:
    data = page_data(request)
    store = data.store
    labels = data.axis_labels()
    counts = {c.key: c.actions for c in stats.actions_per_axis(store)}
    axes = [(n, labels.get(n, ""), counts.get(n, 0)) for n in "1234567"]
    return render(request, "home.html", title="Plans de cohésion sociale", axes=axes,
                  totals=stats.totals(store), count_labels=stats.LABELS, sources=data.sources_overview())


@router.get("/statistiques", response_class=HTMLResponse)
async def statistics(request: Request) -> Response:
    return await off_loop(request, _statistics)


def _statistics(request: Request) -> Response:
    data = page_data(request)
    store = data.store
    per_axis = stats.actions_per_axis(store)
    per_province = stats.actions_per_province(store)
    per_kind = stats.actions_per_partner_kind(store)
    axis_chart = bar_chart([Bar(stats.axis_title(c), c.actions, f"{c.actions} ({percent(c.share)})",
                                f"/axis/{c.key}" if c.key.isdigit() else None) for c in per_axis],
                           "Actions par axe", label_width=420, width=860)
    province_chart = bar_chart([Bar(c.label, c.actions, f"{c.actions} ({percent(c.share)})",
                                    f"/province/{c.key}") for c in per_province], "Actions par province",
                               label_width=420, width=860)
    kind_chart = bar_chart([Bar(c.label, c.actions, str(c.actions)) for c in per_kind],
                           "Actions par type de partenaire", label_width=420, width=860)
    old = stats.SHARES_2009_2013
    compare_chart = bar_chart([Bar(label, share, percent(share)) for label, share in old.items()],
                              "Part des actions par axe en 2009-2013 (ancien schéma à 4 axes + coordination)",
                              label_width=420, width=860)
    communes = data.actions_per_commune()
    return render(request, "stats.html", title="Statistiques", totals=stats.totals(store), count_labels=stats.LABELS,
                  axis_chart=axis_chart, province_chart=province_chart, kind_chart=kind_chart,
                  compare_chart=compare_chart, per_axis=per_axis,
                  map=commune_map(data.directory.communes, communes, "Communes dont le graphe contient des actions"),
                  sources=data.sources_overview())


@router.get("/action/{nis}/{period}/{key}", response_class=HTMLResponse)
async def action_page(request: Request, nis: str, period: str, key: str) -> Response:
    return await off_loop(request, _action_page, nis, period, key)


def _action_page(request: Request, nis: str, period: str, key: str) -> Response:
    data = page_data(request)
    action = data.action(nis, period, key)
    if action is None:
        return not_found(request, f"Aucune action « {nis}/{period}/{key} » dans le graphe.")
    similar: tuple[Hit, ...] = ()
    similar_note = None
    comparable_to = request.query_params.get("comparable_to") or ""
    comparable_to = comparable_to if NIS.fullmatch(comparable_to) else ""  # anything else: all communes
    try:
        found = engine(request).similar(action.uri, k=100 if comparable_to else 8)
        if comparable_to:
            found = keep_comparable(found, comparable_to, data.directory, 8)
        similar = tuple(h for h in found.hits if h.nis != nis)[:5]
    except (PcsError, SearchUnavailable) as e:
        similar_note = str(e)
    return render(request, "action.html", title=action.row.label, action=action, similar=similar,
                  similar_note=similar_note, hit_path=lambda hit: data.path(hit.uri),
                  sheet=action_sheet(data, action.uri), comparable_to=comparable_to)


@router.get("/commune/{nis}", response_class=HTMLResponse)
async def commune_page(request: Request, nis: str) -> Response:
    return await off_loop(request, _commune_page, nis)


def _commune_page(request: Request, nis: str) -> Response:
    data = page_data(request)
    view = data.commune(nis)
    if view is None:
        return not_found(request, f"Aucune commune wallonne n'a le code INS « {nis} ».")
    totals = stats.totals(data.store, f"?a pcs:commune <{data.uris.commune(nis)}> .")
    chart = bar_chart([Bar(f"Axe {g.axis}" if g.axis.isdigit() else g.label.split(" — ")[0], len(g.actions),
                           str(len(g.actions)), f"#axe-{g.axis.replace('/', '-')}") for g in view.groups],
                      f"Actions de {view.commune.name} par axe", label_width=140, width=560)
    return render(request, "commune.html", title=view.commune.name, view=view, chart=chart, totals=totals,
                  count_labels=stats.LABELS, downloads=download_links(f"commune/{nis}"),
                  statuses=commune_statuses(data, nis), comparable=comparable_view(request, data, nis))


@router.get("/plan/{nis}/{period}")
async def plan_page(request: Request, nis: str, period: str) -> Response:
    return await off_loop(request, _plan_page, nis, period)


def _plan_page(request: Request, nis: str, period: str) -> Response:
    if not (NIS.fullmatch(nis) and PERIOD.fullmatch(period)):
        return not_found(request, f"Aucun plan « {nis}/{period} ».")
    return RedirectResponse(f"/commune/{nis}#plan-{period}", status_code=303)


@router.get("/programme/{period}")
async def programme_page(request: Request, period: str) -> Response:
    """A programme's page is the search filtered on it."""
    if not PERIOD.fullmatch(period):
        return not_found(request, f"Aucune programmation « {period} ».")
    return RedirectResponse(f"/recherche?programme={period}", status_code=303)


@router.get("/province/{nis}", response_class=HTMLResponse)
async def province_page(request: Request, nis: str) -> Response:
    return await off_loop(request, _province_page, nis)


def _province_page(request: Request, nis: str) -> Response:
    data = page_data(request)
    view = data.province(nis)
    if view is None:
        return not_found(request, f"Aucune province wallonne n'a le code INS « {nis} ».")
    highlighted = {c.nis: n for c, n in view.communes if n}
    in_province = {c.nis for c, _ in view.communes}
    map_svg = commune_map(data.directory.communes, highlighted or {n: 0 for n in ()},
                          f"Communes de la province de {view.name}")
    return render(request, "province.html", title=f"Province de {view.name}", view=view, map=map_svg,
                  in_province=in_province)


def _concept_page(request: Request, kind: str, code: str) -> Response:
    data = page_data(request)
    view = {"axis": data.axis, "theme": data.theme, "action-type": data.action_type}[kind](code)
    names = {"axis": "Axe", "theme": "Thème", "action-type": "Type d'action"}
    if view is None:
        return not_found(request, f"{names[kind]} « {code} » inconnu de la nomenclature du graphe.")
    title = f"{names[kind]} {code}" + (f" — {view.label}" if view.label else "")
    map_svg = commune_map(data.directory.communes, view.communes, f"Communes qui mènent des actions : {title}")
    return render(request, "concept.html", title=title, view=view, kind_name=names[kind], map=map_svg,
                  downloads=download_links(f"action-type/{code}") if kind == "action-type" else None)


@router.get("/action-type/{code}", response_class=HTMLResponse)
async def action_type_page(request: Request, code: str) -> Response:
    return await off_loop(request, _concept_page, "action-type", code)


@router.get("/theme/{code}", response_class=HTMLResponse)
async def theme_page(request: Request, code: str) -> Response:
    return await off_loop(request, _concept_page, "theme", code)


@router.get("/axis/{number}", response_class=HTMLResponse)
async def axis_page(request: Request, number: str) -> Response:
    return await off_loop(request, _concept_page, "axis", number)


@router.get("/partner/{slug}", response_class=HTMLResponse)
async def partner_page(request: Request, slug: str) -> Response:
    return await off_loop(request, _partner_page, slug)


def _partner_page(request: Request, slug: str) -> Response:
    data = page_data(request)
    view = data.partner(slug)
    if view is None:
        return not_found(request, f"Aucun partenaire « {slug} » dans le graphe.")
    counts: dict[str, int] = {}
    for a in view.actions:
        counts[a.nis] = counts.get(a.nis, 0) + 1
    map_svg = commune_map(data.directory.communes, counts, f"Communes où {view.name} est partenaire")
    return render(request, "partner.html", title=view.name, view=view, map=map_svg)


@router.get("/document/{slug}", response_class=HTMLResponse)
async def document_page(request: Request, slug: str) -> Response:
    return await off_loop(request, _document_page, slug)


def _document_page(request: Request, slug: str) -> Response:
    view = page_data(request).document(slug)
    if view is None:
        return not_found(request, f"Aucun document source « {slug} » dans le graphe.")
    return render(request, "document.html", title=view.source.file_name, view=view)
