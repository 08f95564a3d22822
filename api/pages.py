"""The French pages for project leaders: search, action, commune, nomenclature, partner, statistics, SPARQL.

Server-rendered with jinja2 (autoescape on: every label coming from a document is escaped); search
works without JavaScript (a GET form). Page paths are the data URIs' paths relative to the base
(`{base}commune/53053` → `/commune/53053`), where the linked-data URIs redirect. Handlers are plain
`def`s, so FastAPI runs their store queries in its thread pool, off the event loop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from pcs_graph import stats
from pcs_graph.errors import PcsError
from pcs_graph.search_types import Hit, SearchFilters, SearchResults
from pcs_graph.text import fold

from .services import SearchUnavailable
from .page_data import CODE, NIS, PERIOD, STATUS_LABELS, THEME, PageData
from .svg import Bar, bar_chart, commune_map

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
QUERIES_DIR = HERE / "queries"
PAGE_SIZE = 10
MAX_PAGE = 500
MAX_QUERY_LENGTH = 512
PARTNER_KINDS = ("ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner")
STATUSES = ("declared", "inferred", "unclassified")
FACETS = (("axis", "Axe"), ("province", "Province"), ("commune", "Commune"), ("programme", "Programmation"),
          ("partner_kind", "Type de partenaire"), ("article20", "Partenaire « article 20 »"),
          ("status", "Classification"))
TRUE, FALSE = ("true", "1", "oui", "yes", "on"), ("false", "0", "non", "no")

router = APIRouter(include_in_schema=False)


class BadPageParameter(PcsError):
    """A page parameter a user typed or edited that cannot be understood (rendered as a 400 page)."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        self.name = name
        super().__init__(f"paramètre « {name} » invalide : {value[:80]!r} (attendu : {expected})")


# --- templates --------------------------------------------------------------------------------

_WORD = re.compile(r"\w+", re.UNICODE)


def highlight(text: str | None, terms: tuple[str, ...] | list[str] | None) -> Markup:
    """Escape `text`, then wrap in <mark> each word that a query term matches (accents and case ignored).

    Terms may be stems ("isol" matches "isolées"); words are compared folded, so "agees" marks "âgées".
    """
    text = text or ""
    folded_terms = [fold(t) for t in (terms or ()) if len(t) >= 2]
    if not folded_terms:
        return Markup(escape(text))
    out, last = [], 0
    for m in _WORD.finditer(text):
        word = fold(m.group())
        if any(word == t or (len(t) >= 3 and word.startswith(t)) or (len(word) >= 4 and t.startswith(word))
               for t in folded_terms):
            out.append(escape(text[last:m.start()]))
            out.append(Markup("<mark>") + escape(m.group()) + Markup("</mark>"))
            last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def number(value: float | int | None, digits: int = 0) -> str:
    """French number formatting: 95 231 ; 0,17."""
    if value is None:
        return "—"
    text = f"{value:,.{digits}f}".replace(",", "\u202f").replace(".", ",")
    return text


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}\u00a0%"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(highlight=highlight, number=number, percent=percent)
    env.globals.update(status_labels=STATUS_LABELS, facets=FACETS)
    return env


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def not_found(request: Request, what: str) -> HTMLResponse:
    return render(request, "error.html", 404, title="Page introuvable", message=what)


def bad_request(request: Request, error: PcsError) -> HTMLResponse:
    return render(request, "error.html", 400, title="Demande invalide", message=str(error))


def _services(request: Request) -> Any:
    return request.app.state.services


def _data(request: Request) -> PageData:
    ws = _services(request).workspace
    return PageData(ws.store, ws.uris, ws.communes)


def _engine(request: Request) -> Any:
    """The search engine; raises SearchUnavailable when the service could not open it."""
    return _services(request).search


async def _off_loop(request: Request, build: Callable[..., Response], *args: Any) -> Response:
    """Build a page in the service's bounded thread pool: store queries never block the event loop."""
    return await _services(request).run(build, request, *args)


# --- search -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SearchRequest:
    q: str
    filters: SearchFilters
    page: int
    selected: dict[str, tuple[str, ...]]  # facet name → values as given, for checked boxes and links

    def url(self, **changes: Any) -> str:
        params: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for name, values in self.selected.items():
            params += [(name, v) for v in values]
        page = changes.get("page", self.page)
        if page > 1:
            params.append(("page", str(page)))
        return "/recherche?" + urlencode(params)


def _values(request: Request, name: str, pattern: re.Pattern[str] | tuple[str, ...], expected: str) -> tuple[str, ...]:
    values = tuple(v.strip() for v in request.query_params.getlist(name) if v.strip())
    for v in values:
        ok = v in pattern if isinstance(pattern, tuple) else pattern.fullmatch(v)
        if not ok:
            raise BadPageParameter(name, v, expected)
    return tuple(dict.fromkeys(values))


def parse_search(request: Request) -> SearchRequest:
    """The search form's parameters, checked: a malformed one raises BadPageParameter (a 400 page)."""
    q = (request.query_params.get("q") or "").strip()[:MAX_QUERY_LENGTH]
    selected = {
        "axis": _values(request, "axis", re.compile(r"[1-7]"), "un axe de 1 à 7"),
        "theme": _values(request, "theme", THEME, "un thème x.y"),
        "action_type": _values(request, "action_type", CODE, "un code x.y.zz"),
        "commune": _values(request, "commune", NIS, "un code INS à 5 chiffres"),
        "province": _values(request, "province", re.compile(r"[\w' -]{2,40}"), "un nom de province"),
        "programme": _values(request, "programme", PERIOD, "une programmation comme 2020-2025"),
        "partner_kind": _values(request, "partner_kind", PARTNER_KINDS, " ou ".join(PARTNER_KINDS)),
        "article20": _values(request, "article20", TRUE + FALSE, "true ou false"),
        "status": _values(request, "status", STATUSES, "declared, inferred ou unclassified"),
    }
    flags = {v in TRUE for v in selected["article20"]}
    page_text = request.query_params.get("page") or "1"
    if not page_text.isdigit() or not 1 <= int(page_text) <= MAX_PAGE:
        raise BadPageParameter("page", page_text, f"un numéro de page de 1 à {MAX_PAGE}")
    filters = SearchFilters(
        axis=tuple(int(a) for a in selected["axis"]), theme=selected["theme"],
        action_type=selected["action_type"], commune=selected["commune"], province=selected["province"],
        programme=selected["programme"], partner_kind=selected["partner_kind"],
        article20=flags.pop() if len(flags) == 1 else None, status=selected["status"],
    )
    return SearchRequest(q, filters, int(page_text), {k: v for k, v in selected.items() if v})


def _checked(selected: dict[str, tuple[str, ...]], facet: str, value: str) -> bool:
    values = selected.get(facet, ())
    if facet == "article20":
        return any((v in TRUE) == (str(value).lower() in TRUE) for v in values)
    return str(value) in values or (facet == "province" and any(fold(v) == fold(str(value)) for v in values))


@router.get("/recherche", response_class=HTMLResponse)
async def search_page(request: Request) -> Response:
    return await _off_loop(request, _search_page)


def _search_page(request: Request) -> Response:
    try:
        search = parse_search(request)
    except BadPageParameter as e:
        return bad_request(request, e)
    results: SearchResults | None = None
    if search.q or search.selected:
        try:
            results = _engine(request).search(search.q, search.filters, k=PAGE_SIZE,
                                              offset=(search.page - 1) * PAGE_SIZE)
        except PcsError as e:
            return bad_request(request, e)
        except SearchUnavailable as e:
            return render(request, "error.html", 503, title="Recherche indisponible", message=str(e))
    data = _data(request)
    pages = 0 if results is None else (results.total + PAGE_SIZE - 1) // PAGE_SIZE
    return render(request, "results.html", search=search, results=results, pages=pages,
                  hit_path=lambda hit: data.path(hit.uri), path=data.path,
                  checked=lambda facet, value: _checked(search.selected, facet, value),
                  title=f"« {search.q} » — recherche" if search.q else "Recherche")


# --- home, statistics -------------------------------------------------------------------------

@router.get("/", response_class=HTMLResponse)
async def home(request: Request) -> Response:
    return await _off_loop(request, _home)


def _home(request: Request) -> Response:
    data = _data(request)
    store = data.store
    labels = data.axis_labels()
    counts = {c.key: c.actions for c in stats.actions_per_axis(store)}
    axes = [(n, labels.get(n, ""), counts.get(n, 0)) for n in "1234567"]
    return render(request, "home.html", title="Plans de cohésion sociale", axes=axes,
                  totals=stats.totals(store), sources=data.sources_overview())


@router.get("/statistiques", response_class=HTMLResponse)
async def statistics(request: Request) -> Response:
    return await _off_loop(request, _statistics)


def _statistics(request: Request) -> Response:
    data = _data(request)
    store = data.store
    per_axis = stats.actions_per_axis(store)
    per_province = stats.actions_per_province(store)
    per_kind = stats.actions_per_partner_kind(store)
    axis_chart = bar_chart([Bar(f"Axe {c.key} — {c.label}" if c.key[:1].isdigit() and "/" not in c.key else
                                (f"Ancien axe {c.key.split('/')[-1]} — {c.label}" if "/" in c.key else c.label),
                                c.actions, f"{c.actions} ({percent(c.share)})",
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
    return render(request, "stats.html", title="Statistiques", totals=stats.totals(store),
                  axis_chart=axis_chart, province_chart=province_chart, kind_chart=kind_chart,
                  compare_chart=compare_chart, per_axis=per_axis,
                  map=commune_map(data.directory.communes, communes, "Communes dont le graphe contient des actions"),
                  sources=data.sources_overview())


# --- resources --------------------------------------------------------------------------------

@router.get("/action/{nis}/{period}/{key}", response_class=HTMLResponse)
async def action_page(request: Request, nis: str, period: str, key: str) -> Response:
    return await _off_loop(request, _action_page, nis, period, key)


def _action_page(request: Request, nis: str, period: str, key: str) -> Response:
    data = _data(request)
    action = data.action(nis, period, key)
    if action is None:
        return not_found(request, f"Aucune action « {nis}/{period}/{key} » dans le graphe.")
    similar: tuple[Hit, ...] = ()
    similar_note = None
    try:
        found = _engine(request).similar(action.uri, k=8)
        similar = tuple(h for h in found.hits if h.nis != nis)[:5]
    except (PcsError, SearchUnavailable) as e:
        similar_note = str(e)
    return render(request, "action.html", title=action.row.label, action=action, similar=similar,
                  similar_note=similar_note, hit_path=lambda hit: data.path(hit.uri))


@router.get("/commune/{nis}", response_class=HTMLResponse)
async def commune_page(request: Request, nis: str) -> Response:
    return await _off_loop(request, _commune_page, nis)


def _commune_page(request: Request, nis: str) -> Response:
    view = _data(request).commune(nis)
    if view is None:
        return not_found(request, f"Aucune commune wallonne n'a le code INS « {nis} ».")
    chart = bar_chart([Bar(f"Axe {g.axis}" if g.axis != "?" else "Non classées", len(g.actions),
                           str(len(g.actions)), f"#axe-{g.axis if g.axis != '?' else 'nc'}") for g in view.groups],
                      f"Actions de {view.commune.name} par axe", label_width=140, width=560)
    return render(request, "commune.html", title=view.commune.name, view=view, chart=chart)


@router.get("/plan/{nis}/{period}")
async def plan_page(request: Request, nis: str, period: str) -> Response:
    return await _off_loop(request, _plan_page, nis, period)


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
    return await _off_loop(request, _province_page, nis)


def _province_page(request: Request, nis: str) -> Response:
    data = _data(request)
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
    data = _data(request)
    view = {"axis": data.axis, "theme": data.theme, "action-type": data.action_type}[kind](code)
    names = {"axis": "Axe", "theme": "Thème", "action-type": "Type d'action"}
    if view is None:
        return not_found(request, f"{names[kind]} « {code} » inconnu de la nomenclature du graphe.")
    title = f"{names[kind]} {code}" + (f" — {view.label}" if view.label else "")
    map_svg = commune_map(data.directory.communes, view.communes, f"Communes qui mènent des actions : {title}")
    return render(request, "concept.html", title=title, view=view, kind_name=names[kind], map=map_svg)


@router.get("/action-type/{code}", response_class=HTMLResponse)
async def action_type_page(request: Request, code: str) -> Response:
    return await _off_loop(request, _concept_page, "action-type", code)


@router.get("/theme/{code}", response_class=HTMLResponse)
async def theme_page(request: Request, code: str) -> Response:
    return await _off_loop(request, _concept_page, "theme", code)


@router.get("/axis/{number}", response_class=HTMLResponse)
async def axis_page(request: Request, number: str) -> Response:
    return await _off_loop(request, _concept_page, "axis", number)


@router.get("/partner/{slug}", response_class=HTMLResponse)
async def partner_page(request: Request, slug: str) -> Response:
    return await _off_loop(request, _partner_page, slug)


def _partner_page(request: Request, slug: str) -> Response:
    data = _data(request)
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
    return await _off_loop(request, _document_page, slug)


def _document_page(request: Request, slug: str) -> Response:
    view = _data(request).document(slug)
    if view is None:
        return not_found(request, f"Aucun document source « {slug} » dans le graphe.")
    return render(request, "document.html", title=view.source.file_name, view=view)


# --- SPARQL page --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ExampleQuery:
    name: str
    title: str
    description: str
    text: str


def load_gallery(folder: Path = QUERIES_DIR) -> list[ExampleQuery]:
    """The example queries: each .rq file starts with '# title' and optional '# description' lines."""
    examples = []
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        comments = []
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            comments.append(line.lstrip("#").strip())
        title = comments[0] if comments else path.stem
        examples.append(ExampleQuery(path.stem, title, " ".join(comments[1:]), text))
    return examples


@router.get("/requetes", response_class=HTMLResponse)
async def queries_page(request: Request) -> Response:
    return await _off_loop(request, _queries_page)


def _queries_page(request: Request) -> Response:
    gallery = load_gallery()
    chosen = request.query_params.get("exemple")
    current = next((g for g in gallery if g.name == chosen), gallery[0] if gallery else None)
    if chosen and (current is None or current.name != chosen):
        return not_found(request, f"Aucune requête d'exemple « {chosen} ».")
    return render(request, "queries.html", title="Requêtes SPARQL", gallery=gallery, current=current)


# --- static assets ------------------------------------------------------------------------------

MEDIA_TYPES = {".css": "text/css", ".js": "text/javascript", ".svg": "image/svg+xml", ".png": "image/png",
               ".ico": "image/x-icon", ".txt": "text/plain"}


@router.get("/static/{path:path}")
def static_file(request: Request, path: str) -> Response:
    """Local assets only (CSS, scripts, vendored YASGUI); nothing outside api/static is reachable."""
    target = (STATIC_DIR / path).resolve()
    if not target.is_file() or STATIC_DIR not in target.parents:
        return Response("introuvable", status_code=404, media_type="text/plain; charset=utf-8")
    media = MEDIA_TYPES.get(target.suffix, "text/plain" if target.name == "LICENSE" else "application/octet-stream")
    return FileResponse(target, media_type=media, headers={"Cache-Control": "public, max-age=3600"})
