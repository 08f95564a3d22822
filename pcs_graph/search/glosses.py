"""The glossary's definitions as part of what an action's label means, for the needs a query meets.

    gloss = Gloss.of("épicerie sociale", ("épicerie sociale",), "Magasin … à prix réduits …", analyzer)
    gloss.names(label_stems)                          # the label names the term: read it with its definition
    lent = lent_credits([(0.4, in_definitions), (0.6, None)], floor=0.25)   # per need, per action

A need met only in the definition of a term the label names counts `floor` (Evidence.GLOSS_CREDIT), or,
when those definitions meet two of the query's needs or more, the share of the query they meet: a query
that paraphrases a definition (« magasin à prix réduits pour les familles pauvres ») asks for the term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lexical import FrenchAnalyzer


@dataclass(frozen=True)
class Gloss:
    """A glossary term with a definition, as search reads it: the stems of each of its labels (an action whose
    label holds all the stems of one names the term) and the stems of its definition."""

    term: str  # its prefLabel, as the glossary writes it
    labels: tuple[frozenset[str], ...]
    stems: frozenset[str]

    @classmethod
    def of(cls, term: str, labels: tuple[str, ...], definition: str, analyzer: FrenchAnalyzer) -> "Gloss":
        return cls(term, tuple(frozenset(analyzer.terms(label)) for label in labels), frozenset(analyzer.terms(definition)))

    def names(self, label_stems: set[str] | frozenset[str]) -> bool:
        return any(stems and stems <= label_stems for stems in self.labels)


def lent_credits(needs: list[tuple[float, np.ndarray | None]], floor: float) -> list[np.ndarray | None]:
    """For needs (their share of the query's weight, and per action how far the definitions of the terms its
    label names meet it, or None where no definition does), what each need's definitions lend per action:
    that share × max(floor, the share of the query the definitions paraphrase). Dense arrays: at 100,000
    actions a term named by thousands of labels (« CPAS ») makes sparse rows slower (measured 2.4 ms against
    1.0 ms a query in bench/search_speed.py)."""
    found = [f for _, f in needs if f is not None]
    if len(found) < 2:  # no definition can meet two needs: the floor (most queries, without a pass over every row)
        return [None if f is None else f * np.float32(floor) for _, f in needs]
    paraphrase = sum(np.float32(weight) * f for weight, f in needs if f is not None)
    paraphrase[sum((f > 0).astype(np.int8) for f in found) < 2] = 0.0  # one shared word is a stray word
    credit = np.maximum(np.float32(floor), paraphrase)
    return [None if f is None else f * credit for _, f in needs]
