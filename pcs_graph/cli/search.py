"""Search commands of `pcs`: index, search, similar, classify, review (registered on the main app).

    pcs index --store var/store
    pcs search "activités pour personnes âgées isolées" --axis 5 --province Hainaut -k 10 --json
    pcs similar https://w3id.org/pcs/id/action/53053/2020-2025/23
    pcs classify "Gym douce pour aînés" --json
    pcs review
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated, Optional, TypeVar

import typer
from rich.table import Table

from ..errors import PcsError
from ..search.types import SearchFilters, SearchResults
from ..store.workspace import Workspace
from .common import JsonOpt, StoreOpt, console, err, fail, settings_for

if TYPE_CHECKING:
    from ..search.engine import SearchEngine

T = TypeVar("T")


@contextmanager
def _reading(store: str | None) -> Iterator[Workspace]:
    """A read-only workspace: search never writes the store, so it may run beside a writer."""
    ws = Workspace(settings_for(store), read_only=True)
    try:
        yield ws
    finally:
        ws.close()


def _with_engine(store: str | None, call: Callable[["SearchEngine"], T]) -> T:
    """Open the store read-only and the search engine once, run one call, report a user's error plainly."""
    from ..search.engine import SearchEngine

    with _reading(store) as ws:
        try:
            return call(SearchEngine.open(ws))
        except PcsError as e:
            fail(e)
            raise  # unreachable: fail exits


def _print_results(results: SearchResults, as_json: bool) -> None:
    for note in results.notes:
        err.print(f"[yellow]Note[/] : {note}", highlight=False)
    if as_json:
        print(json.dumps([h.to_json() for h in results.hits], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{results.total} actions correspondent" + (" (aucune vraiment : les plus proches)"
                                                                   if not results.total else ""))
    for column in ("score", "code", "action", "commune", "partenaires", "pourquoi"):
        table.add_column(column)
    for h in results.hits:
        partners = ", ".join(p.name + (" (art. 20)" if p.article20 else "") for p in h.partners)
        why = " ; ".join(h.why.sentences()) + ("" if h.relevant else " ; ne correspond pas vraiment")
        table.add_row(f"{h.score:.3f}", h.code or "—", h.label, f"{h.commune} ({h.nis})", partners, why)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add the search commands to the `pcs` application."""

    @app.command("index")
    def index_command(store: StoreOpt = None) -> None:
        """Construire ou mettre à jour l'index de recherche (et classer les actions sans code)."""
        from .progress import build_index

        with Workspace(settings_for(store)) as ws:
            report = build_index(ws)
        console.print(f"Index : {report}", highlight=False)

    @app.command("search")
    def search_command(
        query: Annotated[str, typer.Argument(help="Ce que vous cherchez, en français.")],
        store: StoreOpt = None,
        k: Annotated[int, typer.Option("-k", help="Nombre de résultats.")] = 10,
        offset: Annotated[int, typer.Option("--offset", help="Résultats à sauter (pagination).")] = 0,
        axis: Annotated[Optional[list[int]], typer.Option("--axis", help="Axe 1 à 7 (répétable).")] = None,
        theme: Annotated[Optional[list[str]], typer.Option("--theme", help="Thème x.y.")] = None,
        action_type: Annotated[Optional[list[str]], typer.Option("--action-type", help="Type x.y.zz.")] = None,
        commune: Annotated[Optional[list[str]], typer.Option("--commune", help="Commune (nom ou NIS).")] = None,
        province: Annotated[Optional[list[str]], typer.Option("--province", help="Province (nom ou NIS).")] = None,
        programme: Annotated[Optional[list[str]], typer.Option("--programme", help="2014-2019, 2020-2025…")] = None,
        partner_kind: Annotated[Optional[list[str]], typer.Option("--partner-kind", help="ASBL, CPAS, …")] = None,
        article20: Annotated[Optional[bool], typer.Option("--article20/--no-article20",
                                                          help="Avec (ou sans) partenaire article 20.")] = None,
        status: Annotated[Optional[list[str]], typer.Option("--status", help="declared, inferred, unclassified")] = None,
        source_kind: Annotated[Optional[list[str]], typer.Option("--source-kind",
                                                                 help="official-plan, commune-page, press…")] = None,
        size_band: Annotated[Optional[list[str]], typer.Option("--size-band",
                                                               help="lt10k, 10k-25k, 25k-50k, ge50k")] = None,
        urban_rural: Annotated[Optional[list[str]], typer.Option("--urban-rural", help="urban ou rural")] = None,
        comparable_to: Annotated[Optional[str], typer.Option(
            "--comparable-to", help="Seulement les communes comparables à celle-ci (NIS ou nom).")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Chercher des actions en français (sens et mots), avec filtres."""
        filters = SearchFilters(axis=tuple(axis or ()), theme=tuple(theme or ()), action_type=tuple(action_type or ()),
                                commune=tuple(commune or ()), province=tuple(province or ()),
                                programme=tuple(programme or ()), partner_kind=tuple(partner_kind or ()),
                                article20=article20, status=tuple(status or ()),
                                source_kind=tuple(source_kind or ()), size_band=tuple(size_band or ()),
                                urban_rural=tuple(urban_rural or ()), comparable_to=comparable_to)
        _print_results(_with_engine(store, lambda engine: engine.search(query, filters, k=k, offset=offset)), as_json)

    @app.command("similar")
    def similar_command(
        action_uri: Annotated[str, typer.Argument(help="URI de l'action.")],
        store: StoreOpt = None,
        k: Annotated[int, typer.Option("-k")] = 5,
        comparable_to: Annotated[Optional[str], typer.Option(
            "--comparable-to", help="Seulement les communes comparables à celle-ci (NIS ou nom).")] = None,
        as_json: JsonOpt = False,
    ) -> None:
        """Les actions les plus proches dans d'autres communes (échange de bonnes pratiques)."""
        if comparable_to:
            from ..graph.reference import CommuneDirectory
            from ..search.filters import keep_comparable

            found = _with_engine(store, lambda engine: engine.similar(action_uri, k=100))
            _print_results(keep_comparable(found, comparable_to, CommuneDirectory.load(), k), as_json)
            return
        _print_results(_with_engine(store, lambda engine: engine.similar(action_uri, k=k)), as_json)

    @app.command("classify")
    def classify_command(
        text: Annotated[str, typer.Argument(help="Libellé d'une action sans code.")],
        store: StoreOpt = None,
        k: Annotated[int, typer.Option("-k")] = 5,
        as_json: JsonOpt = False,
    ) -> None:
        """Les types d'action de la nomenclature les plus probables pour un libellé, avec leur confiance."""
        candidates = _with_engine(store, lambda engine: engine.classify(text, k=k))
        if as_json:
            print(json.dumps([c.__dict__ for c in candidates], ensure_ascii=False, indent=2))
            return
        table = Table("code", "type d'action", "axe", "confiance")
        for c in candidates:
            table.add_row(c.code, c.label, str(c.axis), f"{c.confidence:.0%}")
        console.print(table)

    @app.command("review")
    def review_command(store: StoreOpt = None, as_json: JsonOpt = False) -> None:
        """Les actions sans code que le classifieur n'a pas osé typer, avec ses propositions et leur axe
        (inféré, ou inconnu sous le seuil mesuré), et celles des plans 2014-2019 restées sans axe."""
        from ..search.axes import AxisGuess, axis_status, old_scheme_unknown
        from ..search.classify import Classifier, pending_actions
        from ..search.embedders import load_embedder

        with _reading(store) as ws:
            try:
                pending = pending_actions(ws.store, ws.uris)
                embedder = load_embedder(ws.settings.embedder)
                classifier = Classifier.from_store(ws.store, ws.uris, embedder)
                rows = [(p.uri, p.label, p.commune, classifier.score(p.label, k=3, axis=p.stated_axis)) for p in pending]
                entries = [(uri, label, commune, axis_status(ws.store, uri, p.stated_axis,
                                                             AxisGuess(s.axis, s.axis_confidence, s.axis_lead),
                                                             classifier.axis_calibration), list(s.candidates))
                           for p, (uri, label, commune, s) in zip(pending, rows)]
                entries += [(a.uri, a.label, a.commune, status, []) for a, status in
                            old_scheme_unknown(ws.store, ws.uris, classifier.old_axis, classifier.old_axis_calibration)]
            except PcsError as e:
                fail(e)
        if as_json:
            print(json.dumps([{"uri": uri, "label": label, "commune": commune, "axis": status.__dict__,
                               "candidates": [c.__dict__ for c in candidates]}
                              for uri, label, commune, status, candidates in entries], ensure_ascii=False, indent=2))
            return
        table = Table("action", "commune", "axe", "propositions", title=f"{len(entries)} actions à revoir")
        for uri, label, commune, status, candidates in entries:
            table.add_row(label, commune, status.text, " ; ".join(f"{c.code} {c.label[:40]} ({c.confidence:.0%})"
                                                                  for c in candidates))
        console.print(table)
