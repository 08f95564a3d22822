"""SHACL validation of a pcs-graph: is this graph what `ontology/shapes.ttl` says a valid graph is?

`validate_graph(g)` runs pyshacl with the shapes and the ontology (mixed into the data so that
`sh:targetClass` follows `rdfs:subClassOf`; no inference) and returns a `ValidationReport` whose
`to_text()` reads as plain sentences, one per violation:

    https://w3id.org/pcs/id/action/53053/2020-2025/23 — pcs:commune: Une action doit avoir
    exactement une commune, de type pcs:Commune.

Pass the union of all named graphs as one plain `rdflib.Graph`: references cross graphs (an
action's commune lives in `graph/reference`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..config import ONTOLOGY_DIR
from .vocab import PREFIXES

SH = Namespace("http://www.w3.org/ns/shacl#")


def ontology_path() -> Path:
    """`ontology/pcs.ttl`, the OWL/RDFS ontology."""
    return ONTOLOGY_DIR / "pcs.ttl"


def shapes_path() -> Path:
    """`ontology/shapes.ttl`, the SHACL shapes of a valid graph."""
    return ONTOLOGY_DIR / "shapes.ttl"


@dataclass(frozen=True)
class Violation:
    """One SHACL result; terms as prefixed names (`pcs:commune`), data nodes as full IRIs."""

    focus: str
    path: str | None
    value: str | None
    message: str
    severity: str  # "Violation", "Warning" or "Info"

    def to_text(self) -> str:
        where = f"{self.focus} — {self.path}" if self.path else self.focus
        severity = "" if self.severity == "Violation" else f"[{self.severity}] "
        value = f" (valeur: {self.value})" if self.value is not None else ""
        return f"{severity}{where}: {self.message}{value}"


@dataclass(frozen=True)
class ValidationReport:
    conforms: bool
    violations: list[Violation]

    def to_text(self) -> str:
        """One plain sentence per violation, or one saying the graph is valid."""
        if not self.violations:
            return "Le graphe est valide : aucune violation des formes SHACL."
        return "\n".join(v.to_text() for v in self.violations)


def validate_graph(data: Graph) -> ValidationReport:
    """Validate `data` against ontology/shapes.ttl, with ontology/pcs.ttl as the ontology graph."""
    shapes = Graph().parse(shapes_path(), format="turtle")
    ontology = Graph().parse(ontology_path(), format="turtle")
    conforms, results, _text = validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        abort_on_first=False,
        allow_warnings=True,  # warnings and notes (an action with no publication...) are listed, not failures
        allow_infos=True,
    )
    assert isinstance(results, Graph)
    violations = sorted(  # a set: two constraints of one shape failing alike read as one sentence
        {_violation(results, r) for r in results.subjects(RDF.type, SH.ValidationResult)},
        key=lambda v: (v.focus, v.path or "", v.message, v.value or ""),
    )
    return ValidationReport(conforms=bool(conforms), violations=violations)


def _violation(results: Graph, result: Node) -> Violation:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    severity = results.value(result, SH.resultSeverity)
    return Violation(
        focus=_show(focus) if focus is not None else "?",
        path=_show_path(results, path) if path is not None else None,
        value=_show(value) if value is not None else None,
        message=_message(results, result),
        severity=_local_name(severity) if isinstance(severity, URIRef) else "Violation",
    )


def _message(results: Graph, result: Node) -> str:
    """The French sh:resultMessage if there is one, else any, else the constraint's name."""
    messages = [m for m in results.objects(result, SH.resultMessage) if isinstance(m, Literal)]
    for message in messages:
        if message.language == "fr":
            return str(message)
    if messages:
        return str(messages[0])
    component = results.value(result, SH.sourceConstraintComponent)
    return _show(component) if component is not None else "Contrainte non respectée"


def _show(node: Node) -> str:
    """`pcs:commune` for a term of a known vocabulary, the IRI itself otherwise, a literal's text."""
    if isinstance(node, URIRef):
        for prefix, namespace in PREFIXES.items():
            if node.startswith(namespace):
                local = node[len(namespace):]
                if local and "/" not in local and "#" not in local:
                    return f"{prefix}:{local}"
        return str(node)
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node) or '""'


def _show_path(results: Graph, path: Node) -> str:
    """A SHACL property path: a predicate, or `^p` for an inverse path."""
    if isinstance(path, BNode):
        inverse = results.value(path, SH.inversePath)
        if inverse is not None:
            return f"^{_show(inverse)}"
    return _show(path)


def _local_name(iri: URIRef) -> str:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


__all__ = ["Violation", "ValidationReport", "validate_graph", "ontology_path", "shapes_path"]
