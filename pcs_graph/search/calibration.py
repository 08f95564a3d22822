"""The classifier's confidence as a measured probability: P(the proposed type is right), calibrated.

    calibration = Calibration.load(embedder.name)        # None: no calibration for this model
    calibration.probability(share=0.62, cosine=0.91, margin=0.35)     # 0.83
    AxisCalibration.load(embedder.name).probability(share=0.71, lead=0.45)   # the axis of an untyped action

Fitted by bench/classifier_quality.py on held-out predictions (leave one commune out: neither the
action's own label nor any label of its commune is evidence for it), as a logistic regression on the
classifier's raw softmax share, its best cosine and its lead over the next type; `threshold` is the
lowest calibrated confidence at which at least 90 % of the held-out assignments were right.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

CALIBRATION_FILE = Path(__file__).with_name("data") / "classifier_calibration.json"
FEATURES = ("bias", "softmax share", "best cosine", "lead over the next type")
CAP = 0.99  # no 100 %: only an action labelled exactly as its type is certain


@dataclass(frozen=True)
class Calibration:
    model: str
    weights: tuple[float, ...]
    threshold: float
    fitted_on: str

    @classmethod
    def load(cls, embedder_name: str, path: Path = CALIBRATION_FILE) -> "Calibration | None":
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("model") != embedder_name or tuple(data.get("features", ())) != FEATURES:
            return None
        return cls(data["model"], tuple(data["weights"]), float(data["threshold"]), data.get("fitted_on", ""))

    def probability(self, share: float, cosine: float, margin: float) -> float:
        z = sum(w * x for w, x in zip(self.weights, (1.0, share, cosine, margin)))
        return min(CAP, 1.0 / (1.0 + math.exp(-z)))


def calibration_features(share: float, cosine: float, margin: float) -> list[float]:
    return [1.0, share, cosine, margin]


# --- the axis of an action with no type (fitted by bench/axis_quality.py) ------------------------

AXIS_CALIBRATION_FILE = Path(__file__).with_name("data") / "axis_calibration.json"
OLD_AXIS_CALIBRATION_FILE = Path(__file__).with_name("data") / "axis_calibration_2014_2019.json"  # axes.old_axis_guess
AXIS_FEATURES = ("bias", "axis share", "lead over the next axis")


@dataclass(frozen=True)
class AxisCalibration:
    """P(the proposed axis is right), from the classifier's raw axis share and its lead over the next axis.

        calibration = AxisCalibration.load(embedder.name)     # None: no calibration for this model
        calibration.probability(share=0.71, lead=0.45)         # 0.86; an axis is written when >= threshold
    """

    model: str
    weights: tuple[float, ...]
    threshold: float
    held_out_accuracy: float | None
    fitted_on: str

    @classmethod
    def load(cls, embedder_name: str, path: Path = AXIS_CALIBRATION_FILE) -> "AxisCalibration | None":
        if not path.is_file():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("model") != embedder_name or tuple(data.get("features", ())) != AXIS_FEATURES:
            return None
        return cls(data["model"], tuple(data["weights"]), float(data["threshold"]), data.get("held_out_accuracy"),
                   data.get("fitted_on", ""))

    def probability(self, share: float, lead: float) -> float:
        z = sum(w * x for w, x in zip(self.weights, axis_features(share, lead)))
        return min(CAP, 1.0 / (1.0 + math.exp(-z)))


def axis_features(share: float, lead: float) -> list[float]:
    return [1.0, share, lead]
