"""An action's dense vector, composed from texts that are each embedded once.

    plan = VectorPlan(actions, COMPOSED)         # what each action's vector is made of
    plan.texts                                   # the distinct texts to embed (contexts first, then own texts)
    vectors = plan.compose(encoded)              # (N, dim) float32, L2-normalised; encoded: text -> vector
    plan.hashes[i]                               # what action i's vector depends on (kept in the manifest)

Recipes:
- COMPOSED (default): an action's vector is normalise(own + CONTEXT_WEIGHT * context), where `own` is
  the embedding of its label (and description) and `context` the embedding of what thousands of
  actions share: its action type's label (when it differs from the label), theme, axis and target
  public, written as one text. Each distinct own text and each distinct context is embedded once, so
  the model reads the type, theme and axis words once per combination instead of once per action
  (~16 tokens per action instead of ~50). The weight 0.25 measured best among 0.15-0.4 on
  the earlier judged set of 44 queries (issue 12).
- FULL: one embedding of the whole `embedded_text` per distinct text (the recipe before issue 12).

`PCS_INDEX_RECIPE=full` (`Settings.index_recipe`) selects the latter; the manifest records the recipe, and a change of recipe
rebuilds the index like a change of model.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .actions import ActionInfo, embedded_text, text_hash


@dataclass(frozen=True)
class Recipe:
    name: str  # "composed" or "full"
    context_weight: float = 0.0

    @property
    def id(self) -> str:
        """What the manifest records: the recipe and its weight."""
        return f"{self.name}:{self.context_weight:g}" if self.name == "composed" else self.name


COMPOSED = Recipe("composed", 0.25)
FULL = Recipe("full")
RECIPES = {"composed": COMPOSED, "full": FULL}


def recipe_named(name: str) -> Recipe:
    """`Settings.index_recipe` (`PCS_INDEX_RECIPE`): composed (default) or full."""
    name = (name or "composed").strip().lower()
    if name not in RECIPES:
        from ..errors import PcsError

        raise PcsError(f"PCS_INDEX_RECIPE inconnu : {name!r} (composed ou full)")
    return RECIPES[name]


def own_text(info: ActionInfo) -> str:
    """What is particular to the action: its label, then its description."""
    parts = [info.label, info.description or ""]
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip()) or info.label


def context_text(info: ActionInfo) -> str:
    """What the action shares with others of its kind: type label, theme, axis, target public."""
    parts = []
    if info.action_type_label and info.action_type_label != info.label:
        parts.append(info.action_type_label)
    parts += [info.theme_label or "", info.axis_label or ""]
    if info.publics:
        parts.append("Public : " + ", ".join(info.publics))
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())


class VectorPlan:
    """The texts each action's vector is made of, under one recipe, and the hash of each action's vector."""

    def __init__(self, actions: list[ActionInfo], recipe: Recipe = COMPOSED) -> None:
        self.recipe = recipe
        self.parts: list[tuple[str, str]] = []  # (own, context); context "" when none (or recipe full)
        for a in actions:
            if recipe.name == "full":
                self.parts.append((embedded_text(a), ""))
            else:
                self.parts.append((own_text(a), context_text(a)))
        self.hashes = [text_hash(f"{recipe.id}\x1f{own}\x1f{context}") for own, context in self.parts]

    def texts(self, rows: list[int]) -> list[str]:
        """The distinct texts the given actions need: their contexts first (few, each shared by many), then
        their own texts in row order, so that progress counts whole actions early and steadily."""
        contexts = dict.fromkeys(self.parts[i][1] for i in rows if self.parts[i][1])
        owns = dict.fromkeys(self.parts[i][0] for i in rows)
        return list(contexts) + [t for t in owns if t not in contexts]

    def ready_after(self, rows: list[int], order: list[str]) -> np.ndarray:
        """For each given row, how many texts of `order` must be embedded before its vector can be made
        (sorted): `np.searchsorted(ready, k, "right")` actions are complete after k texts. A text missing
        from `order` is taken as already known."""
        position = {t: i for i, t in enumerate(order)}
        needs = [max(position.get(own, -1), position.get(context, -1) if context else -1) + 1
                 for own, context in (self.parts[i] for i in rows)]
        return np.sort(np.asarray(needs, dtype=np.int64))

    def compose(self, rows: list[int], encoded: Mapping[str, np.ndarray], dim: int) -> np.ndarray:
        """The vectors of the given rows: own + weight * context, L2-normalised."""
        out = np.zeros((len(rows), dim), dtype=np.float32)
        weight = self.recipe.context_weight
        for j, i in enumerate(rows):
            own, context = self.parts[i]
            out[j] = encoded[own]
            if context and weight:
                out[j] += weight * encoded[context]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)
