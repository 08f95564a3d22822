"""An official catalogue of the nomenclature (CSV: code,label; themes `x.y` allowed) read into entries.

    entries = read_catalogue(Path("official_catalogue.csv"))   # [CatalogueEntry("5.5.01", "...", line=2), ...]

A malformed file is refused with its line and what was expected; the entries merge into the learned
nomenclature (`pcs catalogue load`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from pcs_graph.errors import InputError
from pcs_graph.graph.nomenclature import CatalogueEntry, catalogue_code
from pcs_graph.text import fold

from .reader import read_text

_HEADERS = {"code": "code", "label": "label", "libelle": "label", "intitule": "label"}


def read_catalogue(path: Path) -> list[CatalogueEntry]:
    """Read an official catalogue (CSV with columns code,label; themes `x.y` allowed too)."""
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text), delimiter=_sniff_delimiter(text))
    fields: dict[str, str] = {}
    for f in reader.fieldnames or []:
        name = _HEADERS.get(fold(f or "").strip())
        if name and name not in fields:
            fields[name] = f
    missing = [name for name in ("code", "label") if name not in fields]
    if missing:
        raise InputError(str(path), f"colonne(s) manquante(s) : {', '.join(missing)}", line=1,
                         expected="un en-tête « code,label » (lu : " + ",".join(reader.fieldnames or []) + ")")
    entries: list[CatalogueEntry] = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if None in row:  # csv.DictReader files extra cells under the key None
            raise InputError(str(path), f"{len(fields) + len(row[None])} colonnes pour {len(fields)} en-têtes",
                             line=line, expected="deux colonnes : code,label")
        code = " ".join((row[fields["code"]] or "").split())
        label = " ".join((row[fields["label"]] or "").split())
        if not code and not label:
            continue
        if not label:
            raise InputError(str(path), f"libellé vide pour le code {code!r}", line=line)
        code = catalogue_code(code, str(path), line)
        if code in seen:
            raise InputError(str(path), f"code {code} déjà donné ligne {seen[code]}", line=line,
                             expected="un code par ligne, chacun une seule fois")
        seen[code] = line
        entries.append(CatalogueEntry(code, label, line))
    if not entries:
        raise InputError(str(path), "le catalogue ne contient aucune ligne", line=1)
    return entries


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=first.count)
