"""A CSV or XLSX export with a header row, the form in which administrations exchange action lists.

Columns are found by name, in French or English, case and accents ignored:
commune or nis, programme, code, label, partner, article 20, public, description, axis, and the
provenance of each row: source_url (the page or article it was read from), source_kind, status
("dropped": the source says the action was removed from the plan) and note.
At least a label column and a commune (or NIS) column are required, unless --commune is given.

    actions, warnings = parse(path, text, "actions.csv", TableContext(Programmes.load()))
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pcs_graph.errors import InputError, InvalidCodeError
from pcs_graph.graph.nomenclature import CODE_SHAPE, parse_code
from pcs_graph.graph.programmes import Programme, Programmes
from pcs_graph.graph.records import ActionRecord, PartnerRecord, Publication, SourceSpan
from pcs_graph.graph.sources import SOURCE_KINDS, is_web_address
from pcs_graph.text import fold, normalize_space

from ..metadata import DocumentMetadata
from ..sheets import plan_page_contact, read_sheet_text
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
    "source_url": ("source_url", "source", "url", "lien", "adresse"),
    "source_kind": ("source_kind", "type de source", "kind"),
    "status": ("status", "statut", "etat"),
    "note": ("note", "notes", "remarque", "commentaire"),
    "contact": ("contact", "contact point", "personne de contact"),
}
_DROPPED = {"dropped", "removed", "retiree", "supprimee", "abandonnee"}
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


def rows_of(cells: list[list[str]]) -> tuple[list[str], list[TableRow]]:
    """Header and rows of a table given as cells (first row: the header), rows numbered from 2."""
    header = cells[0]
    return header, [TableRow(i, dict(zip(header, row))) for i, row in enumerate(cells[1:], start=2)]


def has_label_column(header: list[str]) -> bool:
    return any(_canonical(h or "") == "label" for h in header)


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


@dataclass(frozen=True)
class TableContext:
    """What a table's rows are read against: the programmes, what the user said, the metadata file."""

    programmes: Programmes
    programme: str | None = None  # --programme: every row is in it
    metadata: DocumentMetadata = field(default_factory=DocumentMetadata)


def _programme(value: str, programmes: Programmes) -> Programme | None:
    """'2020-2025' → it; '2009-2013/2014-2019' (two named) → None; '2012' → the programme of that year;
    'undated (~2024)' → None (an estimate is not a date); '' → None."""
    value = value.strip()
    if fold(value).startswith(("undated", "non date", "sans date")):
        return None
    periods = re.findall(r"(20\d\d)\s*[-–]\s*(20\d\d)", value)
    if periods:
        return programmes.named_in(value.replace("–", "-")) if len(periods) == 1 else None
    years = {int(y) for y in re.findall(r"\b(20\d\d)\b", value)}
    return programmes.containing(years.pop()) if len(years) == 1 else None


def _dated(publication: Publication | None, programmes: Programmes) -> Programme | None:
    """The programme in force when a publication was issued (during its year, when only that is known)."""
    if publication is None or not publication.date:
        return None
    if len(publication.date) == 10:
        return programmes.containing(date.fromisoformat(publication.date))
    return programmes.containing(int(publication.date[:4]))


def parse(path: Path, text: str | None, source: str, context: TableContext,
          cells: list[list[str]] | None = None) -> tuple[list[ActionRecord], list[str]]:
    """Actions of a table (CSV text, an XLSX file, or the cells of a Word/ODF table), and warnings
    (rows with no programme...)."""
    header, rows = rows_of(cells) if cells is not None else read_rows(path, text)
    columns: dict[str, str] = {}
    for h in header:
        name = _canonical(h or "")
        if name and name not in columns:
            columns[name] = h
    if "label" not in columns:
        raise InputError(source, "colonne du libellé de l'action introuvable", line=1,
                         expected="un en-tête « label » ou « libellé » (colonnes lues : " + ", ".join(header) + ")")
    actions, warnings, undated = [], [], []
    programmes = context.programmes
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
        publication, citation = _row_publication(get("source_url"), get("source_kind"), context, source, row.line)
        if publication is None and context.metadata.publication is not None:
            publication = context.metadata.publication
        programme_text = get("programme")
        programme = (programmes.get(context.programme) if context.programme else None) \
            or (_programme(programme_text, programmes) if programme_text else None) \
            or _dated(publication, programmes)
        if programme is None:
            undated.append(row.line)
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
        status = fold(get("status"))
        if status and status not in _DROPPED and status not in ("live", "active", "en cours", "kept"):
            raise InputError(source, f"statut inconnu {get('status')!r}", line=row.line,
                             expected="vide, ou « dropped » pour une action retirée du plan")
        publics = tuple(p for p in re.split(r"\s*[;,]\s*", get("public")) if p)
        sheet = read_sheet_text(label, get("description") or None, publics,
                                contact=get("contact") or plan_page_contact(publication))
        actions.append(ActionRecord(
            label=label,
            span=SourceSpan(source, line=row.line, text=" | ".join(v for v in row.values.values() if v)),
            code=code, code_as_printed=get("code") or None,
            partners=tuple(partners),
            target_publics=publics,
            description=get("description") or None,
            commune=get("nis") or get("commune") or None,
            programme=programme.code if programme else None,
            stated_axis=stated_axis,
            publication=publication,
            citation=citation,
            dropped=status in _DROPPED,
            note=get("note") or None,
            sheet=sheet,
        ))
    if not actions:
        raise InputError(source, "le tableau ne contient aucune action", line=1)
    if undated:
        lines = ", ".join(str(n) for n in undated[:10]) + ("…" if len(undated) > 10 else "")
        warnings.append(f"{source}: {len(undated)} ligne(s) sans programmation (ni dans la ligne ni dans la date de "
                        f"sa source) : actions non datées (lignes {lines})")
    return actions, warnings


def _row_publication(url: str, kind: str, context: TableContext, source: str,
                     line: int) -> tuple[Publication | None, str | None]:
    """A row's publication (an http(s) address and its kind), or the citation it gives instead of an address."""
    if not url:
        if kind:
            raise InputError(source, "type de source sans adresse", line=line, expected="une colonne source_url")
        return None, None
    if not is_web_address(url):
        return None, url  # e.g. "GitHub code index, file id …": kept as a citation, never as an address
    kind = kind.strip().lower()
    if kind and kind not in SOURCE_KINDS:
        raise InputError(source, f"type de source inconnu {kind!r}", line=line, expected=" ou ".join(SOURCE_KINDS))
    publication = context.metadata.describe(url, kind or None)
    if not publication.kind:
        raise InputError(source, f"type de source manquant pour {url}", line=line,
                         expected="une colonne source_kind (" + ", ".join(SOURCE_KINDS) + ") ou sa description "
                                  "dans le fichier .meta.json")
    return publication, None
