"""From a file on disk to a PlanDocument: pick the parser by form, find the commune and programme.

    doc = parse_document(Path("corpus/mons_pcs_2020-2025.txt"), communes)
    doc.nis, doc.programme, len(doc.actions)   # ('53053', '2020-2025', 32)
    doc.publication.url                         # from mons_pcs_2020-2025.txt.meta.json

Forms: a table (CSV, TSV, XLSX, or a Word/ODF document holding one), the region's printout of a signed
plan, a page of actions under its own headings ("Axe 1 : Droit à la santé"), a coded list
(`NN x.y.zz label`), a bullet list. The programme: --programme, else the row's or the text's, else
the date of the publication, else none (the action is undated, and a warning says so).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

from pcs_graph.errors import InputError, UnknownCommuneError
from pcs_graph.graph.programmes import Programmes
from pcs_graph.graph.records import ActionRecord, PlanDocument, Publication
from pcs_graph.graph.reference import CommuneDirectory

from .lines import Line, html_lines, looks_like_html, text_lines
from .metadata import read_metadata
from .parsers import (
    bullet_list,
    coded_list,
    headed_list,
    office,
    pdf,
    signed_plan,
    table,
)
from .reader import MAX_BINARY_BYTES, MAX_TEXT_BYTES, decode, read_bytes

MAX_ACTIONS = 5000  # one commune's plan counts a few hundred actions: more is not a plan document
MAX_TABLE_ACTIONS = 10_000  # a regional export of every 2020-2025 plan fits (~5 000 actions)
# the forms a folder is scanned for (README.md and .meta.json files beside the documents are not plans);
# any file named explicitly is read whatever its suffix
SUPPORTED = (".txt", ".text", ".html", ".htm", ".csv", ".tsv", ".xlsx", ".pdf", ".docx", ".odt")
BINARY = (".pdf", ".xlsx", ".docx", ".odt")


def parse_document(
    path: Path,
    communes: CommuneDirectory,
    commune: str | None = None,
    programme: str | None = None,
    programmes: Programmes | None = None,
    publication: Publication | None = None,
) -> PlanDocument:
    """Parse one document. `commune` (name or NIS), `programme` and `publication` (--source-url and
    --source-kind) override what the document and its metadata file say."""
    source = str(path)
    programmes = programmes or Programmes.load()
    if programme is not None and programmes.get(programme) is None:
        raise InputError(source, f"programme inconnu {programme!r}", expected=" ou ".join(programmes.codes))
    suffix = path.suffix.lower()
    data = read_bytes(path, MAX_BINARY_BYTES if suffix in BINARY else MAX_TEXT_BYTES)
    metadata = read_metadata(path)
    if publication is not None:
        metadata = replace(metadata, publication=publication)
    digest = hashlib.sha256(data + metadata.raw + repr(publication).encode()).hexdigest()
    given = _resolve(communes, commune, source) if commune else None
    context = table.TableContext(programmes, programme, metadata)

    cells = None
    if suffix in (".docx", ".odt"):
        if not data.startswith(b"PK"):
            raise InputError(source, "ce n'est pas un document Word/OpenDocument (signature ZIP absente)", line=1)
        content = office.office_content(path)
        cells = next((t for t in content.tables if table.has_label_column(t[0])), None)
        lines = content.lines
    if suffix in (".csv", ".tsv", ".xlsx") or cells is not None:
        if suffix == ".xlsx" and not data.startswith(b"PK"):
            raise InputError(source, "ce n'est pas un classeur XLSX (signature ZIP absente)", line=1)
        text = decode(data, source) if suffix in (".csv", ".tsv") else None
        actions, warnings = table.parse(path, text, source, context, cells)
        _check_count(actions, source, MAX_TABLE_ACTIONS)
        resolved = []
        for a in actions:
            row_commune = given or (_resolve(communes, a.commune, source, a.span.line) if a.commune else None)
            if row_commune is None:
                raise InputError(source, "ligne sans commune ni code NIS", line=a.span.line,
                                 expected="une colonne « commune » ou « nis », ou l'option --commune")
            resolved.append(replace(a, commune=row_commune))
        return PlanDocument(file_name=path.name, content_hash=digest, parser=table.NAME, nis=given,
                            programme=programme, publication=metadata.publication, actions=resolved,
                            warnings=warnings)

    if suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise InputError(source, "ce n'est pas un PDF (en-tête %PDF absent)", line=1)
        lines = pdf.pdf_lines(path)
    elif suffix not in (".docx", ".odt"):
        full_text = decode(data, source)
        lines = html_lines(full_text) if suffix in (".html", ".htm") or looks_like_html(full_text) else text_lines(full_text)
    full_text = "\n".join(line.text for line in lines)

    doc = PlanDocument(file_name=path.name, content_hash=digest, parser="", publication=metadata.publication)
    warnings: list[str] = []
    if signed_plan.looks_signed(lines):
        head = signed_plan.header(lines)
        actions, warnings = signed_plan.parse(lines, source)
        doc = replace(doc, parser=signed_plan.NAME, document_number=head.number, status=head.status,
                      printed_on=head.printed_on)
        given = given or (_resolve(communes, head.commune, source) if head.commune else None)
        programme = programme or (head.programme if head.programme and programmes.get(head.programme) else None)
    elif headed_list.looks_headed(lines):
        actions, warnings = headed_list.parse(lines, source)
        doc.parser = headed_list.NAME
    elif coded_list.looks_coded(lines):
        doc.parser, actions = coded_list.NAME, coded_list.parse(lines, source)
    else:
        doc.parser, actions = bullet_list.NAME, bullet_list.parse(lines, source)
    _check_count(actions, source)

    nis = given or _commune_from_text(communes, full_text, path, source)
    found = programme or _programme_from_text(full_text, programmes) or _dated(metadata.publication, programmes)
    if not found:
        warnings.append(f"{source}: aucune programmation dans le texte ni dans la date de sa source : "
                        "actions non datées (précisez --programme)")
    return replace(doc, title=_title(lines), nis=nis, programme=found,
                   project_leader=bullet_list.project_leader(full_text), actions=actions, warnings=warnings)


def _dated(publication: Publication | None, programmes: Programmes) -> str | None:
    """The programme in force when the document's publication was issued."""
    if publication is None or not publication.date:
        return None
    when = date.fromisoformat(publication.date) if len(publication.date) == 10 else int(publication.date[:4])
    found = programmes.containing(when)
    return found.code if found else None


def _check_count(actions: list[ActionRecord], source: str, limit: int = MAX_ACTIONS) -> None:
    """Bound what one document may write (memory and the size of its single update)."""
    if len(actions) > limit:
        raise InputError(source, f"plus de {limit} actions ({len(actions)}) dans un seul document",
                         line=actions[limit].span.line,
                         expected=f"au plus {limit} actions par document : découpez-le")


def _resolve(communes: CommuneDirectory, given: str, source: str, line: int | None = None) -> str:
    try:
        return communes.find(given).nis
    except UnknownCommuneError as e:
        raise InputError(source, str(e), line=line, expected="une des 262 communes wallonnes (nom ou code NIS)") from None


def _commune_from_text(communes: CommuneDirectory, text: str, path: Path, source: str) -> str:
    commune = communes.mentioned_in(text, path.name)
    if commune is None:
        raise InputError(source, "commune introuvable dans le document" + _near_miss(communes, text),
                         expected="le nom d'une commune wallonne dans le texte, ou l'option --commune NOM|NIS")
    return commune.nis


_NAMED = re.compile(r"\b(?:[Vv]ille|[Cc]ommune|CPAS|PCS) (?:de |d['’])\s*([A-ZÀ-Ý][\w'’-]*(?: [\w'’-]+){0,3})")


def _near_miss(communes: CommuneDirectory, text: str) -> str:
    """' ; « Hastierre » n'est pas une commune wallonne, vouliez-vous dire : Hastière ?' when the text
    names its commune ("Ville de Hastierre") with a typo; '' when it names none."""
    for m in _NAMED.finditer(text[:20000]):
        words = m.group(1).split()
        for n in range(1, len(words) + 1):  # the shortest name with a close match
            try:
                communes.find(" ".join(words[:n]))
            except UnknownCommuneError as e:
                if e.suggestions:
                    return f" ; « {e.given} » n'est pas une commune wallonne, vouliez-vous dire : {', '.join(e.suggestions)} ?"
    return ""


_PERIOD = re.compile(r"\b(20\d\d)\s*[-–—/]\s*(20\d\d)\b")


def _programme_from_text(text: str, programmes: Programmes) -> str | None:
    found = Counter(f"{a}-{b}" for a, b in _PERIOD.findall(text) if programmes.get(f"{a}-{b}"))
    return found.most_common(1)[0][0] if found else None


def _title(lines: list[Line]) -> str | None:
    for line in lines[:15]:
        text = line.text.strip()
        if 3 < len(text) < 120:
            return text
    return None
