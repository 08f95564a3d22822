"""What the ontology's pages show, read from ontology/pcs.ttl and ontology/shapes.ttl with rdflib.

    doc = Vocabulary.load()                       # parsed once per process (app.state)
    doc.term("Action").label.fr, doc.term("commune").domain, doc.constraints_on("Action")

Plain data classes: every class, property and named individual of pcs.ttl with its French and
English labels and comments, its super- and sub-terms, domain and range (an owl:unionOf is its list
of members), and the SHACL property constraints of shapes.ttl that apply to it (those of the shapes
targeting a class or its super-classes, and, for a property, those whose sh:path it is), worded in
French. Nothing here queries the store: the live examples are `routes.py`'s.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pcs_graph.config import ONTOLOGY_DIR
from pcs_graph.graph.vocab import PCS, PREFIXES

SH = Namespace("http://www.w3.org/ns/shacl#")
CURIES = {**PREFIXES, "sh": str(SH)}
KINDS = {OWL.Class: "Classe", OWL.ObjectProperty: "Propriété (lien)", OWL.DatatypeProperty: "Propriété (valeur)"}


@dataclass(frozen=True)
class Text:
    fr: str | None = None
    en: str | None = None


@dataclass(frozen=True)
class Ref:
    """A term as a link: `curie` to show, `href` ("#Action" for a term of this page, else its IRI)."""

    curie: str
    href: str


@dataclass(frozen=True)
class Constraint:
    shape: str                 # "ActionShape"
    target: Ref | None         # the class the shape targets
    path: Ref | str            # the property (a Ref) or a path written in Turtle
    rules: tuple[str, ...]     # "au moins 1 valeur", "de classe pcs:Commune"...
    message: str | None


@dataclass(frozen=True)
class Term:
    name: str                  # local name, also the anchor: /ontology#Action
    iri: str
    curie: str
    kind: str                  # Classe, Propriété (lien), Propriété (valeur), Individu, Schéma de concepts
    label: Text
    comment: Text
    parents: tuple[Ref, ...] = ()
    children: tuple[Ref, ...] = ()
    domain: tuple[Ref, ...] = ()
    range: tuple[Ref, ...] = ()
    types: tuple[Ref, ...] = ()
    notation: str | None = None
    scheme: Ref | None = None
    constraints: tuple[Constraint, ...] = ()
    properties: tuple[Ref, ...] = ()  # for a class: the properties whose domain names it


@dataclass(frozen=True)
class Vocabulary:
    iri: str
    title: Text
    description: Text
    version: str | None
    license: str | None
    terms: tuple[Term, ...]
    shapes: tuple[tuple[str, Ref | None, tuple[Constraint, ...]], ...]  # (shape, target, its constraints)
    graph: Graph = field(repr=False, compare=False, default_factory=Graph)
    shapes_graph: Graph = field(repr=False, compare=False, default_factory=Graph)

    @classmethod
    def load(cls, ontology: Path = ONTOLOGY_DIR / "pcs.ttl", shapes: Path = ONTOLOGY_DIR / "shapes.ttl") -> "Vocabulary":
        return build(Graph().parse(ontology, format="turtle"), Graph().parse(shapes, format="turtle"))

    def term(self, name: str) -> Term:
        return next(t for t in self.terms if t.name == name)

    def of_kind(self, kind: str) -> list[Term]:
        return [t for t in self.terms if t.kind == kind]


def curie(iri: URIRef | str) -> str:
    text = str(iri)
    for prefix, ns in sorted(CURIES.items(), key=lambda p: -len(p[1])):
        if text.startswith(ns) and len(text) > len(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text


def ref(iri: URIRef) -> Ref:
    text = str(iri)
    local = text[len(str(PCS)):] if text.startswith(str(PCS)) else None
    return Ref(curie(iri), f"#{local}" if local else text)


def text_of(g: Graph, subject: URIRef, *predicates: URIRef) -> Text:
    found: dict[str | None, str] = {}
    for p in predicates:
        for value in g.objects(subject, p):
            if isinstance(value, Literal):
                found.setdefault(value.language, str(value))
    return Text(found.get("fr") or found.get(None), found.get("en"))


def members(g: Graph, node: URIRef | BNode) -> list[URIRef]:
    """A class expression as named classes: itself, or the members of its owl:unionOf."""
    if isinstance(node, URIRef):
        return [node]
    union = g.value(node, OWL.unionOf)
    return [m for m in Collection(g, union) if isinstance(m, URIRef)] if union is not None else []


def refs(g: Graph, nodes: object) -> tuple[Ref, ...]:
    out: list[Ref] = []
    for node in nodes:  # type: ignore[attr-defined]
        out.extend(ref(m) for m in members(g, node))
    return tuple(sorted(set(out), key=lambda r: r.curie))


def rules_of(sg: Graph, prop: BNode | URIRef) -> tuple[str, ...]:
    """The constraints of one property shape, in French."""
    def value(p: URIRef) -> object:
        return sg.value(prop, SH[p] if isinstance(p, str) else p)

    rules: list[str] = []
    words = [("minCount", "au moins {} valeur(s)"), ("maxCount", "au plus {} valeur(s)"),
             ("datatype", "valeur de type {}"), ("class", "valeur de classe {}"), ("nodeKind", "nature {}"),
             ("pattern", "motif {}"), ("minLength", "longueur d'au moins {}"), ("maxLength", "longueur d'au plus {}"),
             ("minInclusive", "valeur ≥ {}"), ("maxInclusive", "valeur ≤ {}"), ("hasValue", "valeur {}"),
             ("qualifiedMinCount", "au moins {} valeur(s) conformes à la forme qualifiée"),
             ("qualifiedMaxCount", "au plus {} valeur(s) conformes à la forme qualifiée")]
    for name, wording in words:
        v = value(name)
        if v is not None:
            rules.append(wording.format(curie(v) if isinstance(v, URIRef) else str(v)))
    listed = value("in")
    if listed is not None:
        rules.append("parmi : " + ", ".join(curie(m) if isinstance(m, URIRef) else str(m)
                                             for m in Collection(sg, listed)))
    if value("uniqueLang") is not None:
        rules.append("une valeur par langue au plus")
    qualified = value("qualifiedValueShape")
    if qualified is not None and (langs := sg.value(qualified, SH.languageIn)) is not None:
        rules.append("forme qualifiée : langue parmi " + ", ".join(str(m) for m in Collection(sg, langs)))
    if value("sparql") is not None:
        rules.append("règle SPARQL (voir le message)")
    return tuple(rules)


def constraints(sg: Graph) -> list[Constraint]:
    out: list[Constraint] = []
    for shape in sorted(sg.subjects(RDF.type, SH.NodeShape), key=str):
        target = sg.value(shape, SH.targetClass)
        for prop in sg.objects(shape, SH.property):
            path = sg.value(prop, SH.path)
            message = sg.value(prop, SH.message)
            out.append(Constraint(curie(shape).removeprefix("pcs:"), ref(target) if isinstance(target, URIRef) else None,
                                  ref(path) if isinstance(path, URIRef) else (path.n3() if path is not None else "?"),
                                  rules_of(sg, prop), str(message) if message is not None else None))
    return out


def ancestors(g: Graph, cls: URIRef) -> set[URIRef]:
    seen: set[URIRef] = set()
    todo = [cls]
    while todo:
        for parent in g.objects(todo.pop(), RDFS.subClassOf):
            if isinstance(parent, URIRef) and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def build(g: Graph, sg: Graph) -> Vocabulary:
    ontology = next(g.subjects(RDF.type, OWL.Ontology))
    all_constraints = constraints(sg)
    terms: list[Term] = []
    for subject in sorted({s for s in g.subjects() if isinstance(s, URIRef) and str(s).startswith(str(PCS))}, key=str):
        types = set(g.objects(subject, RDF.type))
        kind = next((KINDS[t] for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty) if t in types), None)
        if kind is None:
            kind = "Schéma de concepts" if SKOS.ConceptScheme in types else "Individu"
        name = str(subject)[len(str(PCS)):]
        if kind == "Classe":
            lineage = {subject} | ancestors(g, subject)
            applies = [c for c in all_constraints if c.target and c.target.href in {ref(x).href for x in lineage}]
            properties = tuple(sorted({ref(p) for p in g.subjects(RDFS.domain, None)
                                       if any(subject == m for d in g.objects(p, RDFS.domain) for m in members(g, d))},
                                      key=lambda r: r.curie))
        else:
            applies = [c for c in all_constraints if isinstance(c.path, Ref) and c.path.curie == curie(subject)]
            properties = ()
        parent_p = RDFS.subClassOf if kind == "Classe" else RDFS.subPropertyOf
        scheme = g.value(subject, SKOS.inScheme)
        notation = g.value(subject, SKOS.notation)
        terms.append(Term(
            name=name, iri=str(subject), curie=curie(subject), kind=kind,
            label=text_of(g, subject, RDFS.label, SKOS.prefLabel),
            comment=text_of(g, subject, RDFS.comment, SKOS.definition),
            parents=refs(g, g.objects(subject, parent_p)), children=refs(g, g.subjects(parent_p, subject)),
            domain=refs(g, g.objects(subject, RDFS.domain)), range=refs(g, g.objects(subject, RDFS.range)),
            types=tuple(ref(t) for t in sorted(types, key=str) if isinstance(t, URIRef) and t != OWL.NamedIndividual
                        and kind in ("Individu", "Schéma de concepts")),
            notation=str(notation) if notation is not None else None,
            scheme=ref(scheme) if isinstance(scheme, URIRef) else None,
            constraints=tuple(applies), properties=properties))
    version = g.value(ontology, OWL.versionInfo)
    licence = g.value(ontology, URIRef("http://purl.org/dc/terms/license"))
    dcterms = Namespace("http://purl.org/dc/terms/")
    shapes = []
    for c in all_constraints:
        if not shapes or shapes[-1][0] != c.shape:
            shapes.append((c.shape, c.target, []))
        shapes[-1][2].append(c)
    return Vocabulary(str(ontology), text_of(g, ontology, dcterms.title), text_of(g, ontology, dcterms.description),
                      str(version) if version is not None else None, str(licence) if licence is not None else None,
                      tuple(terms), tuple((s, t, tuple(cs)) for s, t, cs in shapes), g, sg)

