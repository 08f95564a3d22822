"""The nomenclature as a bridge: the query's most probable action types lend their actions part of the score.

    bridge = TypeBridge.build(vectors, vector_ids, columns)   # once per index: one prototype per action type
    scores, lent = bridge.lend(q_centred, scores, allowed, share=0.2)
    lent                                                      # {row: "Activités de rencontre pour personnes isolées"}

Each action type with declared or inferred actions gets a prototype: the mean of its actions' (centred)
vectors, renormalised. A query's probability of each type is a softmax of its cosines with the
prototypes (temperature TEMPERATURE); the TYPES most probable types lend their actions `share` x that
probability x the best score, so an action whose own words say little ("Rencontre dans un lieu de
convivialité") is still reached through its type when the query means what the type is about. The
explanation says « via le type d'action « … » ». The share is measured by bench/search_quality.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .facets import FacetColumns
from .groups import Groups

TEMPERATURE = 0.1
TYPES = 2


@dataclass(frozen=True)
class TypeBridge:
    prototypes: np.ndarray  # (types, dim), unit vectors; row t = action type columns.values["action_type"][t]
    known: np.ndarray  # bool per type id: the type has a prototype (not the empty code)
    type_ids: np.ndarray  # per action row, its type id
    labels: tuple[str, ...]  # per type id, the type's label
    groups: Groups  # the rows of each type id

    @classmethod
    def build(cls, vectors: np.ndarray, vector_ids: np.ndarray | None, columns: FacetColumns) -> "TypeBridge":
        type_ids = columns.ids["action_type"]
        codes = columns.values["action_type"]
        ids = vector_ids if vector_ids is not None else np.arange(len(type_ids))
        prototypes = np.zeros((len(codes), vectors.shape[1] if vectors.ndim == 2 else 0), dtype=np.float64)
        if len(type_ids):
            # (type, vector) pairs counted once each, so a vector shared by 5 rows is read once
            keys, counts = np.unique(type_ids.astype(np.int64) * max(1, len(vectors)) + ids, return_counts=True)
            types, rows = keys // max(1, len(vectors)), keys % max(1, len(vectors))
            for start in range(0, len(keys), 4096):
                part = slice(start, start + 4096)
                np.add.at(prototypes, types[part], vectors[rows[part]] * counts[part, None])
        norms = np.linalg.norm(prototypes, axis=1)
        known = (norms > 0) & np.array([bool(c) for c in codes], dtype=bool)
        prototypes = (prototypes / np.maximum(norms, 1e-12)[:, None]).astype(np.float32)
        labels = tuple(columns.labels["action_type"].get(c, c) for c in codes)
        return cls(prototypes, known, type_ids, labels, columns.groups["action_type"])

    def probabilities(self, q: np.ndarray) -> np.ndarray:
        """P(type | query) over the known types (0 for the others)."""
        if not self.known.any():
            return np.zeros(len(self.known))
        sims = np.where(self.known, self.prototypes @ q, -np.inf)
        z = np.exp((sims - sims.max()) / TEMPERATURE)
        return z / z.sum()

    def lend(self, q: np.ndarray, scores: np.ndarray, allowed: np.ndarray, share: float) -> tuple[np.ndarray, dict[int, str]]:
        """The scores with the TYPES most probable types' actions raised by share x P(type) x the best allowed
        score; and which type label each raised type id lent (for the explanations)."""
        probs = self.probabilities(q)
        if not share or not probs.any() or not allowed.any():
            return scores, {}
        best = float(np.max(scores, where=allowed, initial=0.0)) or 1.0
        out = scores.astype(np.float64)
        lent: dict[int, str] = {}
        for t in np.argsort(-probs)[:TYPES]:
            if probs[t] <= 0:
                break
            rows = self.groups.rows(int(t))
            out[rows[allowed[rows]]] += share * float(probs[t]) * best
            lent[int(t)] = self.labels[t]
        return out, lent
