"""What search takes from the sector's glossary (ontology/glossary.ttl): synonym groups and acronym expansions.

    extra_groups(load_synonym_groups())     # the glossary's terms no synonym group holds yet: ('CPAS', 'centre public…')
    expansion_text("IST")                   # 'IST = infections sexuellement transmissibles'
    glossary_notes(["IST", "gym"])          # ('IST = infections sexuellement transmissibles',)

The query expansion (`lexical.SynonymExpander`) reads the groups of data/synonyms.txt, then those of
the glossary's terms whose labels no group already holds (so each acronym reaches its words in full,
and they reach it); explanations name the expansion of a matched acronym.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..graph.glossary import load_glossary
from ..text import fold


def _key(label: str) -> str:
    return fold(label).lower().strip()


def extra_groups(groups: tuple[tuple[str, ...], ...]) -> tuple[tuple[str, ...], ...]:
    """The glossary terms' label groups that are not already inside one of `groups` (compared accents and case folded)."""
    known = [{_key(m) for m in group} for group in groups]
    out = []
    for labels in load_glossary().groups():
        wanted = {_key(m) for m in labels}
        if not any(wanted <= group for group in known):
            out.append(labels)
    return tuple(out)


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
