"""Facet values of every action as integer columns (row i = index row i): filters and counts are vectorised.

    columns = FacetColumns(actions)
    allowed = columns.mask("axis", ["5"]) & columns.mask("partner_kind", ["ASBL"])
    columns.counts(allowed)["province"]      # (FacetValue("50000", "Hainaut", 12), ...)
"""

from __future__ import annotations

import numpy as np

from ..config import PROGRAMMES
from ..graph.likeness import SIZE_BAND_LABELS, URBAN_RURAL_LABELS
from ..graph.sheet import PARTNER_KINDS
from ..graph.sources import SOURCE_KIND_LABELS
from .actions import ActionInfo
from .groups import Groups
from .types import FacetValue

PARTNER_KIND_LABELS = {"ASBL": "ASBL", "CPAS": "CPAS", "CommuneService": "Service communal",
                       "PublicBody": "Organisme public", "School": "École", "OtherPartner": "Autre partenaire"}
STATUSES = {"declared": "Code déclaré", "inferred": "Type inféré", "unclassified": "Non classée"}
FACETS = ("axis", "theme", "action_type", "commune", "province", "programme", "partner_kind", "article20", "status",
          "source_kind", "size_band", "urban_rural")


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
            "size_band": [a.size_band or "" for a in actions],
            "urban_rural": [a.urban_rural or "" for a in actions],
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
        self.labels["size_band"] = {code: f"Commune de {label}" for code, label in SIZE_BAND_LABELS.items()}
        self.labels["urban_rural"] = {code: f"Commune {label}" for code, label in URBAN_RURAL_LABELS.items()}
        for name, column in columns.items():
            vocab = sorted(set(column))
            lookup = {v: i for i, v in enumerate(vocab)}
            self.values[name] = vocab
            self.ids[name] = np.fromiter((lookup[v] for v in column), dtype=np.int32, count=len(column))
        self.groups = {name: Groups(self.ids[name]) for name in ("theme", "action_type")}  # rows by theme, by type
        self.partner_bits = np.fromiter(
            (sum(1 << PARTNER_KINDS.index(p.kind) for p in {p.kind: p for p in a.partners if p.kind in PARTNER_KINDS}.values())
             for a in actions), dtype=np.int32, count=len(actions))
        # every column's ids shifted into one range (row-major: one gather, one bincount counts them all)
        self._offsets = np.cumsum([0] + [len(self.values[name]) for name in self.ids])
        self._stacked = (np.vstack([ids + off for ids, off in zip(self.ids.values(), self._offsets)])
                         if self.ids else np.zeros((0, 0), dtype=np.int32))
        # each value's label as shown, by value id (the vocabulary is sorted: id order is value order)
        self._shown = {name: [self.labels[name].get(v, v) for v in self.values[name]] for name in self.ids}
        # which partner kinds each of the 2^6 bit patterns holds
        self._kinds_of = np.array([[(b >> k) & 1 for k in range(len(PARTNER_KINDS))]
                                   for b in range(1 << len(PARTNER_KINDS))], dtype=np.int64)

    def mask(self, name: str, wanted: list[str]) -> np.ndarray:
        if name == "partner_kind":
            bits = sum(1 << PARTNER_KINDS.index(k) for k in wanted if k in PARTNER_KINDS)
            return (self.partner_bits & bits) != 0
        lookup = {v: i for i, v in enumerate(self.values[name])}
        table = np.zeros(len(self.values[name]), dtype=bool)  # value id -> wanted (one gather, no sort)
        table[[lookup[v] for v in wanted if v in lookup]] = True
        return table[self.ids[name]]

    def counts(self, matched: np.ndarray) -> dict[str, tuple[FacetValue, ...]]:
        """Per facet, the values of the matched rows with their counts (most frequent first)."""
        facets: dict[str, tuple[FacetValue, ...]] = {}
        all_rows = bool(matched.all())
        rows = None if all_rows else np.flatnonzero(matched)
        every = np.bincount((self._stacked if rows is None else self._stacked.take(rows, axis=1)).ravel(),
                            minlength=int(self._offsets[-1]))
        for k, name in enumerate(self.ids):
            values, shown, counts = self.values[name], self._shown[name], every[self._offsets[k]:self._offsets[k + 1]]
            present = np.flatnonzero(counts)
            present = present[np.lexsort((present, -counts[present]))]  # most frequent first, then by value
            facets[name] = tuple(FacetValue(values[i], shown[i], c)
                                 for i, c in zip(present.tolist(), counts[present].tolist()) if values[i])
        patterns = np.bincount(self.partner_bits if rows is None else self.partner_bits[rows],
                               minlength=len(self._kinds_of))
        per_kind = patterns @ self._kinds_of
        kinds = [FacetValue(kind, PARTNER_KIND_LABELS[kind], int(c)) for kind, c in zip(PARTNER_KINDS, per_kind) if c]
        facets["partner_kind"] = tuple(sorted(kinds, key=lambda f: -f.count))
        return {name: facets[name] for name in FACETS}
