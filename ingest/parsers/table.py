"""A CSV or XLSX export with a header row, the form in which administrations exchange action lists.

Columns are found by name, in French or English, case and accents ignored:
commune or nis, programme, code, label, partner, article 20, public, description.
At least a label column and a commune (or NIS) column are required, unless --commune is given.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from pcs_graph.config import PROGRAMMES
from pcs_graph.errors import InputError, InvalidCodeError
from pcs_graph.graph.nomenclature import CODE_SHAPE, parse_code
from pcs_graph.graph.records import ActionRecord, PartnerRecord, SourceSpan
from pcs_graph.text import fold, normalize_space

from .partners import partner, split_article20, split_partner_list

NAME = "table"

COLUMNS: dict[str, tuple[str, ...]] = {
    "commune": ("commune", "pouvoir local", "municipality", "localite"),
    "nis": ("nis", "ins", "nis_code", "code nis", "code ins", "refnis"),
    "programme": ("programme", "programmation", "periode", "period"),
    "code": ("code", "code action", "action_code", "nomenclature", "code nomenclature"),
    "label": ("label", "libelle", "action", "intitule", "action_label_as_published", "nom de l'action"),
    "partner": ("partner", "partners", "partenaire", "partenaires"),
    "article20": ("article 20", "article20", "art 20", "art20", "article_20"),
    "public": ("public", "public cible", "publics", "target public", "public_cible"),
    "description": ("description", "details", "detail"),
    "axis": ("axe", "axis", "axis_as_stated"),
}
MAX_ROWS = 20_000
_TRUE = {"1", "oui", "yes", "true", "vrai", "x", "art 20", "art. 20", "article 20"}


@dataclass(frozen=True)
class TableRow:
    line: int
    values: dict[str, str]


def _canonical(header: str) -> str | None:
    key = re.sub(r"[\s_]+", " ", fold(header).strip())
    for name, synonyms in COLUMNS.items():
        if key in {re.sub(r"[\s_]+", " ", s) for s in synonyms}:
            return name
    return None


def read_rows(path: Path, text: str | None) -> tuple[list[str], list[TableRow]]:
    """Header and rows of a CSV (text given) or an XLSX (text None), with their 1-based line."""
    if text is None:
        return _read_xlsx(path)
    delimiter = max((";", ",", "\t"), key=text.split("\n", 1)[0].count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise InputError(str(path), "tableau vide", line=1) from None
    rows = []
    for values in reader:
        if len(values) > len(header):
            raise InputError(str(path), f"{len(values)} colonnes pour {len(header)} en-têtes", line=reader.line_num,
                             expected=f"{len(header)} colonnes séparées par « {delimiter} »")
        rows.append(TableRow(reader.line_num, dict(zip(header, values))))
    return header, rows


def _read_xlsx(path: Path) -> tuple[list[str], list[TableRow]]:
    from zipfile import BadZipFile

    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as e:
        raise InputError(str(path), f"classeur XLSX illisible ({e})", expected="un fichier .xlsx valide") from None
    sheet = workbook.worksheets[0]
    cells: list[list[str]] = []
    for row in sheet.iter_rows(values_only=True):  # streamed: a workbook that unzips to gigabytes stops early
        if len(cells) > MAX_ROWS:
            workbook.close()
            raise InputError(str(path), f"plus de {MAX_ROWS} lignes : ce n'est pas une liste d'actions",
                             line=len(cells) + 1, expected=f"au plus {MAX_ROWS} lignes")
        cells.append([_cell_text(v) for v in row])
    workbook.close()
    if not cells:
        raise InputError(str(path), "feuille vide", line=1)
    header = cells[0]
    return header, [TableRow(i, dict(zip(header, row))) for i, row in enumerate(cells[1:], start=2)]


def _cell_text(value: object) -> str:
    """A cell as the user reads it: 53053.0 typed as a number is the NIS code 53053."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _programme(value: str) -> str | None:
    """'2020-2025' as is; '2009-2013/2014-2019' → the last period; a year → its programme; '' → None."""
    value = value.strip()
    periods = re.findall(r"(20\d\d)\s*[-–]\s*(20\d\d)", value)
    for start, end in reversed(periods):
        if f"{start}-{end}" in PROGRAMMES:
            return f"{start}-{end}"
    years = [int(y) for y in re.findall(r"20\d\d", value)]
    for year in years:
        for p in PROGRAMMES:
            if int(p[:4]) <= year <= int(p[5:]):
                return p
    return None


def parse(path: Path, text: str | None, source: str) -> tuple[list[ActionRecord], list[str]]:
    """Actions of a table, and warnings (rows with an unknown programme, for instance)."""
    header, rows = read_rows(path, text)
    columns: dict[str, str] = {}
    for h in header:
        name = _canonical(h or "")
        if name and name not in columns:
            columns[name] = h
    if "label" not in columns:
        raise InputError(source, "colonne du libellé de l'action introuvable", line=1,
                         expected="un en-tête « label » ou « libellé » (colonnes lues : " + ", ".join(header) + ")")
    actions, warnings = [], []
    for row in rows:
        get = lambda name: normalize_space(row.values.get(columns.get(name, ""), "") or "")  # noqa: E731
        label = get("label")
        if not label:
            if any(v.strip() for v in row.values.values() if v):
                raise InputError(source, "ligne sans libellé d'action", line=row.line)
            continue
        code = get("code") or None
        if code:
            try:
                code = str(parse_code(code))
            except InvalidCodeError as e:
                raise InputError(source, str(e), line=row.line, expected=CODE_SHAPE) from None
        programme_text = get("programme")
        programme = _programme(programme_text) if programme_text else None
        if programme_text and programme is None:
            warnings.append(f"{source}:{row.line}: programme {programme_text!r} non daté, programme par défaut")
        is_art20 = fold(get("article20")) in _TRUE
        partners: list[PartnerRecord] = []
        for name in split_partner_list(get("partner")):
            stripped, art20 = split_article20(name)  # "ART 20 ASBL X" in the partner cell itself
            if art20 is not None and not stripped:
                partners.append(art20)
            else:
                partners.append(partner(name, article20=is_art20))
        axis_text = get("axis")
        stated_axis = int(axis_text[0]) if axis_text[:1].isdigit() and not code else None
        actions.append(ActionRecord(
            label=label,
            span=SourceSpan(source, line=row.line, text=" | ".join(v for v in row.values.values() if v)),
            code=code, code_as_printed=get("code") or None,
            partners=tuple(partners),
            target_publics=tuple(p for p in re.split(r"\s*[;,]\s*", get("public")) if p),
            description=get("description") or None,
            commune=get("nis") or get("commune") or None,
            programme=programme,
            stated_axis=stated_axis,
        ))
    if not actions:
        raise InputError(source, "le tableau ne contient aucune action", line=1)
    return actions, warnings

