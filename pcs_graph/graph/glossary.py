"""The sector's glossary (ontology/glossary.ttl): a SKOS concept scheme of acronyms, terms and synonym groups.

    glossary = load_glossary()                     # parsed once per process (cached by file and mtime)
    glossary.expansion("ist")                      # 'IST = infections sexuellement transmissibles'
    glossary.term("ist").sources                   # ('https://www.sciensano.be/fr/sujets-sante/…',)
    glossary_graph(Uris("https://example.org/pcs/"))   # the RDF, its data URIs moved under that base

The file writes data URIs under the default base (`id:` = https://w3id.org/pcs/id/): the concepts
(`glossary/ist`), the scheme (`scheme/glossaire`) and the themes, action types and axes they are
`skos:related` to. `glossary_graph` moves every one of them under the configured base, as every other
data URI of the graph (`Uris`), so that a store with another base links its own nomenclature.

A term's labels: `prefLabel` (in full), `altLabel`s (its acronym and other ways to say it),
`hiddenLabel`s (words search brings near it without being synonyms). An acronym is a label written in
capitals (2 to 6 letters: IST, CPAS, AViQ counts too); it is explained by the term's prefLabel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ..config import DEFAULT_BASE_URI, ONTOLOGY_DIR
from ..text import fold
from .uris import Uris

GLOSSARY_FILE = ONTOLOGY_DIR / "glossary.ttl"
SCHEME_PATH = "scheme/glossaire"
USUAL_SOURCE = "définition usuelle du secteur"
_ACRONYM = re.compile(r"^[A-Z][A-Za-z]{1,5}$")


def is_acronym(label: str) -> bool:
    """'IST', 'CPAS', 'AViQ' are acronyms; 'vélo', 'Mena' and 'article 20' are not."""
    return bool(_ACRONYM.match(label)) and sum(c.isupper() for c in label) >= 2


@dataclass(frozen=True)
class Term:
    """One concept of the glossary, its labels in the file's words."""

    uri: str
    key: str                       # 'ist': the last segment of its URI, its anchor on /ontology/glossaire
    pref_label: str
    alt_labels: tuple[str, ...]
    hidden_labels: tuple[str, ...]
    definition: str | None
    sources: tuple[str, ...]       # URLs of public pages that define it
    citations: tuple[str, ...]     # sources named in words ('définition usuelle du secteur')
    related: tuple[str, ...]       # URIs: other concepts, themes, action types, axes
    note: str | None               # skos:editorialNote (e.g. a synonym group of search)

    @property
    def acronyms(self) -> tuple[str, ...]:
        """The acronyms this term defines (a defined term only: 'CV' in the synonym group « emploi » is not
        an abbreviation of « emploi »)."""
        if self.definition is None:
            return ()
        return tuple(label for label in (self.pref_label, *self.alt_labels) if is_acronym(label))

    @property
    def labels(self) -> tuple[str, ...]:
        """Every label, the prefLabel first: a group of synonyms for the query's expansion."""
        return tuple(dict.fromkeys((self.pref_label, *self.alt_labels, *self.hidden_labels)))


@dataclass(frozen=True)
class Glossary:
    title: str
    description: str
    terms: tuple[Term, ...]  # sorted by prefLabel, accents folded

    def term(self, key: str) -> Term:
        return next(t for t in self.terms if t.key == key)

    def acronym_terms(self) -> dict[str, Term]:
        """Folded acronym → the term it abbreviates ('ist' → the IST term)."""
        return dict(self._expansions_by_acronym[1])

    @cached_property
    def _expansions_by_acronym(self) -> tuple[dict[str, str], dict[str, Term]]:
        """Folded acronym → 'IST = infections…' and → its term: built once (explanations look words up per hit)."""
        terms = {fold(a).lower(): t for t in self.terms for a in t.acronyms}
        texts = {key: next(f"{a} = {t.pref_label}" for a in t.acronyms if fold(a).lower() == key)
                 for key, t in terms.items()}  # the term's first spelling of it ('AVIQ' before 'AViQ')
        return texts, terms

    def expansion(self, word: str) -> str | None:
        """'IST = infections sexuellement transmissibles' for an acronym of the glossary (any case, accents), else None."""
        return self._expansions_by_acronym[0].get(fold(word.strip()).lower())

    def groups(self) -> tuple[tuple[str, ...], ...]:
        """Each term's labels: the synonym groups the glossary gives the search."""
        return tuple(t.labels for t in self.terms)


def glossary_graph(uris: Uris | None = None, path: Path = GLOSSARY_FILE) -> Graph:
    """The glossary as RDF, with its data URIs under `uris.base` (the default base when None)."""
    g = Graph().parse(path, format="turtle")
    base = (uris or Uris()).base
    if base == DEFAULT_BASE_URI:
        return g
    moved = Graph()
    for prefix, namespace in g.namespaces():
        moved.bind(prefix, namespace)

    def rebase(term: object) -> object:
        if isinstance(term, URIRef) and str(term).startswith(DEFAULT_BASE_URI):
            return URIRef(base + str(term)[len(DEFAULT_BASE_URI):])
        return term

    for s, p, o in g:
        moved.add((rebase(s), p, rebase(o)))  # type: ignore[arg-type]
    return moved


def load_glossary(path: Path = GLOSSARY_FILE) -> Glossary:
    """The parsed glossary (default base URIs), read once per version of the file."""
    return _load(str(path), path.stat().st_mtime_ns)


@lru_cache(maxsize=4)
def _load(path: str, _mtime: int) -> Glossary:
    g = Graph().parse(path, format="turtle")
    scheme = next(g.subjects(RDF.type, SKOS.ConceptScheme))
    terms = []
    for c in set(g.subjects(RDF.type, SKOS.Concept)):
        def texts(p: URIRef) -> tuple[str, ...]:
            return tuple(sorted(str(o) for o in g.objects(c, p)))
        sources = [o for o in g.objects(c, DCTERMS.source)]
        terms.append(Term(
            str(c), str(c).rstrip("/").rsplit("/", 1)[-1], str(g.value(c, SKOS.prefLabel) or ""),
            texts(SKOS.altLabel), texts(SKOS.hiddenLabel),
            str(g.value(c, SKOS.definition)) if g.value(c, SKOS.definition) else None,
            tuple(sorted(str(o) for o in sources if isinstance(o, URIRef))),
            tuple(sorted(str(o) for o in sources if isinstance(o, Literal))),
            tuple(sorted(str(o) for o in g.objects(c, SKOS.related))),
            str(g.value(c, SKOS.editorialNote)) if g.value(c, SKOS.editorialNote) else None))
    terms.sort(key=lambda t: (fold(t.pref_label).lower(), t.key))
    return Glossary(str(g.value(scheme, DCTERMS.title) or ""), str(g.value(scheme, DCTERMS.description) or ""),
                    tuple(terms))
