"""The PCS programmes as dated reference data (reference/pcs_programmes.csv), not a list in code.

    programmes = Programmes.load()
    programmes.get("2020-2025").end            # date(2026, 12, 31): extended by one year
    programmes.containing(2026).code           # '2020-2025'
    programmes.display("2020-2025")            # 'PCS 2020-2025 (prolongé jusqu'au 31 décembre 2026)'

The next programme is one more row of that file once its dates are published: no code changes.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config import REFERENCE_DIR

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre")
_PERIOD = re.compile(r"^(\d{4})-(\d{4})$")


@dataclass(frozen=True)
class Programme:
    code: str  # "2020-2025": the programme's name, its years as planned
    label: str
    start: date
    end: date  # the end in force (after any extension)
    planned_end: date  # the end the programme was decided with
    axes_scheme: str  # "nomenclature" (7 axes, codes x.y.zz) or "axes-2014-2019" (4 axes)
    axes: int
    source: str
    extension_source: str | None
    note: str

    @property
    def extended(self) -> bool:
        return self.end != self.planned_end

    @property
    def uses_nomenclature(self) -> bool:
        """Whether the regional nomenclature x.y.zz (7 axes) applies to its actions."""
        return self.axes_scheme == "nomenclature"

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end


def french_date(day: date) -> str:
    """date(2026, 12, 31) → '31 décembre 2026'."""
    return f"{'1er' if day.day == 1 else day.day} {MONTHS[day.month - 1]} {day.year}"


class Programmes:
    """The programmes of the reference data, oldest first."""

    def __init__(self, programmes: list[Programme]) -> None:
        self.all = sorted(programmes, key=lambda p: p.start)
        self._by_code = {p.code: p for p in self.all}

    @classmethod
    def load(cls, path: Path | None = None) -> "Programmes":
        path = path or REFERENCE_DIR / "pcs_programmes.csv"
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        return cls([Programme(
            code=r["programme"], label=r["label_fr"], start=date.fromisoformat(r["start_date"]),
            end=date.fromisoformat(r["end_date"]),
            planned_end=date.fromisoformat(r["planned_end_date"] or r["end_date"]),
            axes_scheme=r["axes_scheme"], axes=int(r["axes"]), source=r["source"],
            extension_source=r["extension_source"] or None, note=r["note"],
        ) for r in rows])

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.all)

    @property
    def latest(self) -> Programme:
        return self.all[-1]

    def get(self, code: str) -> Programme | None:
        return self._by_code.get(code.strip())

    def containing(self, when: date | int) -> Programme | None:
        """The programme in force on a day, or during a year (the first one that covers part of it)."""
        if isinstance(when, int):
            return next((p for p in self.all if p.start.year <= when <= p.end.year), None)
        return next((p for p in self.all if p.covers(when)), None)

    def named_in(self, text: str) -> Programme | None:
        """'2014-2019' → that programme; '2009-2013/2014-2019' (several named) → None: ambiguous."""
        found = {p.code for p in self.all if p.code in text}
        return self._by_code[found.pop()] if len(found) == 1 else None

    def display(self, code: str) -> str:
        """How pages name a programme: 'PCS 2020-2025 (prolongé jusqu'au 31 décembre 2026)'."""
        p = self.get(code)
        if p is None:
            return f"PCS {code}" if _PERIOD.match(code) else "programmation inconnue"
        text = f"PCS {p.code}"
        if p.extended:
            text += f" (prolongé jusqu'au {french_date(p.end)})"
        return text
