"""Data commands of `pcs`: ingest, validate, stats, sparql, export, remove, catalogue load.

    pcs ingest corpus/mons_pcs_2020-2025.txt --store var/store
    pcs stats --json
    pcs sparql 'SELECT ...' --format csv
    pcs catalogue load official_catalogue.csv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from ..errors import PcsError
from ..graph.sources import SOURCE_KINDS
from ..ingest.metadata import publication_from
from ..load import Ingestor
from ..store.staging import first_load
from ..store.workspace import Workspace
from .common import (
    StoreOpt,
    UpdateUrlOpt,
    console,
    corpus_files,
    err,
    expand,
    fail,
    settings_for,
)
from .progress import build_index, interruptible


def register(app: typer.Typer) -> None:
    """Add the data commands (and the `catalogue` group) to the `pcs` application."""
    for command in (ingest, validate, stats, sparql, export, remove):
        app.command()(command)
    catalogue_app = typer.Typer(help="Nomenclature officielle (catalogue des types d'action).")
    catalogue_app.command("load")(catalogue_load)
    app.add_typer(catalogue_app, name="catalogue")


def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Documents ou dossiers (défaut : le corpus fourni).")] = None,
    store: StoreOpt = None,
    update_url: UpdateUrlOpt = None,
    commune: Annotated[Optional[str], typer.Option(help="Commune du document (nom ou code NIS).")] = None,
    programme: Annotated[Optional[str], typer.Option(help="Programmation : 2009-2013, 2014-2019 ou 2020-2025.")] = None,
    source_url: Annotated[Optional[str], typer.Option("--source-url", help="Adresse web où le document est publié.")] = None,
    source_kind: Annotated[Optional[str], typer.Option("--source-kind", help="Type de cette source : " + ", ".join(SOURCE_KINDS) + ".")] = None,
    index: Annotated[bool, typer.Option("--index/--no-index", help="Mettre à jour l'index de recherche.")] = True,
) -> None:
    """Lire des documents de plan et les verser dans le graphe (un graphe nommé par document)."""
    files = expand(paths) if paths else corpus_files()
    failures = 0
    publication = None
    if source_url or source_kind:
        try:
            publication = publication_from("--source-url", source_url, {"source_kind": source_kind}, "source_kind")
        except PcsError as e:
            fail(e)
    kept = ("chaque document est dans le store en entier ou pas du tout (un premier chargement, dans un store "
            "sans document, n'est versé qu'à la fin) ; relancez la commande pour verser le reste")
    with interruptible(kept), Workspace(settings_for(store, update_url)) as ws:  # the store's close bounded too
        with first_load(ws.store) as target:  # a store with no document yet: staged, swapped in at the end
            ingestor = Ingestor.of(ws, target)
            try:
                ingestor.ensure_reference()
            except PcsError as e:
                fail(e)
            with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=err, transient=True) as progress:
                task = progress.add_task("Ingestion", total=len(files))
                for path in files:
                    progress.update(task, description=f"Ingestion de {path.name}")
                    try:
                        result = ingestor.ingest(path, commune=commune, programme=programme, publication=publication)
                    except PcsError as e:
                        failures += 1
                        err.print(f"[bold red]Erreur[/] : {e}", highlight=False)
                    else:
                        console.print(f"{result.status:>9}  {result.actions:>4} actions  {path}", highlight=False,
                                      soft_wrap=True)
                        for warning in result.warnings:
                            err.print(f"[yellow]Avertissement[/] : {warning}", highlight=False)
                    progress.advance(task)
        if index and failures < len(files):
            _update_index(ws)
    if failures:
        raise typer.Exit(2)


def _update_index(ws: Workspace) -> None:
    """Keep the search index in step with the store (only new or changed actions are embedded)."""
    err.print(f"Index : {build_index(ws)}", highlight=False)


def validate(store: StoreOpt = None, update_url: UpdateUrlOpt = None) -> None:
    """Valider le graphe avec les formes SHACL (ontology/shapes.ttl)."""
    from rdflib import Graph

    from ..graph.validation import validate_graph

    with Workspace(settings_for(store, update_url)) as ws:
        data = Graph()
        data.parse(data=ws.store.dump("application/n-triples"), format="nt")
    report = validate_graph(data)
    if report.conforms:
        console.print(f"[green]Le graphe est conforme[/] ({len(data)} triplets).")
        notes = [v for v in report.violations if v.severity != "Violation"]
        if notes:
            console.print(f"{len(notes)} avertissement(s) ou note(s) :", highlight=False)
            console.print("\n".join(v.to_text() for v in notes), highlight=False)
        return
    console.print(report.to_text(), highlight=False)
    raise typer.Exit(1)


def stats(store: StoreOpt = None, update_url: UpdateUrlOpt = None,
          as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Actions par axe, par province, par commune et par type de partenaire."""
    from ..stats import counts as s

    with Workspace(settings_for(store, update_url)) as ws:
        sections = {
            "axe": s.actions_per_axis(ws.store), "province": s.actions_per_province(ws.store),
            "commune": s.actions_per_commune(ws.store), "type de partenaire": s.actions_per_partner_kind(ws.store),
        }
        totals = s.totals(ws.store)
    if as_json:
        print(json.dumps({"totals": totals, **{k: [c.__dict__ for c in v] for k, v in sections.items()}},
                         ensure_ascii=False, indent=2))
        return
    for key, label in s.LABELS.items():
        console.print(f"{totals[key]:>6}  {label}", highlight=False)
    for title, counts in sections.items():
        table = Table(title=f"Actions par {title}")
        table.add_column("code")
        table.add_column(title)
        table.add_column("actions", justify="right")
        table.add_column("part", justify="right")
        if title == "axe":
            for column in ("déclaré", "indiqué", "inféré"):
                table.add_column(column, justify="right")
        for c in counts:
            extra = (str(c.declared), str(c.stated), str(c.inferred)) if title == "axe" else ()
            table.add_row(c.key, s.axis_title(c) if title == "axe" else c.label, str(c.actions), f"{c.share:.0%}", *extra)
        console.print(table)
    console.print("Pour comparaison, 2009-2013 (1 712 actions, 4 axes) : " + ", ".join(
        f"{k} {v:.0%}" for k, v in s.SHARES_2009_2013.items()), highlight=False)


def sparql(
    query: Annotated[str, typer.Argument(help="Requête SPARQL (ou @fichier.rq).")],
    store: StoreOpt = None,
    update_url: UpdateUrlOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="json, csv, tsv, xml ou table.")] = "table",
) -> None:
    """Exécuter une requête SPARQL (lecture seule) sur le graphe."""
    if query.startswith("@"):
        query = Path(query[1:]).read_text(encoding="utf-8")
    media = {"json": "application/sparql-results+json", "csv": "text/csv", "tsv": "text/tab-separated-values",
             "xml": "application/sparql-results+xml"}
    with Workspace(settings_for(store, update_url), read_only=False) as ws:
        try:
            if format == "table":
                rows = ws.store.select(query)
            elif format in media:
                result = ws.store.raw_query(query, media[format])
                sys.stdout.write(result.body.decode("utf-8"))
                if not result.body.endswith(b"\n"):
                    sys.stdout.write("\n")
                return
            else:
                fail(PcsError(f"format inconnu {format!r} (json, csv, tsv, xml ou table)"))
        except PcsError as e:
            fail(e)
    table = Table(*(rows[0].keys() if rows else ["(aucun résultat)"]))
    for row in rows:
        table.add_row(*(v or "" for v in row.values()))
    console.print(table)


def export(
    store: StoreOpt = None,
    update_url: UpdateUrlOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", help="ttl, nt, nq, trig ou jsonld.")] = "ttl",
    output: Annotated[Optional[Path], typer.Option("--output", "-o")] = None,
) -> None:
    """Exporter tout le graphe (Turtle, N-Triples, N-Quads avec les graphes nommés, JSON-LD)."""
    media = {"ttl": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
             "trig": "application/trig", "jsonld": "application/ld+json"}
    if format not in media:
        fail(PcsError(f"format inconnu {format!r} ({', '.join(media)})"))
    with Workspace(settings_for(store, update_url)) as ws:
        data = ws.store.dump(media[format])
    if output:
        output.write_bytes(data)
        err.print(f"{len(data)} octets écrits dans {output}")
    else:
        sys.stdout.buffer.write(data)


def remove(
    document: Annotated[str, typer.Argument(help="Nom du fichier ingéré (ex. mons.txt) ou URI du document.")],
    store: StoreOpt = None,
    update_url: UpdateUrlOpt = None,
) -> None:
    """Retirer un document du graphe (son graphe nommé et ses classifications), par exemple après un renommage."""
    with Workspace(settings_for(store, update_url)) as ws:
        uri = document if document.startswith(("http://", "https://")) else str(ws.uris.document(Path(document).name))
        if not ws.store.ask(f"ASK {{ GRAPH <{uri}> {{ ?s ?p ?o }} }}"):
            fail(PcsError(f"document inconnu dans le store : {document} ({uri})"))
        Ingestor.of(ws).remove(uri)
        console.print(f"Document retiré : {uri}", highlight=False)
        _update_index(ws)


def catalogue_load(file: Path, store: StoreOpt = None, update_url: UpdateUrlOpt = None) -> None:
    """Fusionner un catalogue officiel (CSV code,label) avec la nomenclature apprise."""
    with Workspace(settings_for(store, update_url)) as ws:
        ingestor = Ingestor.of(ws)
        try:
            ingestor.ensure_reference()
            added, merged = Ingestor.of(ws).load_catalogue(file)
        except PcsError as e:
            fail(e)
    console.print(f"{added} types d'action ajoutés, {merged} fusionnés avec des codes déjà appris.")
