"""The lexical side of search: French analysis (accent folding, stop words, Snowball stemming) and BM25.

    analyzer = FrenchAnalyzer()
    analyzer.terms("Activités pour les personnes âgées isolées")   # ['activ', 'person', 'age', 'isol']
    lexical = LexicalIndex.build(["Activités de rencontre pour personnes isolées", ...], analyzer)
    lexical.scores(analyzer.terms("isolement"))                     # one BM25 score per document

Query-side synonyms of the social sector (`SynonymExpander`: the synonym groups, acronyms and terms of
the glossary, ontology/glossary.ttl, one group per concept) let
"solitude des aînés" reach "personnes isolées" and "personnes âgées" without touching what is indexed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..text import fold

_WORD = re.compile(r"[a-z0-9]+")

# Folded French stop words (articles, pronouns, prepositions, auxiliaries) and words every PCS action shares.
STOPWORDS = frozenset("""
a au aux avec ce ces cet cette dans de des du elle en et eux il ils je la le les leur leurs lui ma mais me meme
mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton tu un une vos
votre vous c d j l m n s t y est sont etre avoir ont fait faire comme plus tres sans sous entre vers chez
ceux celle celles dont cela ca quoi quel quelle quels quelles tout tous toute toutes autre autres afin ainsi
aussi bien peu peut veut cherche chercher trouver voudrais voudrait souhaite besoin idee idees exemple exemples
quelque quelques chose choses etc
""".split())  # not « été »: in action labels it is the summer (« Été solidaire », « animations d'été »)
# How the words of the BM25 index were read: an index built with other stop words or another stemmer is stale.
ANALYSIS = "snowball-french:" + hashlib.sha256(" ".join(sorted(STOPWORDS)).encode()).hexdigest()[:12]


class FrenchAnalyzer:
    """fold accents → lower-case words → drop stop words → French Snowball stems."""

    def __init__(self) -> None:
        import Stemmer

        self._stemmer = Stemmer.Stemmer("french")

    def words(self, text: str) -> list[str]:
        return [w for w in _WORD.findall(fold(text)) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]

    def terms(self, text: str) -> list[str]:
        return self._stemmer.stemWords(self.words(text))

    def stem(self, word: str) -> str:
        return self._stemmer.stemWord(word)


def sector_groups() -> tuple[tuple[str, ...], ...]:
    """The synonym groups of the sector: each concept of the glossary (ontology/glossary.ttl), its labels."""
    from .glossary import search_groups

    return search_groups()


@dataclass(frozen=True)
class Expansion:
    """The extra phrasings added to a query, the group members that triggered them, and for each
    added phrasing the query's member that brought it (`pairs`: ("aînés", "personnes âgées"), ...)."""

    phrases: tuple[str, ...]
    triggers: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...] = ()

    @property
    def text(self) -> str:
        return " ".join(self.phrases)


class SynonymExpander:
    """Expand a query with the other members of every synonym group one of its phrasings belongs to."""

    def __init__(self, analyzer: FrenchAnalyzer, groups: tuple[tuple[str, ...], ...] | None = None) -> None:
        self.analyzer = analyzer
        groups = sector_groups() if groups is None else groups
        self._groups = [[(member, tuple(analyzer.terms(member))) for member in group] for group in groups]
        # each member's stems as the " a b " key looked up in the query's stems, computed once
        self._keys = [[(m, t, f" {' '.join(t)} ") for m, t in group if t] for group in self._groups]
        self._expansions: dict[str, Expansion] = {}  # the last queries' expansions (search reads one twice)

    EXPANSIONS = 1024

    def expand(self, query: str) -> Expansion:
        found = self._expansions.get(query)
        if found is None:
            if len(self._expansions) >= self.EXPANSIONS:
                self._expansions.clear()
            found = self._expansions[query] = self._expand(query)
        return found

    def _expand(self, query: str) -> Expansion:
        """The groups' members the query names (in the query's order), and what each one adds. Within a
        group the longest member wins ("recherche d'emploi", not "emploi"), then the one the query names
        first, then the one written as the query writes it ("sans-abri", not "sans abri"): the answer
        does not depend on the order of the groups or of their members in the glossary."""
        terms = self.analyzer.terms(query)
        joined = f" {' '.join(terms)} "
        written = fold(query).lower()
        hits: list[tuple[int, str, list[str]]] = []  # (position in the query, trigger, the members it adds)
        for group, keys in zip(self._groups, self._keys):
            found = [(m, t, joined.index(key)) for m, t, key in keys if key in joined]
            if not found:
                continue
            hit, _, at = min(found, key=lambda mta: (-len(mta[1]), mta[2], fold(mta[0]).lower() not in written, mta[0]))
            hits.append((at, hit, [m for m, t in group if m != hit and not set(t) <= set(terms)]))
        hits.sort(key=lambda h: h[0])
        return Expansion(tuple(m for _, _, added in hits for m in added), tuple(hit for _, hit, _ in hits),
                         tuple((hit, m) for _, hit, added in hits for m in added))


class LexicalIndex:
    """bm25s over analysed texts; scores every document at once (so filters apply before top-k)."""

    def __init__(self, retriever: object, size: int) -> None:
        self._retriever = retriever
        self.size = size

    @classmethod
    def build(cls, texts: list[str], analyzer: FrenchAnalyzer) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25(k1=1.2, b=0.75)
        corpus = [analyzer.terms(t) or ["_"] for t in texts]
        if corpus:
            retriever.index(corpus, show_progress=False)
        return cls(retriever, len(texts))

    def scores(self, terms: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        """BM25 score of every document for these query terms (weighted per term when weights are given).

        bm25s keeps each term's precomputed scores as a sparse column (documents, scores): the query's
        columns are gathered and summed in one weighted np.bincount, so the cost grows with the documents
        that hold a query term, not with the size of the corpus times the number of terms."""
        if not self.size or not terms:
            return np.zeros(self.size, dtype=np.float32)
        vocab = getattr(self._retriever, "vocab_dict", {}) or {}
        known = [t for t in dict.fromkeys(terms) if t in vocab]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        matrix = getattr(self._retriever, "scores", None)
        if not isinstance(matrix, dict) or getattr(self._retriever, "nonoccurrence_array", None) is not None:
            return self._scores_term_by_term(known, weights)  # a BM25 variant scoring absent terms too
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        columns = [int(vocab[t]) for t in known]
        docs = np.concatenate([indices[indptr[c]:indptr[c + 1]] for c in columns])
        values = np.concatenate([data[indptr[c]:indptr[c + 1]] * np.float32(1.0 if weights is None else
                                                                            weights.get(t, 1.0))
                                 for t, c in zip(known, columns)])
        return np.bincount(docs, weights=values, minlength=self.size).astype(np.float32)

    def _scores_term_by_term(self, known: list[str], weights: dict[str, float] | None) -> np.ndarray:
        if weights is None:
            return np.asarray(self._retriever.get_scores(known), dtype=np.float32)
        total = np.zeros(self.size, dtype=np.float32)
        for term in known:
            total += weights.get(term, 1.0) * np.asarray(self._retriever.get_scores([term]), dtype=np.float32)
        return total

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        if self.size:
            self._retriever.save(str(directory), show_progress=False)  # type: ignore[attr-defined]
        (directory / "size.txt").write_text(str(self.size))

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex":
        import bm25s

        size = int((directory / "size.txt").read_text())
        if not size:
            return cls(bm25s.BM25(), 0)
        return cls(bm25s.BM25.load(str(directory), show_progress=False, verbosity=0), size)
