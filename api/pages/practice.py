"""The practice sheet on the pages: an action's sheet, a commune's actions with their status, and the
communes comparable to a commune (same size band and urban/rural class, nearest first).

    sheet = action_sheet(data, action.uri)              # SheetView: what, for whom, since when, status…
    statuses = commune_statuses(data, "61019")          # {action page path: « arrêtée en 2023 »}
    view = comparable_view(request, data, "92003")      # ComparableView: Andenne's profile and its likes

The commune profiles (`Likeness`) are built once per application, on the first page that needs them.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from pcs_graph.graph.likeness import Likeness, Profile
from pcs_graph.graph.sheet import read_sheets

from ..sheets import SheetView, current_action_sheet, status_badge_text
from .data import PageData

COMPARABLE_SHOWN = 8


def likeness(request: Request, data: PageData) -> Likeness:
    """The application's commune profiles (built on first use, then kept on app.state)."""
    found = getattr(request.app.state, "likeness", None)
    if found is None:
        found = request.app.state.likeness = Likeness.load(data.directory)
    return found


def action_sheet(data: PageData, action_uri: str) -> SheetView:
    """The sheet the page shows: the commune's word where it updated a field, the source's elsewhere."""
    return SheetView.of(current_action_sheet(data.store, data.uris, action_uri))


def commune_statuses(data: PageData, nis: str) -> dict[str, str]:
    """The status the sources state for each of a commune's actions, by page path (none: not listed)."""
    rows = data.store.select(f"SELECT ?a WHERE {{ ?a a pcs:Action ; pcs:commune <{data.uris.commune(nis)}> ; "
                             "pcs:status ?s }")
    sheets = read_sheets(data.store, [r["a"] or "" for r in rows])
    return {data.path(uri): status_badge_text(sheet) for uri, sheet in sheets.items() if sheet.status}


@dataclass(frozen=True)
class ComparableCommune:
    profile: Profile
    actions: int  # its live actions in the graph


@dataclass(frozen=True)
class ComparableView:
    profile: Profile | None
    communes: tuple[ComparableCommune, ...]  # nearest first, at most COMPARABLE_SHOWN
    total: int  # every commune of the same band and class
    with_actions: int  # how many of them have actions in the graph


def comparable_view(request: Request, data: PageData, nis: str) -> ComparableView:
    """The communes comparable to `nis`, those with actions in the graph first, then the nearest others."""
    like = likeness(request, data)
    comparable = like.comparable(nis)
    rows = data.store.select("SELECT ?nis (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pcs:Action ; "
                             "pcs:commune/pcs:nisCode ?nis } GROUP BY ?nis")
    counts = {r["nis"] or "": int(r["n"] or 0) for r in rows}
    ordered = sorted(comparable, key=lambda p: counts.get(p.nis, 0) == 0)  # stable: nearest first in each group
    shown = tuple(ComparableCommune(p, counts.get(p.nis, 0)) for p in ordered[:COMPARABLE_SHOWN])
    return ComparableView(like.profile(nis), shown, len(comparable), sum(1 for p in comparable if counts.get(p.nis)))
