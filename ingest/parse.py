"""From a file on disk to a PlanDocument: pick the parser by form, find the commune and programme.

    doc = parse_document(Path("corpus/mons_pcs_2020-2025.txt"), communes)
    doc.nis, doc.programme, len(doc.actions)   # ('53053', '2020-2025', 32)
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from pcs_graph.config import DEFAULT_PROGRAMME, PROGRAMMES
from pcs_graph.errors import InputError, UnknownCommuneError
from pcs_graph.graph.records import ActionRecord, PlanDocument
from pcs_graph.graph.reference import CommuneDirectory

from .lines import Line, html_lines, looks_like_html, text_lines
from .parsers import bullet_list, coded_list, pdf, table
from .reader import MAX_BINARY_BYTES, MAX_TEXT_BYTES, decode, read_bytes

MAX_ACTIONS = 5000  # one commune's plan counts a few hundred actions: more is not a plan document
MAX_TABLE_ACTIONS = 10_000  # a regional export of every 2020-2025 plan fits (~5 000 actions); 10 000 rows take ~0.7 GB to write
# the forms a folder is scanned for (README.md files beside the documents are not plans); any file
# named explicitly is read whatever its suffix
SUPPORTED = (".txt", ".text", ".html", ".htm", ".csv", ".tsv", ".xlsx", ".pdf")


def parse_document(
    path: Path,
    communes: CommuneDirectory,
    commune: str | None = None,
    programme: str | None = None,
) -> PlanDocument:
    """Parse one document. `commune` (name or NIS) and `programme` override what the text says."""
    source = str(path)
    if programme is not None and programme not in PROGRAMMES:
        raise InputError(source, f"programme inconnu {programme!r}", expected=" ou ".join(PROGRAMMES))
    data = read_bytes(path, MAX_BINARY_BYTES if path.suffix.lower() in (".pdf", ".xlsx") else MAX_TEXT_BYTES)
    digest = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    given = _resolve(communes, commune, source) if commune else None

    if suffix in (".csv", ".tsv", ".xlsx"):
        if suffix == ".xlsx" and not data.startswith(b"PK"):
            raise InputError(source, "ce n'est pas un classeur XLSX (signature ZIP absente)", line=1)
        text = None if suffix == ".xlsx" else decode(data, source)
        actions, warnings = table.parse(path, text, source)
        _check_count(actions, source, MAX_TABLE_ACTIONS)
        resolved = []
        for a in actions:
            row_commune = given or (_resolve(communes, a.commune, source, a.span.line) if a.commune else None)
            if row_commune is None:
                raise InputError(source, "ligne sans commune ni code NIS", line=a.span.line,
                                 expected="une colonne « commune » ou « nis », ou l'option --commune")
            resolved.append(replace(a, commune=row_commune, programme=a.programme or programme))
        return PlanDocument(file_name=path.name, content_hash=digest, parser=table.NAME, nis=given,
                            programme=programme or DEFAULT_PROGRAMME, actions=resolved, warnings=warnings)

    if suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise InputError(source, "ce n'est pas un PDF (en-tête %PDF absent)", line=1)
        lines = pdf.pdf_lines(path)
        full_text = "\n".join(line.text for line in lines)
    else:
        full_text = decode(data, source)
        if suffix in (".html", ".htm") or looks_like_html(full_text):
            lines = html_lines(full_text)
            full_text = "\n".join(line.text for line in lines)
        else:
            lines = text_lines(full_text)

    if coded_list.looks_coded(lines):
        parser_name, actions = coded_list.NAME, coded_list.parse(lines, source)
    else:
        parser_name, actions = bullet_list.NAME, bullet_list.parse(lines, source)
    _check_count(actions, source)

    nis = given or _commune_from_text(communes, full_text, path, source)
    found_programme = programme or _programme_from_text(full_text)
    warnings = [] if found_programme else [f"{source}: programme non trouvé dans le texte, {DEFAULT_PROGRAMME} par défaut"]
    return PlanDocument(
        file_name=path.name, content_hash=digest, parser=parser_name, title=_title(lines),
        nis=nis, programme=found_programme or DEFAULT_PROGRAMME,
        project_leader=bullet_list.project_leader(full_text), actions=actions, warnings=warnings,
    )


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


def _programme_from_text(text: str) -> str | None:
    found = Counter(f"{a}-{b}" for a, b in _PERIOD.findall(text) if f"{a}-{b}" in PROGRAMMES)
    return found.most_common(1)[0][0] if found else None


def _title(lines: list[Line]) -> str | None:
    for line in lines[:15]:
        text = line.text.strip()
        if 3 < len(text) < 120:
            return text
    return None
