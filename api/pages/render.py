"""How every page is rendered: the jinja2 environment and its filters, error pages, the services.

    return render(request, "commune.html", title=view.commune.name, view=view)
    highlight("Personnes âgées isolées", ["isol"])     # Markup('Personnes âgées <mark>isolées</mark>')

Autoescape is on: every label coming from a document is escaped. Page handlers build their page in
the service's bounded thread pool (`off_loop`), so store queries never block the event loop.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any, Callable

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup, escape

from pcs_graph.errors import PcsError
from pcs_graph.graph.programmes import MONTHS
from pcs_graph.graph.sources import SOURCE_KIND_LABELS
from pcs_graph.graph.programmes import french_date as french
from pcs_graph.stats.counts import axis_heading, axis_title
from pcs_graph.text import fold

from .data import STATUS_LABELS, PageData

API_DIR = Path(__file__).resolve().parents[1]
STATIC_DIR = API_DIR / "static"
QUERIES_DIR = API_DIR / "queries"
TEMPLATES_DIR = API_DIR / "templates"
FACETS = (("axis", "Axe"), ("province", "Province"), ("commune", "Commune"), ("programme", "Programmation"),
          ("partner_kind", "Type de partenaire"), ("article20", "Partenaire « article 20 »"),
          ("status", "Classification"), ("source_kind", "Type de source"), ("size_band", "Taille de la commune"),
          ("urban_rural", "Commune urbaine ou rurale"))


class BadPageParameter(PcsError):
    """A page parameter a user typed or edited that cannot be understood (rendered as a 400 page)."""

    def __init__(self, name: str, value: str, expected: str) -> None:
        self.name = name
        super().__init__(f"paramètre « {name} » invalide : {value[:80]!r} (attendu : {expected})")


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


def french_date(value: str | None) -> str:
    """'2023-03-02' → '2 mars 2023', '2022-09' → 'septembre 2022', '2016' → '2016'."""
    if not value:
        return ""
    parts = value.split("-")
    if len(parts) == 3:
        return french(date.fromisoformat(value))
    if len(parts) == 2 and parts[1].isdigit() and 1 <= int(parts[1]) <= 12:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return value


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}\u00a0%"


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters.update(highlight=highlight, number=number, percent=percent, french_date=french_date)
    env.globals.update(status_labels=STATUS_LABELS, facets=FACETS, axis_title=axis_title, axis_heading=axis_heading,
                       source_kind_labels=SOURCE_KIND_LABELS)
    env.globals.update(contribution_panel=_contribution_panel)
    return env


def _contribution_panel(request: Request, action_uri: str) -> Any:
    """The action page's contribution panel (issue 18: api/auth/panel.py), imported when first drawn."""
    from ..auth.panel import contribution_panel

    return contribution_panel(request, action_uri)


templates = Jinja2Templates(env=_environment())


def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def not_found(request: Request, what: str) -> HTMLResponse:
    return render(request, "error.html", 404, title="Page introuvable", message=what)


def bad_request(request: Request, error: PcsError) -> HTMLResponse:
    return render(request, "error.html", 400, title="Demande invalide", message=str(error))


def services(request: Request) -> Any:
    return request.app.state.services


def page_data(request: Request) -> PageData:
    ws = services(request).workspace
    return PageData(ws.store, ws.uris, ws.communes, ws.programmes)


def engine(request: Request) -> Any:
    """The search engine; raises SearchUnavailable when the service could not open it."""
    return services(request).search


async def off_loop(request: Request, build: Callable[..., Response], *args: Any) -> Response:
    """Build a page in the service's bounded thread pool: store queries never block the event loop."""
    return await services(request).run(build, request, *args)
