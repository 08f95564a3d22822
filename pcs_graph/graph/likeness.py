"""Communes like mine: a size band from the population, an urban/rural class from the density, and the
comparable communes (same band and class, nearest by population, share aged 65+ and income).

    likeness = Likeness.load(CommuneDirectory.load())
    likeness.profile("92003")          # Profile(nis='92003', band='25k-50k', klass='urban', density=302.6, …)
    likeness.comparable("92003")       # the communes of the same band and class, nearest first
    likeness.comparable_nis("92003")   # their NIS codes (what `comparable_to=92003` keeps)

Size bands (population on 1 January 2015, the communes file's), those the API has always used: under
10,000; 10,000–24,999; 25,000–49,999; 50,000 and more. Urban/rural class: a commune with fewer than 150
inhabitants per km² is rural, the OECD's criterion for rural communities; the others are urban. The
area is `reference/communes_wallonie_area.csv` (Statbel's statistical sectors per commune, see
reference/README.md); Eurostat's degree of urbanisation (DEGURBA) of Belgian LAU was not found in a
form the project could copy, so the class is the density's, said as such on the pages.
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from ..config import REFERENCE_DIR
from .reference import Commune, CommuneDirectory
from .uris import Uris
from .vocab import PCS

# population on 2015-01-01 (Statbel): rural villages, small towns, towns and the cities; (code, label, low, high)
SIZE_BANDS: tuple[tuple[str, str, int, int | None], ...] = (
    ("lt10k", "moins de 10 000 habitants", 0, 10_000),
    ("10k-25k", "10 000 à 24 999 habitants", 10_000, 25_000),
    ("25k-50k", "25 000 à 49 999 habitants", 25_000, 50_000),
    ("ge50k", "50 000 habitants et plus", 50_000, None),
)
SIZE_BAND_LABELS = {code: label for code, label, _, _ in SIZE_BANDS}
RURAL_DENSITY = 150  # inhabitants per km² (OECD: rural communities)
URBAN_RURAL_LABELS = {"rural": "rurale (moins de 150 hab./km²)", "urban": "urbaine (150 hab./km² et plus)"}
AREA_FILE = "communes_wallonie_area.csv"


def size_band(population: int | None) -> str | None:
    """The size band of a population: 26068 → '25k-50k' (None when unknown)."""
    if population is None:
        return None
    for code, _, low, high in SIZE_BANDS:
        if population >= low and (high is None or population < high):
            return code
    return None


def urban_rural(density: float | None) -> str | None:
    """'rural' under 150 inhabitants per km², else 'urban' (None when the density is unknown)."""
    if density is None:
        return None
    return "rural" if density < RURAL_DENSITY else "urban"


def load_areas(path: Path | None = None) -> dict[str, float]:
    """NIS code → area in km² (reference/communes_wallonie_area.csv)."""
    with (path or REFERENCE_DIR / AREA_FILE).open(encoding="utf-8", newline="") as f:
        return {r["nis_code"]: float(r["area_km2"]) for r in csv.DictReader(f)}


@dataclass(frozen=True)
class Profile:
    """What makes a commune comparable: its band, class, density, and the figures nearness is measured on."""

    nis: str
    name: str
    population: int | None
    area_km2: float | None
    density: float | None
    band: str | None
    klass: str | None  # "urban" | "rural"
    share_65plus: float | None
    avg_income: int | None

    @property
    def band_label(self) -> str:
        return SIZE_BAND_LABELS.get(self.band or "", "taille inconnue")

    @property
    def class_label(self) -> str:
        return URBAN_RURAL_LABELS.get(self.klass or "", "classe inconnue")


class Likeness:
    """The profiles of the 262 communes, and which are comparable to which."""

    def __init__(self, communes: list[Commune], areas: dict[str, float]) -> None:
        self.profiles: dict[str, Profile] = {}
        for c in communes:
            area = areas.get(c.nis)
            density = c.population / area if c.population is not None and area else None
            self.profiles[c.nis] = Profile(c.nis, c.name, c.population, area, density, size_band(c.population),
                                           urban_rural(density), c.share_65plus, c.avg_income)
        self._scales = {name: _spread([v for p in self.profiles.values() if (v := _measure(p, name)) is not None])
                        for name in ("population", "share_65plus", "avg_income")}

    @classmethod
    def load(cls, directory: CommuneDirectory) -> "Likeness":
        return cls(directory.communes, load_areas())

    def profile(self, nis: str) -> Profile | None:
        return self.profiles.get(nis)

    def distance(self, a: Profile, b: Profile) -> float:
        """Nearness on population (log), share aged 65+ and income, each scaled by its spread in Wallonia;
        a figure unknown for either commune counts as the largest difference (1 spread)."""
        total = 0.0
        for name, scale in self._scales.items():
            x, y = _measure(a, name), _measure(b, name)
            total += abs(x - y) / scale if x is not None and y is not None and scale else 1.0
        return total

    def comparable(self, nis: str, limit: int | None = None) -> list[Profile]:
        """The other communes of the same size band and urban/rural class, nearest first ([] if unknown)."""
        me = self.profiles.get(nis)
        if me is None or me.band is None or me.klass is None:
            return []
        same = [p for p in self.profiles.values() if p.nis != nis and p.band == me.band and p.klass == me.klass]
        same.sort(key=lambda p: (self.distance(me, p), p.name))
        return same[:limit] if limit is not None else same

    def comparable_nis(self, nis: str) -> set[str]:
        return {p.nis for p in self.comparable(nis)}


def _measure(p: Profile, name: str) -> float | None:
    if name == "population":
        return math.log(p.population) if p.population else None
    value = getattr(p, name)
    return float(value) if value is not None else None


def _spread(values: list[float]) -> float:
    """The standard deviation of a list of values (0 when fewer than two)."""
    if len(values) < 2:
        return 0.0
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


COMPARABLE_LINKS = 10  # pcs:comparableTo links written per commune (the nearest)


def likeness_triples(g: Graph, uris: Uris, likeness: Likeness) -> None:
    """Each commune's area, density, size band, urban/rural class and nearest comparable communes."""
    for p in likeness.profiles.values():
        u = uris.commune(p.nis)
        if p.area_km2 is not None:
            g.add((u, PCS.area, Literal(f"{p.area_km2:.2f}", datatype=XSD.decimal)))
        if p.density is not None:
            g.add((u, PCS.populationDensity, Literal(f"{p.density:.1f}", datatype=XSD.decimal)))
        if p.band:
            g.add((u, PCS.sizeBand, size_band_concept(p.band)))
        if p.klass:
            g.add((u, PCS.urbanRuralClass, urban_rural_concept(p.klass)))
        for other in likeness.comparable(p.nis, COMPARABLE_LINKS):
            g.add((u, PCS.comparableTo, uris.commune(other.nis)))


def size_band_concept(code: str) -> URIRef:
    """'25k-50k' → pcs:SizeBand25kTo50k; 'lt10k' → pcs:SizeBandLt10k."""
    return PCS["SizeBand" + code[0].upper() + code[1:].replace("-", "To")]


def urban_rural_concept(code: str) -> URIRef:
    return PCS[code.capitalize()]  # pcs:Urban, pcs:Rural
