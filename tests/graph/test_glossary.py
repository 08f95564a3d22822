"""The sector's glossary (ontology/glossary.ttl): what every entry carries, its data URIs under any base, and
what search takes from it (acronym expansions, synonym groups)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from pcs_graph.graph.glossary import GLOSSARY_FILE, USUAL_SOURCE, glossary_graph, is_acronym, load_glossary
from pcs_graph.graph.uris import Uris
from pcs_graph.search.glossary import expansion_text, glossary_notes, search_groups
from pcs_graph.search.lexical import FrenchAnalyzer, SynonymExpander

SECTOR_ACRONYMS = ("IST", "PMR", "EPN", "CPAS", "ILI", "AMO", "EFT", "CISP", "SAJ", "BIM", "AVIQ", "EDD")


def test_every_term_is_a_skos_concept_of_the_scheme_with_a_french_label_and_a_source():
    g = Graph().parse(GLOSSARY_FILE, format="turtle")
    scheme = next(g.subjects(RDF.type, SKOS.ConceptScheme))
    concepts = set(g.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) >= 40
    for c in concepts:
        assert (c, SKOS.inScheme, scheme) in g
        assert g.value(c, SKOS.prefLabel).language == "fr"
        sources = list(g.objects(c, DCTERMS.source))
        assert sources, c
        # a public page, or the words saying there is none: never an invented link
        assert all(isinstance(s, URIRef) and str(s).startswith(("http://", "https://"))
                   or s == Literal(USUAL_SOURCE, lang="fr") for s in sources), c


def test_the_sector_acronyms_are_defined_with_a_public_source():
    glossary = load_glossary()
    for acronym in SECTOR_ACRONYMS:
        term = glossary.acronym_terms()[acronym.lower()]
        assert term.definition and term.sources, acronym
    assert glossary.expansion("ist") == "IST = infections sexuellement transmissibles"
    assert glossary.expansion("aviq") == "AVIQ = Agence pour une Vie de Qualité"
    assert glossary.expansion("CV") is None  # a member of the « emploi » group, not an abbreviation of it
    assert is_acronym("CPAS") and not is_acronym("Mena") and not is_acronym("vélo")


def test_terms_are_related_to_the_nomenclature_under_the_configured_base():
    default = glossary_graph()
    ist = URIRef("https://w3id.org/pcs/id/glossary/ist")
    assert (ist, SKOS.related, Uris().action_type("3.1.06")) in default
    moved = glossary_graph(Uris("https://example.org/pcs/"))
    assert (URIRef("https://example.org/pcs/glossary/ist"), SKOS.related,
            Uris("https://example.org/pcs/").action_type("3.1.06")) in moved
    assert not any("w3id.org/pcs/id/" in str(t) for triple in moved for t in triple)
    assert len(moved) == len(default)


def test_search_expands_an_acronym_to_its_words_and_explains_it():
    groups = search_groups()
    assert ("centre public d'action sociale", "CPAS") in groups
    assert sum("IST" in g for g in groups) == 1  # one concept, one group
    expander = SynonymExpander(FrenchAnalyzer())
    assert "espace public numérique" in expander.expand("un EPN près de chez moi").phrases
    assert expansion_text("EPN") == "EPN = espace public numérique"
    assert glossary_notes(["IST", "infections sexuellement transmissibles → IST", "gym"]) == (
        "IST = infections sexuellement transmissibles",)
