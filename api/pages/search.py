"""The search page: a GET form (works without JavaScript), facet checkboxes, pages of 10 hits.

    /recherche?q=personnes+isolées&axis=5&province=Hainaut&page=2
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from pcs_graph.errors import PcsError
from pcs_graph.graph.likeness import SIZE_BAND_LABELS, URBAN_RURAL_LABELS
from pcs_graph.graph.sheet import PARTNER_KINDS
from pcs_graph.graph.sources import SOURCE_KINDS
from pcs_graph.search.engine import SearchNotReady
from pcs_graph.search.types import SearchFilters, SearchResults
from pcs_graph.text import fold

from ..services import SearchUnavailable
from ..sheets import with_sheets
from .data import CODE, NIS, PERIOD, THEME
from .render import BadPageParameter, bad_request, engine, off_loop, page_data, render
from .tabular import download_links

PAGE_SIZE = 10
MAX_PAGE = 500
MAX_QUERY_LENGTH = 512
STATUSES = ("declared", "inferred", "unclassified")
TRUE, FALSE = ("true", "1", "oui", "yes", "on"), ("false", "0", "non", "no")

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class SearchRequest:
    q: str
    filters: SearchFilters
    page: int
    selected: dict[str, tuple[str, ...]]  # facet name → values as given, for checked boxes and links

    def params(self) -> list[tuple[str, str]]:
        """The query and the filters, as the form sends them (no page number)."""
        params: list[tuple[str, str]] = [("q", self.q)] if self.q else []
        for name, values in self.selected.items():
            params += [(name, v) for v in values]
        return params

    def url(self, **changes: Any) -> str:
        params = self.params()
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
        "source_kind": _values(request, "source_kind", tuple(SOURCE_KINDS), " ou ".join(SOURCE_KINDS)),
        "size_band": _values(request, "size_band", tuple(SIZE_BAND_LABELS), " ou ".join(SIZE_BAND_LABELS)),
        "urban_rural": _values(request, "urban_rural", tuple(URBAN_RURAL_LABELS), "urban ou rural"),
        "comparable_to": _values(request, "comparable_to", NIS, "un code INS à 5 chiffres")[:1],
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
        source_kind=selected["source_kind"], size_band=selected["size_band"], urban_rural=selected["urban_rural"],
        comparable_to=selected["comparable_to"][0] if selected["comparable_to"] else None,
    )
    return SearchRequest(q, filters, int(page_text), {k: v for k, v in selected.items() if v})


def _checked(selected: dict[str, tuple[str, ...]], facet: str, value: str) -> bool:
    values = selected.get(facet, ())
    if facet == "article20":
        return any((v in TRUE) == (str(value).lower() in TRUE) for v in values)
    return str(value) in values or (facet == "province" and any(fold(v) == fold(str(value)) for v in values))


@router.get("/recherche", response_class=HTMLResponse)
async def search_page(request: Request) -> Response:
    return await off_loop(request, _search_page)


def _search_page(request: Request) -> Response:
    try:
        search = parse_search(request)
    except BadPageParameter as e:
        return bad_request(request, e)
    results: SearchResults | None = None
    if search.q or search.selected:
        try:
            results = engine(request).search(search.q, search.filters, k=PAGE_SIZE,
                                              offset=(search.page - 1) * PAGE_SIZE)
            results = replace(results, hits=with_sheets(page_data(request).store, results.hits))
        except (SearchUnavailable, SearchNotReady) as e:
            return render(request, "error.html", 503, title="Recherche indisponible", message=str(e))
        except PcsError as e:
            return bad_request(request, e)
    data = page_data(request)
    pages = 0 if results is None else (results.total + PAGE_SIZE - 1) // PAGE_SIZE
    return render(request, "results.html", search=search, results=results, pages=pages,
                  downloads=download_links("recherche", search.params()),
                  hit_path=lambda hit: data.path(hit.uri), path=data.path,
                  checked=lambda facet, value: _checked(search.selected, facet, value),
                  title=f"« {search.q} » — recherche" if search.q else "Recherche")
