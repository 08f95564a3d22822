"""Search that understands a project leader's French (issue 16): every need met, meaning over stray words.

    engine.search("consultation médicale gratuite")   # the health actions, not the free flea market
    engine.similar(uri)                                # « même sens » only above a measured floor
"""

from __future__ import annotations

import numpy as np
import pytest

from pcs_graph.config import Settings
from pcs_graph.search.closewords import CloseWords
from pcs_graph.search.engine import SIMILAR_FLOOR, SearchEngine
from pcs_graph.store.workspace import Workspace

# the issue's queries, each with the labels (as printed) of the actions that answer it
ISSUE_QUERIES = {
    "consultation médicale gratuite": {"Permanence santé", "Travail de rue en santé", "Relais Santé du CPAS de Liège"},
    "créer des liens entre jeunes et personnes âgées": {"Ateliers/activités de partage intergénérationnel",
                                                        "partage intergénérationnel"},
    "magasin à prix réduits pour les familles pauvres": {"Création d’une épicerie sociale",
                                                         "création d’une épicerie sociale",
                                                         "Epicerie sociale en partenariat avec les PCS d’Ohey et d’Assesse"},
    # the issue names the CV help, the orientation coaching and the employment service as the first page's
    # unflagged answers; bench/judged/queries.json judges the same actions right for "insertion socioprofessionnelle"
    "insertion professionnelle des jeunes": {"Formation par la mise au travail", "Été Solidaire, je suis partenaire",
                                             "Eté solidaire, je suis partenaire", "le service emploi",
                                             "Les permanences emploi (droit au travail)",
                                             "Aide individuelle à la rédaction de CV, lettre de motivation, …",
                                             "Coaching en orientation professionnelle", "un coaching orientation",
                                             "Coordination des organismes actifs dans la formation préqualifiante et "
                                             "l'insertion socioprofessionnelle (CALIF ASBL)"},
}


@pytest.fixture(scope="module")
def engine(indexed_corpus: Settings):
    with Workspace(indexed_corpus, read_only=True) as ws:
        yield SearchEngine.open(ws)


NOT_YET = pytest.mark.xfail(strict=True, reason="issue 16 target not met yet: no right action flagged relevant "
                            "in the top 3 (see docs/benchmarks.md, search quality)")


STILL_MISSED = {"magasin à prix réduits pour les familles pauvres"}


@pytest.mark.parametrize("query", [pytest.param(q, marks=NOT_YET) if q in STILL_MISSED else q for q in ISSUE_QUERIES])
def test_an_everyday_need_finds_a_right_action_in_the_top_3_flagged_relevant(engine: SearchEngine, query: str) -> None:
    hits = engine.search(query, k=3).hits
    assert any(h.label in ISSUE_QUERIES[query] and h.relevant for h in hits), [(h.label, h.relevant) for h in hits]


def test_a_free_flea_market_is_not_the_first_answer_to_a_free_medical_consultation(engine: SearchEngine) -> None:
    first = engine.search("consultation médicale gratuite", k=5).hits[0]
    assert "Donnerie" not in first.label


def test_a_word_of_close_meaning_meets_a_need_in_part_and_is_told_as_such() -> None:
    close = dict(CloseWords.load().of("medical"))  # stems, as search compares them
    assert close.get("sant", 0) > 0.5 and "gratuit" not in close


def test_the_main_need_is_the_most_informative_word_in_the_sector_and_in_french(engine: SearchEngine) -> None:
    state = engine._current()
    needs = state.evidence.concepts("créer des liens entre jeunes et personnes âgées", engine.expander,
                                    engine.close_words)
    main = max(needs, key=lambda c: c.weight)
    assert main.text == "jeunes personnes agees"  # not « créer », a common French word no action label uses
    assert "intergénérationnel" in [phrase for phrase, _ in main.alternatives]
    weight = {c.text: c.weight for c in state.evidence.concepts("consultation médicale gratuite", engine.expander,
                                                                 engine.close_words)}
    assert weight["medicale"] > weight["gratuite"]


def test_a_word_common_in_french_weighs_less_than_a_rare_one() -> None:
    close = CloseWords.load()
    assert close.rarity("cre") < close.rarity("medical") < close.rarity("epicer") <= 1.0  # créer, médicale, épicerie
    assert close.rarity("intergenerationnelissime") == 1.0  # beyond the 50,000 most frequent words: rare


def test_a_malformed_line_of_the_word_ranks_is_named(tmp_path) -> None:
    ranks = tmp_path / "word_ranks.tsv"
    ranks.write_text("# stem<TAB>rank\ncre\t654\nsant quatre-cent\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"word_ranks.tsv:3: expected stem<TAB>rank"):
        CloseWords.load(tmp_path / "none.tsv", ranks)


def test_homework_schools_get_no_unrelated_action_as_same_meaning(engine: SearchEngine) -> None:
    source = next(a for a in engine.actions if a.label == "Initiatives menées par les écoles de devoirs")
    results = engine.similar(source.uri, k=5)
    same_meaning = [h for h in results.hits if h.why.shared == "meaning"]
    assert all(h.score >= SIMILAR_FLOOR for h in same_meaning)
    assert not any(word in h.label.lower() for h in same_meaning for word in ("travail", "confiance", "seniors"))
    if not same_meaning:
        assert any("aucune action d'une autre commune n'a vraiment le même sens" in n for n in results.notes)


def test_centred_vectors_spread_the_cosines_and_queries_get_the_same_correction(engine: SearchEngine) -> None:
    state = engine._current()
    assert state.centre is not None
    q = engine.embedder.embed_query("aide aux devoirs")
    raw = state.index.unique_vectors @ q  # raw cosines of short French labels: squeezed together
    centred = state.dense_scores(state.centred(q))
    assert centred.max() - centred.min() > 2 * (raw.max() - raw.min())
    assert np.allclose(np.linalg.norm(state.vectors, axis=1), 1.0, atol=1e-4)


def test_the_most_probable_action_types_lend_their_actions_part_of_the_score(engine: SearchEngine) -> None:
    state = engine._current()
    q = state.centred(engine.embedder.embed_query("rencontres pour personnes isolées"))
    probs = state.bridge.probabilities(q)
    assert abs(probs.sum() - 1) < 1e-6
    codes = state.columns.values["action_type"]
    assert codes[int(np.argmax(probs))].startswith("5.")  # the axis of social, cultural and family life

    scores = np.ones(len(state.actions))
    raised, lent = state.bridge.lend(q, scores, np.ones(len(state.actions), dtype=bool), share=0.1)
    lending = np.isin(state.bridge.type_ids, list(lent))
    assert lent and (raised[lending] > 1).all() and (raised[~lending] == 1).all()
