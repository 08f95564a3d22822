"""What search takes from the sector's glossary (ontology/glossary.ttl): synonym groups and acronym expansions.

    search_groups()                         # every concept's labels: ('aînés', 'personnes âgées', …), ('CPAS', …)
    expansion_text("IST")                   # 'IST = infections sexuellement transmissibles'
    glossary_notes(["IST", "gym"])          # ('IST = infections sexuellement transmissibles',)

The glossary is the one list of synonyms: the query expansion (`lexical.SynonymExpander`) reads each
concept's labels as a group (its synonym groups, and each acronym with its words in full), and
explanations name the expansion of a matched acronym. Editing a concept changes what search expands.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..graph.glossary import load_glossary


def search_groups() -> tuple[tuple[str, ...], ...]:
    """Each glossary concept's labels (prefLabel first): the groups the query expansion reads."""
    return load_glossary().groups()


def defined_terms() -> tuple[tuple[str, tuple[str, ...], str], ...]:
    """Each glossary term that has a definition: its prefLabel, its labels and its definition."""
    return tuple((t.pref_label, t.labels, t.definition) for t in load_glossary().terms if t.definition)


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
