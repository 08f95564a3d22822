"""The glossary's definitions as part of what an action's label means (issue 16, items 1 and 4).

    evidence = Evidence.build(actions, analyzer, glosses)   # a label naming « épicerie sociale » is read with
                                                             # the glossary's definition of an épicerie sociale
    engine.search("magasin à prix réduits pour les familles pauvres")   # the épiceries sociales first
"""

from __future__ import annotations

import numpy as np
import pytest

from pcs_graph.config import Settings
from pcs_graph.search.actions import ActionInfo
from pcs_graph.search.engine import SearchEngine
from pcs_graph.search.glossary import defined_terms
from pcs_graph.search.lexical import FrenchAnalyzer
from pcs_graph.search.glosses import Gloss, lent_credits
from pcs_graph.search.relevance import Evidence
from pcs_graph.store.workspace import Workspace

ANALYZER = FrenchAnalyzer()
SHOP = Gloss.of("épicerie sociale", ("épicerie sociale", "épicerie solidaire"),
                "Magasin qui vend à prix réduits aux familles en situation de pauvreté.", ANALYZER)


def action(uri: str, label: str) -> ActionInfo:
    return ActionInfo(uri, label, "Mons", "53053", "Hainaut", "50000", "2020-2025", "en cours", "plan")


@pytest.fixture(scope="module")
def evidence() -> Evidence:
    actions = [action("a:shop", "Création d'une épicerie sociale"), action("a:market", "Marché de Noël"),
               action("a:gym", "Gym douce pour les familles")]
    return Evidence.build(actions, ANALYZER, (SHOP,))


def test_a_word_of_the_definition_meets_a_need_in_part_only(evidence: Evidence) -> None:
    coverage = evidence.coverage(evidence.concepts("magasin", None))
    assert coverage[0] == pytest.approx(Evidence.GLOSS_CREDIT)  # the épicerie: « magasin » by definition, one
    # word only: not a paraphrase of the definition
    assert coverage[1] == 0.0 and coverage[2] == 0.0  # no label names a defined term


def test_a_query_that_paraphrases_the_definition_asks_for_the_term(evidence: Evidence) -> None:
    coverage = evidence.coverage(evidence.concepts("magasin à prix réduits", None))
    assert coverage[0] == pytest.approx(1.0)  # every need met by the definition: as good as the term itself
    one_word = evidence.coverage(evidence.concepts("magasin de vélos", None))  # one need of two, a stray word
    assert 0.0 < one_word[0] < Evidence.GLOSS_CREDIT


def test_the_label_s_own_words_still_count_in_full(evidence: Evidence) -> None:
    coverage = evidence.coverage(evidence.concepts("familles", None))
    assert coverage[2] == 1.0  # in the gym's label
    assert coverage[0] == pytest.approx(Evidence.GLOSS_CREDIT)  # in the épicerie's definition only


def test_without_glosses_nothing_changes() -> None:
    plain = Evidence.build([action("a:shop", "Création d'une épicerie sociale")], ANALYZER)
    assert np.all(plain.coverage(plain.concepts("magasin à prix réduits", None)) == 0.0)


def test_every_defined_term_of_the_glossary_is_read_with_its_definition() -> None:
    terms = {term: definition for term, _, definition in defined_terms()}
    assert "prix réduits" in terms["épicerie sociale"]
    assert terms["infections sexuellement transmissibles"]


@pytest.fixture(scope="module")
def engine(indexed_corpus: Settings):
    with Workspace(indexed_corpus, read_only=True) as ws:
        yield SearchEngine.open(ws)


def test_the_epiceries_sociales_come_first_for_a_shop_with_low_prices_told_via_the_glossary(engine: SearchEngine) -> None:
    hits = engine.search("magasin à prix réduits pour les familles pauvres", k=3).hits
    assert all("picerie sociale" in h.label for h in hits), [h.label for h in hits]
    assert all("via le glossaire « épicerie sociale »" in h.why.via for h in hits)
    assert not hits[0].why.matched_terms  # no word of the query is in their labels: none is named


def test_what_definitions_lend_grows_with_the_share_of_the_query_they_paraphrase() -> None:
    both = np.array([1.0, 0.0, 1.0], dtype=np.float32)  # actions 0 and 2: the definitions meet this need
    one = np.array([1.0, 0.0, 0.0], dtype=np.float32)  # action 0 only
    lent = lent_credits([(0.6, both), (0.3, one), (0.1, None)], floor=0.25)
    assert lent[2] is None  # no definition meets the third need
    assert lent[0][0] == pytest.approx(0.9) and lent[1][0] == pytest.approx(0.9)  # two needs: 90 % of the query
    assert lent[0][2] == pytest.approx(0.25)  # one need only: a stray word, the floor
    assert lent[0][1] == 0.0 and lent[1][1] == 0.0


def test_nothing_is_lent_when_no_definition_meets_a_need() -> None:
    assert lent_credits([(1.0, None)], floor=0.25) == [None]
