"""The sector's synonyms, read from the glossary: what a query is expanded with depends on the query, not on
the order of the glossary's concepts or of their labels."""

from __future__ import annotations

from pcs_graph.search.glossary import search_groups
from pcs_graph.search.lexical import FrenchAnalyzer, SynonymExpander

ADDICTIONS = ("assuétudes", "addiction", "dépendance", "drogue", "alcool", "toxicomanie")
HOUSING = ("logement", "habitat", "sans-abri", "abri de nuit")


def test_the_member_a_query_names_first_is_its_need_whatever_the_glossary_order():
    analyzer = FrenchAnalyzer()
    forward = SynonymExpander(analyzer, (ADDICTIONS, HOUSING))
    backward = SynonymExpander(analyzer, (HOUSING[::-1], ADDICTIONS[::-1]))
    for query, first in (("drogue et alcool", "drogue"), ("alcool et drogue", "alcool")):
        a, b = forward.expand(query), backward.expand(query)
        assert a.triggers == b.triggers == (first,)
        assert sorted(a.phrases) == sorted(b.phrases) and "assuétudes" in a.phrases
    # several groups: the query's order
    assert forward.expand("un logement pour sortir de l'alcool").triggers == ("logement", "alcool")
    assert backward.expand("un logement pour sortir de l'alcool").triggers == ("logement", "alcool")
    # the longest member wins over a shorter one inside it
    assert forward.expand("un abri de nuit").triggers == ("abri de nuit",)


def test_the_glossary_is_the_one_list_of_synonyms_search_reads():
    groups = search_groups()
    generations = next(g for g in groups if "intergénérationnel" in g)
    assert "jeunes et personnes âgées" in generations  # one need: « créer des liens entre jeunes et personnes âgées »
    expander = SynonymExpander(FrenchAnalyzer())
    assert "intergénérationnel" in expander.expand("des jeunes et des personnes âgées ensemble").phrases


def test_summer_is_a_word_of_the_sector_not_the_past_participle_of_etre() -> None:
    analyzer = FrenchAnalyzer()
    assert analyzer.terms("job d'été pour des jeunes") == analyzer.terms("job été jeunes")
    assert set(analyzer.terms("Été solidaire")) & set(analyzer.terms("animations d'été"))
    assert analyzer.terms("ce qui est fait") == []  # the auxiliaries stay stop words
