"""SHACL validation: a small hand-built graph is valid, and each way of breaking it is reported in
plain words naming the node and the property at fault."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import PROV, RDF, RDFS, SKOS

from pcs_graph.graph.validation import ValidationReport, Violation, validate_graph
from pcs_graph.graph.vocab import ORG, PCS, SCHEMA

ID = Namespace("https://w3id.org/pcs/id/")
GYEAR = URIRef("http://www.w3.org/2001/XMLSchema#gYear")  # (rdflib's XSD namespace upsets pytest)
GYEARMONTH = URIRef("http://www.w3.org/2001/XMLSchema#gYearMonth")
DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
DCTERMS = Namespace("http://purl.org/dc/terms/")
PAGE = URIRef("https://www.cpas.mons.be/services/cohesion-sociale")
MONS = ID["commune/53053"]
HAINAUT = ID["province/50000"]
PROGRAMME = ID["programme/2020-2025"]
PLAN = ID["plan/53053/2020-2025"]
SUBSIDY = ID["plan/53053/2020-2025/subsidy/2022"]
AXIS = ID["axis/5"]
THEME = ID["theme/5.5"]
ACTION_TYPE = ID["action-type/5.5.01"]
DOCUMENT = ID["document/003-mons-txt"]
ACTION = ID["action/53053/2020-2025/23"]
PARTNER = ID["partner/asbl-pourquoi-pas-toi"]
CPAS = ID["partner/cpas-de-mons"]


def valid_graph() -> Graph:
    """One of everything, as the ingestion writes it (every node has its rdf:type)."""
    g = Graph()
    g.add((HAINAUT, RDF.type, PCS.Province))
    g.add((HAINAUT, PCS.nisCode, Literal("50000")))
    g.add((MONS, RDF.type, PCS.Commune))
    g.add((MONS, PCS.nisCode, Literal("53053")))
    g.add((MONS, SKOS.prefLabel, Literal("Mons", lang="fr")))
    g.add((MONS, SKOS.prefLabel, Literal("Bergen", lang="nl")))
    g.add((MONS, PCS.province, HAINAUT))

    g.add((PROGRAMME, RDF.type, PCS.Programme))
    g.add((PROGRAMME, SCHEMA.startDate, Literal("2020-01-01", datatype=DATE)))
    g.add((PROGRAMME, SCHEMA.endDate, Literal("2026-12-31", datatype=DATE)))
    g.add((PROGRAMME, PCS.axesScheme, ID["scheme/nomenclature"]))
    g.add((PLAN, RDF.type, PCS.Plan))
    g.add((PLAN, PCS.commune, MONS))
    g.add((PLAN, PCS.leadCommune, MONS))
    g.add((PLAN, PCS.programme, PROGRAMME))
    g.add((PLAN, PCS.delegatedToCPAS, Literal(False)))
    g.add((PLAN, PCS.subsidy, SUBSIDY))
    g.add((SUBSIDY, RDF.type, PCS.Subsidy))
    g.add((SUBSIDY, PCS.year, Literal("2022", datatype=GYEAR)))
    g.add((SUBSIDY, SCHEMA.amount, Literal(Decimal("123456.78"))))

    g.add((AXIS, RDF.type, PCS.Axis))
    g.add((AXIS, SKOS.notation, Literal("5")))
    g.add((AXIS, SKOS.prefLabel, Literal("Retisser des liens sociaux", lang="fr")))
    g.add((THEME, RDF.type, PCS.Theme))
    g.add((THEME, SKOS.notation, Literal("5.5")))
    g.add((THEME, PCS.axis, AXIS))
    g.add((ACTION_TYPE, RDF.type, PCS.ActionType))
    g.add((ACTION_TYPE, SKOS.notation, Literal("5.5.01")))
    g.add((ACTION_TYPE, SKOS.prefLabel, Literal("Soutien à la parentalité", lang="fr")))
    g.add((ACTION_TYPE, PCS.theme, THEME))
    g.add((ACTION_TYPE, PCS.axis, AXIS))

    g.add((DOCUMENT, RDF.type, PCS.SourceDocument))
    g.add((DOCUMENT, PCS.contentHash, Literal("ab" * 32)))
    g.add((DOCUMENT, PCS.fileName, Literal("003_mons.txt")))

    g.add((PARTNER, RDF.type, PCS.Partner))
    g.add((PARTNER, RDFS.label, Literal("ASBL Pourquoi pas toi", lang="fr")))
    g.add((PARTNER, PCS.partnerKind, PCS.ASBL))
    g.add((CPAS, RDF.type, PCS.Partner))
    g.add((CPAS, RDFS.label, Literal("CPAS de Mons", lang="fr")))

    g.add((ACTION, RDF.type, PCS.Action))
    g.add((ACTION, RDFS.label, Literal("Ateliers parents-enfants", lang="fr")))
    g.add((ACTION, PCS.commune, MONS))
    g.add((ACTION, PCS.plan, PLAN))
    g.add((ACTION, PCS.actionType, ACTION_TYPE))
    g.add((ACTION, PCS.classificationStatus, PCS.Declared))
    g.add((ACTION, PROV.wasDerivedFrom, DOCUMENT))
    g.add((ACTION, PCS.partner, PARTNER))
    g.add((ACTION, PCS.partner, CPAS))
    g.add((ACTION, PCS.article20Partner, CPAS))
    g.add((ACTION, DCTERMS.source, PAGE))
    g.add((PAGE, RDF.type, PCS.Publication))
    g.add((PAGE, DCTERMS.type, PCS.CommunePage))
    g.add((PAGE, DCTERMS.issued, Literal("2023-03", datatype=GYEARMONTH)))
    return g


def test_the_valid_graph_conforms() -> None:
    report = validate_graph(valid_graph())
    assert report.conforms, report.to_text()
    assert report.violations == []
    assert "valide" in report.to_text()


def test_validation_leaves_the_data_graph_untouched() -> None:
    """The ontology is mixed into a copy, not into the caller's graph."""
    g = valid_graph()
    size = len(g)
    validate_graph(g)
    assert len(g) == size


def _without_commune(g: Graph) -> None:
    g.remove((ACTION, PCS.commune, MONS))


def _bad_notation(g: Graph) -> None:
    g.set((ACTION_TYPE, SKOS.notation, Literal("9.9.99")))


def _declared_without_type(g: Graph) -> None:
    g.remove((ACTION, PCS.actionType, None))


def _short_nis_code(g: Graph) -> None:
    g.set((MONS, PCS.nisCode, Literal("5305")))


def _unclassified_with_type(g: Graph) -> None:
    g.set((ACTION, PCS.classificationStatus, PCS.Unclassified))


def _negative_amount(g: Graph) -> None:
    g.set((SUBSIDY, SCHEMA.amount, Literal(Decimal("-5"))))


def _score_above_one(g: Graph) -> None:
    g.add((ACTION, PCS.classificationScore, Literal(Decimal("1.5"))))


def _article20_partner_is_an_org_only(g: Graph) -> None:
    g.remove((CPAS, RDF.type, PCS.Partner))
    g.add((CPAS, RDF.type, ORG.Organization))


BREAKAGES: list[tuple[Callable[[Graph], None], str, str, str | None]] = [
    # (how the graph is broken, focus node, property at fault, offending value if any)
    (_without_commune, str(ACTION), "pcs:commune", None),
    (_bad_notation, str(ACTION_TYPE), "skos:notation", "9.9.99"),
    (_declared_without_type, str(ACTION), "pcs:actionType", None),
    (_short_nis_code, str(MONS), "pcs:nisCode", "5305"),
    (_unclassified_with_type, str(ACTION), "pcs:actionType", str(ACTION_TYPE)),
    (_negative_amount, str(SUBSIDY), "schema:amount", "-5"),
    (_score_above_one, str(ACTION), "pcs:classificationScore", "1.5"),
    (_article20_partner_is_an_org_only, str(ACTION), "pcs:article20Partner", str(CPAS)),
]


@pytest.mark.parametrize(("break_it", "focus", "path", "value"), BREAKAGES, ids=lambda x: getattr(x, "__name__", ""))
def test_each_breakage_is_reported_on_its_node_and_property(
    break_it: Callable[[Graph], None], focus: str, path: str, value: str | None
) -> None:
    g = valid_graph()
    break_it(g)
    report = validate_graph(g)
    assert not report.conforms
    matching = [v for v in report.violations if v.focus == focus and v.path == path]
    assert matching, report.to_text()
    assert all(v.severity == "Violation" and v.message for v in matching)
    if value is not None:
        assert value in {v.value for v in matching}


def test_messages_are_plain_french_sentences() -> None:
    g = valid_graph()
    _without_commune(g)
    _declared_without_type(g)
    report = validate_graph(g)
    messages = {v.path: v.message for v in report.violations if v.focus == str(ACTION)}
    assert messages["pcs:commune"] == "Une action doit avoir exactement une commune, de type pcs:Commune."
    assert "pcs:Declared" in messages["pcs:actionType"]


def test_to_text_names_the_focus_node_and_the_property_with_prefixes() -> None:
    g = valid_graph()
    _short_nis_code(g)
    text = validate_graph(g).to_text()
    line = next(line for line in text.splitlines() if "pcs:nisCode" in line)
    assert line.startswith(f"{MONS} — pcs:nisCode: ")
    assert "code INS de cinq chiffres" in line
    assert line.endswith("(valeur: 5305)")
    assert "https://w3id.org/pcs/ontology#" not in text


def test_report_to_text_has_one_line_per_violation() -> None:
    report = ValidationReport(
        conforms=False,
        violations=[
            Violation(focus="ex:a", path="pcs:commune", value=None, message="Pas de commune.", severity="Violation"),
            Violation(focus="ex:b", path=None, value="x", message="Autre chose.", severity="Warning"),
        ],
    )
    assert report.to_text().splitlines() == [
        "ex:a — pcs:commune: Pas de commune.",
        "[Warning] ex:b: Autre chose. (valeur: x)",
    ]
