"""The glossary's words for each 2020-2025 axis: what a label's sector words say of its axis.

    words = AxisWords.build(FrenchAnalyzer())
    words.votes("Permanences emploi et aide au CV")   # {1: 1.0}: « emploi », « CV » (concept « emploi »)

A concept of the glossary (ontology/glossary.ttl) points to the axes it is `skos:related` to, directly or
through a theme or an action type (the first digit of its code). The classifier adds these votes to its
axis shares (`classify.Classifier.GLOSSARY_AXIS_WEIGHT`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property

from ..graph.glossary import load_glossary
from .lexical import FrenchAnalyzer


@dataclass(frozen=True)
class AxisWords:
    """Each glossary label's stems with the axes its concept points to."""

    labels: tuple[tuple[frozenset[str], frozenset[int], str], ...]  # (stems of a label, its axes, its concept)
    analyzer: FrenchAnalyzer

    @classmethod
    def build(cls, analyzer: FrenchAnalyzer) -> "AxisWords":
        labels = []
        for term in load_glossary().terms:
            axes = frozenset(int(m.group(1) or m.group(2)) for m in (_AXIS_OF.search(r) for r in term.related) if m)
            for label in (term.pref_label, *term.alt_labels, *term.hidden_labels) if axes else ():
                stems = frozenset(analyzer.terms(label))
                if stems:
                    labels.append((stems, axes, term.key))
        return cls(tuple(labels), analyzer)

    @cached_property
    def _by_stem(self) -> dict[str, list[tuple[frozenset[str], frozenset[int], str]]]:
        """Each label under one of its stems (the smallest), so a text only tries the labels it may meet."""
        index: dict[str, list[tuple[frozenset[str], frozenset[int], str]]] = {}
        for entry in self.labels:
            index.setdefault(min(entry[0]), []).append(entry)
        return index

    def votes(self, text: str) -> dict[int, float]:
        """Axis -> how many of the concepts met in the text point to it, over the most pointed-to axis's count
        (1.0 for the glossary's best axis; each concept counted once, a label met when all its words are)."""
        stems, met, count = set(self.analyzer.terms(text)), set(), Counter()
        for label, axes, concept in (entry for stem in stems for entry in self._by_stem.get(stem, ())):
            if concept not in met and label <= stems:  # a concept counts once, whichever of its labels is met
                met.add(concept)
                count.update(axes)
        top = max(count.values(), default=0)
        return {axis: n / top for axis, n in count.items()} if top else {}


# an axis of 2020-2025 (…/axis/5), or a theme or an action type under it (…/theme/5.5, …/action-type/5.5.01)
_AXIS_OF = re.compile(r"/axis/(\d)$|/(?:theme|action-type)/(\d)\.")
