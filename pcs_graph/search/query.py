"""What a query means, whatever its accents and case: "aines", "AÎNÉS" and "aînés" are one query.

    normalizer = QueryNormalizer.from_texts(["Un salon des aînés", "Liège"])
    normalizer.canonical("salon des AINES a LIEGE")      # 'salon des aînés a liège'

Each word is replaced by the corpus's most frequent spelling of its folded form (accents restored
from the documents' own words), or by its folded form when the corpus does not know it. The text
embedded for the dense ranking is this canonical form; the lexical side folds accents anyway. So
accent and case never change an answer.
"""

from __future__ import annotations

import re
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable
from typing import TypeVar

from ..text import fold

T = TypeVar("T")
_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)
_WORD = re.compile(r"\w+", re.UNICODE)


class QueryNormalizer:
    def __init__(self, spellings: dict[str, str]) -> None:
        self._spellings = spellings  # folded word -> canonical lower-case spelling

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "QueryNormalizer":
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        for text in texts:
            for word in _WORD.findall(text):
                lower = word.lower()
                seen[fold(lower)][lower] += 1
        # the most frequent spelling; ties go to the accented one (more letters marked), then alphabetical
        spellings = {key: max(forms.items(), key=lambda f: (f[1], f[0] != key, f[0]))[0] for key, forms in seen.items()}
        return cls(spellings)

    def canonical(self, query: str) -> str:
        out: list[str] = []
        for token in _TOKEN.findall(query):
            if _WORD.fullmatch(token):
                key = fold(token.lower())
                out.append(self._spellings.get(key, key))
            else:
                out.append(token)
        text = " ".join(out)
        return re.sub(r"\s+([,.;:!?)])", r"\1", re.sub(r"([(])\s+", r"\1", re.sub(r"\s*'\s*", "'", text)))


def cached(cache: "OrderedDict[str, T]", key: str, size: int, compute: Callable[[str], T]) -> T:
    """A least-recently-used cache of query vectors: popular queries are encoded once."""
    value = cache.get(key)
    if value is not None:
        cache.move_to_end(key)
        return value
    value = cache[key] = compute(key)
    if len(cache) > size:
        cache.popitem(last=False)
    return value
