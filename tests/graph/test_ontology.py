"""The ontology (ontology/pcs.ttl) and the shapes (ontology/shapes.ttl): they parse, declare the
public contract, are documented in French and English, and cover every `PCS.x` the code uses."""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from pcs_graph.graph.validation import ontology_path, shapes_path
from pcs_graph.graph.vocab import PCS

REPO = Path(__file__).resolve().parents[2]
SH = "http://www.w3.org/ns/shacl#"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ontology_path(), format="turtle")


def test_ontology_and_shapes_parse() -> None:
    assert len(Graph().parse(ontology_path(), format="turtle")) > 300
    shapes = Graph().parse(shapes_path(), format="turtle")
    assert (PCS.ActionShape, RDF.type, URIRef(SH + "NodeShape")) in shapes


def test_ontology_header(onto: Graph) -> None:
    header = URIRef("https://w3id.org/pcs/ontology")
    assert (header, RDF.type, OWL.Ontology) in onto
    assert (header, OWL.versionInfo, Literal("0.1.0")) in onto
    assert (header, URIRef("http://purl.org/vocab/vann/preferredNamespacePrefix"), Literal("pcs")) in onto


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        *[(c, OWL.Class) for c in ("Action", "Commune", "Plan", "Partner", "Axis", "Theme", "ActionType")],
        *[(p, OWL.ObjectProperty) for p in ("actionType", "commune", "plan", "partner", "article20Partner")],
        ("nisCode", OWL.DatatypeProperty),
    ],
)
def test_public_contract_terms_exist_with_their_type(onto: Graph, term: str, kind: URIRef) -> None:
    assert (PCS[term], RDF.type, kind) in onto


def test_article20_partner_is_a_kind_of_partner(onto: Graph) -> None:
    assert (PCS.article20Partner, RDFS.subPropertyOf, PCS.partner) in onto


def test_every_class_is_a_subclass_of_a_reused_vocabulary(onto: Graph) -> None:
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, URIRef) and cls.startswith(str(PCS)):
            parents = list(onto.objects(cls, RDFS.subClassOf))
            assert any(not p.startswith(str(PCS)) for p in parents), cls


def test_every_class_and_property_is_labelled_and_commented_in_french_and_english(onto: Graph) -> None:
    terms = [
        t
        for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
        for t in onto.subjects(RDF.type, kind)
        if isinstance(t, URIRef)
    ]
    assert len(terms) > 50
    for term in terms:
        for prop in (RDFS.label, RDFS.comment):
            langs = {o.language for o in onto.objects(term, prop) if isinstance(o, Literal)}
            assert {"fr", "en"} <= langs, f"{term} lacks {prop} in fr/en"


def test_partner_kinds_are_concepts_of_their_scheme(onto: Graph) -> None:
    assert (PCS.PartnerKindScheme, RDF.type, SKOS.ConceptScheme) in onto
    for kind in ("ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner"):
        assert (PCS[kind], RDF.type, PCS.PartnerKind) in onto
        assert (PCS[kind], SKOS.inScheme, PCS.PartnerKindScheme) in onto
        langs = {o.language for o in onto.objects(PCS[kind], SKOS.prefLabel) if isinstance(o, Literal)}
        assert langs == {"fr", "en"}


def test_classification_statuses_are_labelled_individuals(onto: Graph) -> None:
    for status in ("Declared", "Inferred", "Unclassified"):
        assert (PCS[status], RDF.type, PCS.ClassificationStatus) in onto
        assert onto.value(PCS[status], SKOS.prefLabel) is not None


def test_union_domains_are_owl_unions(onto: Graph) -> None:
    """`pcs:commune` applies to a plan entry (a live or a dropped action) or a plan: its domain is the union."""
    domain = onto.value(PCS.commune, RDFS.domain)
    members = set(onto.items(onto.value(domain, OWL.unionOf)))
    assert members == {PCS.PlanEntry, PCS.Plan}
    assert (PCS.Action, RDFS.subClassOf, PCS.PlanEntry) in onto and (PCS.DroppedAction, RDFS.subClassOf, PCS.PlanEntry) in onto


# `PCS.x` or `PCS["x"]`, but not a method call such as `PCS.term("x")`.
TERM_USE = re.compile(r"""PCS\s*\.\s*([A-Za-z_]\w*)\b(?!\s*\()|PCS\s*\[\s*["']([A-Za-z0-9_]+)["']\s*\]""")


def _source_files() -> list[Path]:
    files = [*REPO.glob("pcs_graph/**/*.py"), *REPO.glob("ingest/**/*.py"), *REPO.glob("api/**/*.py")]
    return sorted(f for f in files if f.is_file())


def _code_only(source: str) -> str:
    """The source without comments and plain strings (docstrings may mention `PCS.x`); f-strings
    and the string inside `PCS["..."]` are kept."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):  # a file being edited: scan it as it is
        return source
    kept: list[str] = []
    for tok in tokens:
        if tok.type == tokenize.COMMENT:
            continue
        is_fstring = tok.type == tokenize.STRING and "f" in re.match(r"[A-Za-z]*", tok.string)[0].lower()
        after_pcs_bracket = kept[-2:] == ["PCS", "["]
        if tok.type == tokenize.STRING and not (is_fstring or after_pcs_bracket):
            kept.append('""')
        else:
            kept.append(tok.string)
    return " ".join(kept)


def test_the_term_scanner_sees_code_not_docstrings() -> None:
    source = '''"""Uses `PCS.x` in prose."""
g.add((a, PCS.commune, c))  # PCS.inComment
g.add((a, PCS["nisCode"], Literal(f"{PCS.plan}")))
PCS.term("notATerm")
'''
    names = {m.group(1) or m.group(2) for m in TERM_USE.finditer(_code_only(source))}
    assert names == {"commune", "nisCode", "plan"}


def test_every_pcs_term_used_in_the_code_is_declared(onto: Graph) -> None:
    """Drift guard: a `PCS.x` or `PCS["x"]` in the code must be declared in pcs.ttl."""
    declared = {s for s in onto.subjects(RDF.type, None) if isinstance(s, URIRef)}
    undeclared = {
        f"{path.relative_to(REPO)}: pcs:{name}"
        for path in _source_files()
        for match in TERM_USE.finditer(_code_only(path.read_text(encoding="utf-8")))
        for name in [match.group(1) or match.group(2)]
        if PCS[name] not in declared
    }
    assert not undeclared, "terms used but not declared in ontology/pcs.ttl:\n" + "\n".join(sorted(undeclared))
