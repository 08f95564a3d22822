"""Accent folding as search, URIs and commune matching use it."""

from __future__ import annotations

import random
import unicodedata

from pcs_graph.config import CORPUS_DIR
from pcs_graph.text import fold, slugify


def folded_char_by_char(text: str) -> str:
    """The definition: NFKD, then every combining mark dropped, then lower case."""
    text = text.replace("’", "'").replace("‘", "'").replace("œ", "oe").replace("Œ", "Oe")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)).lower()


def test_fold_strips_accents_and_unifies_apostrophes() -> None:
    assert fold("Écaussinnes") == "ecaussinnes"
    assert fold("Aînés d’Œudeghien") == "aines d'oeudeghien"
    assert slugify("ASBL « Pourquoi pas toi ? »") == "asbl-pourquoi-pas-toi"


def test_fold_matches_its_definition_on_the_corpus_and_on_random_text() -> None:
    lines = [line for path in sorted(CORPUS_DIR.glob("*.*")) if path.suffix in (".txt", ".csv", ".html")
             for line in path.read_text(encoding="utf-8", errors="replace").splitlines()]
    rng = random.Random(3)
    noise = ["".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(40)) for _ in range(2000)]
    assert len(lines) > 100
    for text in lines + noise:
        assert fold(text) == folded_char_by_char(text), text
