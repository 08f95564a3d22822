"""What search takes from the sector's glossary (ontology/glossary.ttl): synonym groups and acronym expansions.

    search_groups()                         # every concept's labels: ('aînés', 'personnes âgées', …), ('CPAS', …)
    expansion_text("IST")                   # 'IST = infections sexuellement transmissibles'
    glossary_notes(["IST", "gym"])          # ('IST = infections sexuellement transmissibles',)
    AxisWords.build(analyzer).votes(label)  # {1: 1.0}: the axes the glossary's words in a label point to

The glossary is the one list of synonyms: the query expansion (`lexical.SynonymExpander`) reads each
concept's labels as a group (its synonym groups, and each acronym with its words in full), and
explanations name the expansion of a matched acronym. Editing a concept changes what search expands.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from ..graph.glossary import load_glossary
from .lexical import FrenchAnalyzer


def search_groups() -> tuple[tuple[str, ...], ...]:
    """Each glossary concept's labels (prefLabel first): the groups the query expansion reads."""
    return load_glossary().groups()


def expansion_text(word: str) -> str | None:
    """'IST = infections sexuellement transmissibles' when `word` is an acronym the glossary defines, else None."""
    return load_glossary().expansion(word)


def glossary_notes(words: Iterable[str]) -> tuple[str, ...]:
    """The expansions of the acronyms among matched words or phrases (each once, in order)."""
    glossary, found = load_glossary(), []
    for phrase in words:
        for word in phrase.replace("→", " ").split():
            text = glossary.expansion(word.strip("«»()[],;:.!?\"'"))
            if text:
                found.append(text)
    return tuple(dict.fromkeys(found))


@dataclass(frozen=True)
class AxisWords:
    """The glossary's words for each 2020-2025 axis: a concept's labels point to the axes it is `skos:related`
    to, directly or through a theme or an action type (the first digit of its code).

        words = AxisWords.build(analyzer)
        words.votes("Permanences emploi et aide au CV")   # {1: 1.0}: « emploi », « CV » (concept « emploi »)
    """

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
