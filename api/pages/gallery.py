"""The SPARQL page: YASGUI (served locally) and the gallery of example queries (`api/queries/*.rq`).

    load_gallery()[0].title       # the first '# ' line of 01-actions-par-axe-et-province.rq
    /requetes?exemple=04-partenaires-article-20
    /requetes?query=SELECT...        (the editor opens on that query: the ontology page links its queries so)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from .render import QUERIES_DIR, not_found, off_loop, render

router = APIRouter(include_in_schema=False)
MAX_QUERY = 20_000  # characters of a query given in the URL


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
    return await off_loop(request, _queries_page)


def _queries_page(request: Request) -> Response:
    gallery = load_gallery()
    given = (request.query_params.get("query") or "").strip()
    if given:
        own = ExampleQuery("requete", "Requête", "", given[:MAX_QUERY])
        return render(request, "queries.html", title="Requêtes SPARQL", gallery=gallery, current=own)
    chosen = request.query_params.get("exemple")
    current = next((g for g in gallery if g.name == chosen), gallery[0] if gallery else None)
    if chosen and (current is None or current.name != chosen):
        return not_found(request, f"Aucune requête d'exemple « {chosen} ».")
    return render(request, "queries.html", title="Requêtes SPARQL", gallery=gallery, current=current)
