"""`pcs search --comparable-to` and `pcs similar --comparable-to`: only communes like the one named."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from pcs_graph.cli import app
from pcs_graph.config import Settings
from pcs_graph.graph.likeness import Likeness
from pcs_graph.graph.reference import CommuneDirectory

ANDENNE = "92003"


def _run(settings: Settings, *args: str) -> list[dict]:
    result = CliRunner().invoke(app, [*args, "--store", settings.store, "--json"],
                                env={"PCS_INDEX_DIR": settings.index_dir or ""})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_search_and_similar_keep_to_the_communes_comparable_to_andenne(indexed_corpus: Settings) -> None:
    comparable = Likeness.load(CommuneDirectory.load()).comparable_nis(ANDENNE)
    found = _run(indexed_corpus, "search", "taxi social", "-k", "20", "--comparable-to", "Andenne")
    assert found and {h["nis"] for h in found} <= comparable
    rural = _run(indexed_corpus, "search", "potager", "-k", "20", "--urban-rural", "rural")
    assert rural and not {h["nis"] for h in rural} & comparable
    source = next(h["uri"] for h in _run(indexed_corpus, "search", "taxi social", "-k", "5"))
    similar = _run(indexed_corpus, "similar", source, "-k", "5", "--comparable-to", ANDENNE)
    assert {h["nis"] for h in similar} <= comparable
