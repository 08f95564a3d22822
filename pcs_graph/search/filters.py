"""Facet filters → a boolean mask over the indexed actions, with a note for every value nothing has.

    resolver = FilterResolver(columns, communes)
    notes: list[str] = []
    allowed = resolver.mask(SearchFilters(axis=(5,), province=("Hainaut",)), notes)

Communes are found by name or NIS code, provinces by name or code, accents and case ignored; an
unknown value matches nothing and says so in a note, with the closest known values.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

import numpy as np

from ..config import PROGRAMMES
from ..errors import UnknownCommuneError
from ..graph.likeness import SIZE_BAND_LABELS, URBAN_RURAL_LABELS, Likeness
from ..graph.reference import CommuneDirectory
from ..graph.sources import SOURCE_KINDS
from ..text import fold
from .facets import PARTNER_KINDS, STATUSES, FacetColumns
from .types import SearchFilters, SearchResults

FILTER_NAMES = {"axis": "axe", "theme": "thème", "action_type": "type d'action", "commune": "commune",
                "province": "province", "programme": "programmation", "partner_kind": "type de partenaire",
                "status": "statut", "source_kind": "type de source", "size_band": "taille de commune",
                "urban_rural": "commune urbaine ou rurale", "comparable_to": "communes comparables à"}


class FilterResolver:
    """The filters of one version of the index: the values each filter accepts are computed once."""

    def __init__(self, columns: FacetColumns, communes: CommuneDirectory) -> None:
        self.columns = columns
        self.communes = communes
        self.known: dict[str, set[str]] = {
            "axis": {str(n) for n in range(1, 8)},
            "theme": set(columns.values["theme"]) | set(columns.labels["theme"]),
            "action_type": set(columns.values["action_type"]) | set(columns.labels["action_type"]),
            "commune": {x.nis for x in communes.communes},
            "province": {x.province_nis for x in communes.communes},
            "programme": set(PROGRAMMES),
            "partner_kind": set(PARTNER_KINDS),
            "status": set(STATUSES),
            "source_kind": set(SOURCE_KINDS),
            "size_band": set(SIZE_BAND_LABELS),
            "urban_rural": set(URBAN_RURAL_LABELS),
        }
        self._likeness: Likeness | None = None  # built on the first comparable_to filter

    def mask(self, filters: SearchFilters, notes: list[str]) -> np.ndarray:
        """Rows passing every filter (each filter an OR of its values); unknown values noted in `notes`."""
        columns = self.columns
        mask = np.ones(len(columns.partner_bits), dtype=bool)
        wanted: dict[str, list[str]] = {
            "axis": [str(a) for a in filters.axis],
            "theme": list(filters.theme),
            "action_type": list(filters.action_type),
            "commune": [self._commune_nis(c) for c in filters.commune],
            "province": [self._province_nis(p) for p in filters.province],
            "programme": list(filters.programme),
            "partner_kind": list(filters.partner_kind),
            "status": [s.lower() for s in filters.status],
            "source_kind": [s.lower() for s in filters.source_kind],
            "size_band": [s.lower() for s in filters.size_band],
            "urban_rural": [s.lower() for s in filters.urban_rural],
        }
        for name, values in wanted.items():
            if not values:
                continue
            known = self.known[name]
            good = [v for v in values if v in known]
            for given, value in zip(_given(filters, name), values):
                if value not in known:
                    notes.append(_unknown_note(name, given, known, columns.labels[name]))
            mask &= columns.mask(name, good)
        if filters.comparable_to:
            mask &= columns.mask("commune", sorted(self.comparable(filters.comparable_to, notes)))
        if filters.article20 is not None:
            mask &= columns.mask("article20", ["true" if filters.article20 else "false"])
        return mask

    def comparable(self, given: str, notes: list[str]) -> set[str]:
        """The NIS codes of the communes comparable to `given` (same size band and urban/rural class)."""
        if self._likeness is None:
            self._likeness = Likeness.load(self.communes)
        return comparable_communes(given, self.communes, self._likeness, notes)

    def _commune_nis(self, given: str) -> str:
        try:
            return self.communes.find(str(given)).nis
        except UnknownCommuneError:
            return str(given).strip()

    def _province_nis(self, given: str) -> str:
        for c in self.communes.communes:
            if given.strip() == c.province_nis or fold(given.strip()) == fold(c.province):
                return c.province_nis
        return given.strip()


def _given(filters: SearchFilters, name: str) -> list[str]:
    return [str(v) for v in getattr(filters, name)]


def _unknown_note(name: str, given: str, known: set[str], labels: dict[str, str]) -> str:
    choices = sorted(set(known) | {lab for lab in labels.values()})
    close = difflib.get_close_matches(given, choices, n=3)
    hint = f" ; vouliez-vous dire : {', '.join(close)} ?" if close else ""
    if name in ("axis", "programme", "partner_kind", "status", "province", "source_kind", "size_band", "urban_rural"):
        shown = sorted({labels.get(v, v) for v in known}) if name == "province" else sorted(known)
        hint += f" (valeurs possibles : {', '.join(shown)})"
    return f"valeur inconnue pour le filtre {FILTER_NAMES[name]} : {given!r}, ce filtre ne retient aucune action{hint}"


def comparable_communes(given: str, communes: CommuneDirectory, likeness: Likeness, notes: list[str]) -> set[str]:
    """The NIS codes of the communes comparable to `given` (a NIS code or a name); a note when none."""
    try:
        nis = communes.find(str(given)).nis
    except UnknownCommuneError as e:
        notes.append(f"valeur inconnue pour le filtre {FILTER_NAMES['comparable_to']} : {given!r} ({e}), "
                     "ce filtre ne retient aucune action")
        return set()
    found = likeness.comparable_nis(nis)
    if not found:
        notes.append(f"aucune commune comparable connue pour {given!r} (taille ou densité inconnue)")
    return found


def keep_comparable(results: SearchResults, given: str, communes: CommuneDirectory, k: int) -> SearchResults:
    """Results (of `similar`, which takes no filter) kept to the communes comparable to `given`, at most k."""
    notes: list[str] = []
    keep = comparable_communes(given, communes, Likeness.load(communes), notes)
    hits = tuple(h for h in results.hits if h.nis in keep)
    notes.append(f"seulement les communes comparables à {given} : {len(hits)} action(s) sur {len(results.hits)} proches")
    return replace(results, hits=hits[:k], total=len(hits), notes=results.notes + tuple(notes))
