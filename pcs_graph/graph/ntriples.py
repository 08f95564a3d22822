"""N-Triples written directly: the terms of a document's graph as text, without building an rdflib Graph.

    t = Triples()
    t.add(iri(action), iri(RDFS.label), literal("Café papote", lang="fr"))
    t.text()          # '<https://…> <http://www.w3.org/2000/01/rdf-schema#label> "Café papote"@fr .'
    t.graph()         # the same as an rdflib Graph, for the small graphs that need one

A document of 10,000 actions is ~150,000 triples: written this way they cost a few microseconds each,
where an rdflib Graph and its serializer cost tens (see bench/store_speed.py).
"""

from __future__ import annotations

from rdflib import Graph

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_IRI_FORBIDDEN = set('<>"{}|^`\\ \n\r\t')


def iri(value: str) -> str:
    """An IRI term; one holding a character N-Triples forbids is refused (never written half-escaped)."""
    text = str(value)
    if _IRI_FORBIDDEN & set(text):
        raise ValueError(f"IRI invalide : {text!r}")
    return f"<{text}>"


def literal(value: object, lang: str | None = None, datatype: str | None = None) -> str:
    """A literal term: a language-tagged string, a typed value, or a plain xsd:string."""
    text = f'"{str(value).translate(_ESCAPES)}"'
    if lang:
        return f"{text}@{lang}"
    if datatype:
        return f"{text}^^<{datatype}>"
    return text


class Triples:
    """The N-Triples lines of one graph, each once, in the order they were added."""

    def __init__(self) -> None:
        self._lines: dict[str, None] = {}

    def add(self, subject: str, predicate: str, obj: str) -> None:
        self._lines[f"{subject} {predicate} {obj} ."] = None

    def extend(self, other: "Triples") -> None:
        self._lines.update(other._lines)

    def __len__(self) -> int:
        return len(self._lines)

    def __contains__(self, line: str) -> bool:
        return line in self._lines

    def text(self) -> str:
        return "\n".join(self._lines)

    def graph(self) -> Graph:
        g = Graph()
        if self._lines:
            g.parse(data=self.text(), format="nt")
        return g
