"""Reference data: the 262 Walloon communes, the 7 axes and their rights, plan facts and subsidies.

Loaded from the CSV files in `reference/` (copied from public sources, see reference/README.md).
`CommuneDirectory` finds a commune from a NIS code (2019, pre-2019 or 2025) or a name written in
any usual way ("Ville de Mons", "HASTIERE", "Ecaussinnes").
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path

from ..config import REFERENCE_DIR
from ..errors import UnknownCommuneError
from ..text import fold


@dataclass(frozen=True)
class Commune:
    nis: str
    name: str
    nis_pre2019: str
    nis_2025: str
    names_other: tuple[str, ...]  # NL / DE / alternative spellings
    arrondissement_nis: str
    arrondissement: str
    province_nis: str
    province: str
    postcodes: tuple[str, ...]
    lon: float
    lat: float
    population: int | None
    share_65plus: float | None
    share_non_belgian: float | None
    avg_income: int | None
    refnis2019_uri: str
    refnis2025_uri: str
    wikidata: str
    geonames: str
    # the names besides `name`, each with its language: (("Luik", "nl"), ("Lüttich", "de")) for Liège
    names_by_language: tuple[tuple[str, str], ...] = ()


# the language of each name column of communes_wallonie_262.csv (mathiasleroy's dataset gives the
# French name: two of its spellings differ from the others, « Fontaine-l'Evèque », « Villers-le-Bouillet »)
NAME_COLUMNS = {"name_belgif_fr": "fr", "name_statbel_fr_2015": "fr", "name_source_mathiasleroy": "fr",
                "name_belgif_nl": "nl", "name_statbel_nl_2015": "nl", "name_belgif_de": "de"}


@dataclass(frozen=True)
class Axis:
    programme: str
    number: int
    label: str
    rights: tuple[str, ...]


# The 15 fundamental rights of the 2020-2025 decree, grouped by axis (the axis wording split on its
# commas: seed 000 and the region's pages list "15 droits fondamentaux répartis en 7 axes").
RIGHTS_2020: dict[int, tuple[str, ...]] = {
    1: ("droit au travail", "droit à la formation", "droit à l'apprentissage", "droit à l'insertion sociale"),
    2: ("droit au logement", "droit à l'énergie", "droit à l'eau", "droit à un environnement sain",
        "droit à un cadre de vie adapté"),
    3: ("droit à la santé",),
    4: ("droit à l'alimentation",),
    5: ("droit à l'épanouissement culturel, social et familial",),
    6: ("droit à la participation citoyenne et démocratique",
        "droit aux technologies de l'information et de la communication"),
    7: ("droit à la mobilité",),
}

_RIGHT_PREFIX = re.compile(r"^droit (?:a la |a l |au |aux |a )")


def axis_named_by(text: str) -> int | None:
    """The 2020-2025 axis whose fundamental right(s) a heading names, whatever its local number:
    'Axe 1 : Droit à la santé' → 3. None when it names no right, or rights of several axes."""
    folded = " " + re.sub(r"[^a-z0-9]+", " ", fold(text)) + " "
    found = set()
    for axis, rights in RIGHTS_2020.items():
        for right in rights:
            core = _RIGHT_PREFIX.sub("", re.sub(r"[^a-z0-9]+", " ", fold(right)).strip())
            if f" {core} " in folded:
                found.add(axis)
    return found.pop() if len(found) == 1 else None


_PREFIXES = re.compile(
    r"^(ville|commune|cpas|administration communale|pcs|plan de cohesion sociale)( de | d'|\s+)", re.I
)


def _float(value: str) -> float | None:
    return float(value) if value.strip() else None


def _int(value: str) -> int | None:
    return int(float(value)) if value.strip() else None


def load_communes(path: Path | None = None) -> list[Commune]:
    path = path or REFERENCE_DIR / "communes_wallonie_262.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    communes = []
    for r in rows:
        others = {r["name_belgif_fr"], r["name_belgif_nl"], r["name_belgif_de"], r["name_statbel_fr_2015"],
                  r["name_statbel_nl_2015"], r["name_source_mathiasleroy"]} - {r["name_fr"], ""}
        communes.append(Commune(
            nis=r["nis_code"], name=r["name_fr"], nis_pre2019=r["nis_code_pre2019"],
            nis_2025=r["refnis2025_code"], names_other=tuple(sorted(others)),
            arrondissement_nis=r["arrondissement_nis"], arrondissement=r["arrondissement"],
            province_nis=r["province_nis"], province=r["province"], postcodes=tuple(r["postcodes"].split()),
            lon=float(r["lon"]), lat=float(r["lat"]), population=_int(r["population_2015_01_01"]),
            share_65plus=_float(r["share_65plus_2015"]), share_non_belgian=_float(r["share_non_belgian_2015"]),
            avg_income=_int(r["avg_net_taxable_income_per_declaration_2013_eur"]),
            refnis2019_uri=r["belgif_refnis2019_uri"], refnis2025_uri=r["belgif_refnis2025_uri"],
            wikidata=r["wikidata_qid"], geonames=r["geonames_id"],
            names_by_language=tuple(sorted({(r[column], lang) for column, lang in NAME_COLUMNS.items()
                                            if r[column] and r[column] != r["name_fr"]})),
        ))
    return communes


def load_axes(path: Path | None = None) -> list[Axis]:
    path = path or REFERENCE_DIR / "pcs_axes.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [
        Axis(programme=r["programme"], number=int(r["axis_code"]), label=r["label_fr"],
             rights=RIGHTS_2020.get(int(r["axis_code"]), ()) if r["programme"] == "2020-2025" else ())
        for r in rows
    ]


def read_csv(name: str) -> list[dict[str, str]]:
    with (REFERENCE_DIR / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def joint_plan_leads(rows: list[dict[str, str]] | None = None) -> dict[tuple[str, str], str]:
    """(member's NIS, programme) → NIS of the lead commune of the joint plan it belongs to, as
    reference/pcs_local_authority_facts.csv states it: {("61019", "2020-2025"): "62026", ...}."""
    rows = rows if rows is not None else read_csv("pcs_local_authority_facts.csv")
    leads = {r["commune"]: r["nis_code"] for r in rows if r["fact"] == "joint_plan_lead"}
    return {(r["nis_code"], r["programme"]): leads[r["detail"].rsplit(" avec ", 1)[-1].strip()]
            for r in rows if r["fact"] == "joint_plan_member"}


def _key(name: str) -> str:
    """The matching key of a commune name: folded, prefixes dropped, punctuation unified."""
    key = fold(name).strip()
    key = _PREFIXES.sub("", key).strip()
    return re.sub(r"[\s\-'’]+", " ", key).strip()


class CommuneDirectory:
    """Lookup of the 262 communes by code or by name, tolerant of accents, case and prefixes."""

    def __init__(self, communes: list[Commune]) -> None:
        self.communes = communes
        # 2019 codes first, then the older and newer codes where they do not clash. A 2025 code shared
        # by a merger (Bastogne + Bertogne → 82039 "Bastogne") goes to the first commune in the list,
        # the absorbing one, which gives the merged commune its name.
        self._by_nis: dict[str, Commune] = {c.nis: c for c in communes}
        for c in communes:
            self._by_nis.setdefault(c.nis_pre2019, c)
        for c in communes:
            self._by_nis.setdefault(c.nis_2025, c)
        self._by_key: dict[str, Commune] = {}
        for c in communes:
            for n in (*c.names_other, c.name):
                self._by_key[_key(n)] = c
        self._patterns = sorted(
            ((c, n) for c in communes for n in {c.name, *c.names_other}), key=lambda cn: -len(cn[1])
        )

    @classmethod
    def load(cls) -> "CommuneDirectory":
        return cls(load_communes())

    def __len__(self) -> int:
        return len(self.communes)

    def by_nis(self, nis: str) -> Commune | None:
        return self._by_nis.get(nis.strip())

    def find(self, given: str) -> Commune:
        """A commune from a NIS code or a name; raises UnknownCommuneError with suggestions."""
        given = given.strip()
        if re.fullmatch(r"\d{4,5}", given):
            commune = self.by_nis(given)
            if commune is None:
                raise UnknownCommuneError(given)
            return commune
        commune = self._by_key.get(_key(given))
        if commune is None:
            close = get_close_matches(_key(given), list(self._by_key), n=3, cutoff=0.75)
            raise UnknownCommuneError(given, [self._by_key[k].name for k in close])
        return commune

    def mentioned_in(self, text: str, file_name: str = "") -> Commune | None:
        """The commune a document is about: the one its text names most, contextual mentions first.

        Bare names are matched as written or in capitals (ignoring accents), so that words such as
        "ans" or "manage" in running French text are not taken for the communes Ans or Manage;
        after "Ville de", "Commune de", "CPAS de"... any case is accepted ("COMMUNE DE HASTIERE").
        """
        folded = fold(text).replace("’", "'")
        original = _deaccent_keep_case(text)
        scores: Counter[str] = Counter()
        for commune, name in self._patterns:
            if fold(name) not in folded:  # a fast substring test first: most names are absent
                continue
            plain, key = _deaccent_keep_case(name), re.escape(fold(name))
            forms = {plain, plain.upper()} if len(plain) > 3 else {plain}
            bare = re.compile("|".join(rf"(?<![\w-]){re.escape(f)}(?![\w-])" for f in sorted(forms)))
            hits = len(bare.findall(original))
            strong = len(re.findall(rf"\b(?:ville|commune|cpas|pcs) (?:de |d'){key}(?![\w-])", folded))
            weak = len(re.findall(rf"\b(?:a|pour) {key}(?![\w-])", folded)) if hits else 0
            if hits or strong:
                scores[commune.nis] += hits + 3 * (strong + weak)
        stem = fold(Path(file_name).stem)
        for commune in self.communes:
            if re.search(rf"(^|[^a-z]){re.escape(_key(commune.name).replace(' ', '-'))}([^a-z]|$)", stem):
                scores[commune.nis] += 5
        if not scores:
            return None
        (best, top), *rest = scores.most_common(2) + [("", 0)]
        if rest and rest[0][1] == top:
            return None  # a tie: let the caller ask for --commune
        return self._by_nis[best]


def _deaccent_keep_case(text: str) -> str:
    import unicodedata

    text = text.replace("’", "'")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
