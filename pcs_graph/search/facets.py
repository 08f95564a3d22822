"""Facet values of every action as integer columns (row i = index row i): filters and counts are vectorised.

    columns = FacetColumns(actions)
    allowed = columns.mask("axis", ["5"]) & columns.mask("partner_kind", ["ASBL"])
    columns.counts(allowed)["province"]      # (FacetValue("50000", "Hainaut", 12), ...)
"""

from __future__ import annotations

import numpy as np

from ..config import PROGRAMMES
from ..graph.sources import SOURCE_KIND_LABELS
from .actions import ActionInfo
from .types import FacetValue

PARTNER_KINDS = ("ASBL", "CPAS", "CommuneService", "PublicBody", "School", "OtherPartner")
PARTNER_KIND_LABELS = {"ASBL": "ASBL", "CPAS": "CPAS", "CommuneService": "Service communal",
                       "PublicBody": "Organisme public", "School": "École", "OtherPartner": "Autre partenaire"}
STATUSES = {"declared": "Code déclaré", "inferred": "Type inféré", "unclassified": "Non classée"}
FACETS = ("axis", "theme", "action_type", "commune", "province", "programme", "partner_kind", "article20", "status",
          "source_kind")


class FacetColumns:
    """Per-action facet values as arrays (row i = index row i), so filters and counts are vectorised."""

    def __init__(self, actions: list[ActionInfo]) -> None:
        self.values: dict[str, list[str]] = {}
        self.ids: dict[str, np.ndarray] = {}
        self.labels: dict[str, dict[str, str]] = {name: {} for name in FACETS}
        columns: dict[str, list[str]] = {
            "axis": [str(a.axis) if a.axis else "" for a in actions],
            "theme": [a.theme or "" for a in actions],
            "action_type": [a.code or "" for a in actions],
            "commune": [a.nis for a in actions],
            "province": [a.province_nis for a in actions],
            "programme": [a.programme for a in actions],
            "article20": ["true" if a.article20 else "false" for a in actions],
            "status": [a.status for a in actions],
            "source_kind": [a.source_kind or "" for a in actions],
        }
        for a in actions:
            if a.axis and a.axis_label:
                self.labels["axis"][str(a.axis)] = a.axis_label
            if a.code:
                self.labels["action_type"][a.code] = a.action_type_label or a.code
                self.labels["theme"].setdefault(a.theme or "", a.theme_label or f"Thème {a.theme}")
            self.labels["commune"][a.nis] = a.commune
            self.labels["province"][a.province_nis] = a.province
        self.labels["programme"] = {p: p for p in PROGRAMMES}
        self.labels["source_kind"] = dict(SOURCE_KIND_LABELS)
        self.labels["article20"] = {"true": "Avec partenaire article 20", "false": "Sans partenaire article 20"}
        self.labels["status"] = dict(STATUSES)
        self.labels["partner_kind"] = dict(PARTNER_KIND_LABELS)
        for name, column in columns.items():
            vocab = sorted(set(column))
            lookup = {v: i for i, v in enumerate(vocab)}
            self.values[name] = vocab
            self.ids[name] = np.fromiter((lookup[v] for v in column), dtype=np.int32, count=len(column))
        self.partner_bits = np.fromiter(
            (sum(1 << PARTNER_KINDS.index(p.kind) for p in {p.kind: p for p in a.partners if p.kind in PARTNER_KINDS}.values())
             for a in actions), dtype=np.int32, count=len(actions))

    def mask(self, name: str, wanted: list[str]) -> np.ndarray:
        if name == "partner_kind":
            bits = sum(1 << PARTNER_KINDS.index(k) for k in wanted if k in PARTNER_KINDS)
            return (self.partner_bits & bits) != 0
        lookup = {v: i for i, v in enumerate(self.values[name])}
        ids = [lookup[v] for v in wanted if v in lookup]
        return np.isin(self.ids[name], np.asarray(ids, dtype=np.int32))

    def counts(self, matched: np.ndarray) -> dict[str, tuple[FacetValue, ...]]:
        facets: dict[str, tuple[FacetValue, ...]] = {}
        rows = np.flatnonzero(matched)
        for name, ids in self.ids.items():
            counts = np.bincount(ids[rows], minlength=len(self.values[name]))
            found = [(self.values[name][i], int(c)) for i, c in enumerate(counts) if c and self.values[name][i]]
            found.sort(key=lambda vc: (-vc[1], vc[0]))
            facets[name] = tuple(FacetValue(v, self.labels[name].get(v, v), c) for v, c in found)
        kinds = []
        bits = self.partner_bits[rows]
        for bit, kind in enumerate(PARTNER_KINDS):
            c = int(np.count_nonzero(bits & (1 << bit)))
            if c:
                kinds.append(FacetValue(kind, PARTNER_KIND_LABELS[kind], c))
        facets["partner_kind"] = tuple(sorted(kinds, key=lambda f: -f.count))
        return {name: facets[name] for name in FACETS}
