"""What every `pcs` command shares: the consoles, the --store option, settings, errors, the corpus.

    settings = settings_for("var/store")       # $PCS_* variables, then the command line's options
    fail(error)                                # one plain sentence on stderr, exit code 2
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from ..config import CORPUS_DIR, Settings
from ..ingest.parse import SUPPORTED

console = Console()
err = Console(stderr=True, soft_wrap=True)  # one line per message: paths and line numbers never split

StoreOpt = Annotated[Optional[str], typer.Option("--store", help="Dossier du store embarqué ou URL d'un endpoint SPARQL.")]
UpdateUrlOpt = Annotated[Optional[str], typer.Option("--update-url", help="URL de mise à jour SPARQL (store distant).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Sortie JSON (pour les scripts).")]


def settings_for(store: str | None, update_url: str | None = None) -> Settings:
    return Settings.from_env().with_(store=store, update_url=update_url)


def fail(error: Exception) -> None:
    err.print(f"[bold red]Erreur[/] : {error}", highlight=False)
    raise typer.Exit(2)


def corpus_files(directory: Path = CORPUS_DIR) -> list[Path]:
    """The bundled real documents: every supported file at the top of corpus/."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix.lower() in SUPPORTED)


def expand(paths: list[Path]) -> list[Path]:
    """Files as given, folders scanned (recursively) for the supported forms."""
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files.extend(sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED))
        else:
            files.append(p)
    return files
