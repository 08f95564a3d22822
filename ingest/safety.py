"""An uploaded file checked before anything reads it: size, real type (from its bytes), zip bombs.

    limits = UploadLimits.from_env()                    # PCS_MAX_UPLOAD_BYTES (20 Mo by default), ...
    checked = check_upload(data, "Plan PCS Gerpinnes.docx", limits)
    checked.form, checked.suffix, checked.display_name  # ('docx', '.docx', 'Plan PCS Gerpinnes.docx')
    check_upload(b"<html>...", "plan.pdf", limits)      # UploadRefused: « plan.pdf » porte l'extension .pdf
                                                        # mais son contenu est une page HTML

The type is read from the content (magic bytes, the entries of a ZIP), never from the extension: an
extension that promises a PDF or an Office document whose content is something else is refused; a
text file's extension only says whether it is CSV/TSV. Office and OpenDocument files are checked
from their central directory before anything is decompressed: number of entries, total uncompressed
size and compression ratio (a « bombe de décompression » is refused). The file name is only ever
shown (`display_name`), never used as a path. Every refusal is an UploadRefused carrying the HTTP
status (413 too large, 415 wrong type, 422 broken) and a French message naming what was wrong.
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from pcs_graph.errors import PcsError

from .lines import looks_like_html

MB = 1024 * 1024
TEXT_FORMS = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".csv": "csv", ".tsv": "tsv"}
BINARY_FORMS = {".pdf": "pdf", ".docx": "docx", ".odt": "odt", ".xlsx": "xlsx"}
FORM_NAMES = {"pdf": "un PDF", "docx": "un document Word (.docx)", "odt": "un texte OpenDocument (.odt)",
              "xlsx": "un classeur Excel (.xlsx)", "html": "une page HTML", "csv": "un tableau CSV",
              "tsv": "un tableau TSV", "txt": "du texte"}
_SIGNATURES = (  # binary forms no parser reads, named so the refusal can say what the file is
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "un ancien document Microsoft Office (.doc, .xls)"),
    (b"\x89PNG", "une image PNG"), (b"\xff\xd8\xff", "une image JPEG"), (b"GIF8", "une image GIF"),
    (b"\x1f\x8b", "une archive gzip"), (b"7z\xbc\xaf", "une archive 7-Zip"), (b"Rar!", "une archive RAR"),
    (b"MZ", "un programme Windows"), (b"\x7fELF", "un programme"), (b"{\\rtf", "un document RTF"),
)


class UploadRefused(PcsError):
    """An upload refused before parsing: `status` is the HTTP status to answer, the message is French."""

    def __init__(self, message: str, status: int = 422, expected: str | None = None) -> None:
        self.message, self.status, self.expected = message, status, expected
        super().__init__(message + (f" (attendu : {expected})" if expected else ""))


@dataclass(frozen=True)
class UploadLimits:
    """What one upload may cost. Read from PCS_MAX_UPLOAD_BYTES, PCS_PARSE_CPU_SECONDS,
    PCS_PARSE_MEMORY_MB and PCS_PARSE_TIMEOUT_SECONDS."""

    max_bytes: int = 20 * MB
    max_entries: int = 1000  # a Word document holds a few dozen entries
    max_uncompressed: int = 200 * MB  # what its entries add up to once decompressed
    max_ratio: float = 200.0  # XML compresses 10-30 times; a bomb a thousand times
    cpu_seconds: int = 60  # CPU time of the parsing process (a 200-page PDF takes ~25 s here)
    memory_bytes: int = 1024 * MB  # address space of the parsing process
    wall_seconds: float = 120.0  # the parsing process is killed after this, whatever it does
    max_pages: int = 500  # a PDF plan counts a few dozen pages

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "UploadLimits":
        env = os.environ if environ is None else environ
        default = cls()

        def number(name: str, fallback: float) -> float:
            raw = env.get(name, "").strip()
            if not raw:
                return fallback
            try:
                value = float(raw)
            except ValueError:
                raise ValueError(f"{name}={raw!r} : un nombre est attendu") from None
            if value <= 0:
                raise ValueError(f"{name}={raw!r} : un nombre positif est attendu")
            return value

        return cls(max_bytes=int(number("PCS_MAX_UPLOAD_BYTES", default.max_bytes)),
                   cpu_seconds=int(number("PCS_PARSE_CPU_SECONDS", default.cpu_seconds)),
                   memory_bytes=int(number("PCS_PARSE_MEMORY_MB", default.memory_bytes / MB) * MB),
                   wall_seconds=number("PCS_PARSE_TIMEOUT_SECONDS", default.wall_seconds))


@dataclass(frozen=True)
class CheckedUpload:
    """An upload that may be parsed: its form as read from its bytes, and the name to show."""

    form: str  # pdf, docx, odt, xlsx, html, csv, tsv, txt
    display_name: str

    @property
    def suffix(self) -> str:
        return ".htm" if self.form == "html" else f".{self.form}"


def display_name(given: str | None) -> str:
    """The name a person gave their file, reduced to something safe to show (never a path)."""
    name = PurePosixPath((given or "").replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f<>\"'`]", "", name).strip(" .") or "document"
    return name[:120]


def too_large(size: int, limits: UploadLimits) -> UploadRefused:
    return UploadRefused(f"fichier trop volumineux ({_size(size)} ; maximum {_size(limits.max_bytes)})", 413,
                         expected="un document de plan de quelques Mo au plus")


def check_upload(data: bytes, given_name: str | None, limits: UploadLimits) -> CheckedUpload:
    """The upload's real form, or UploadRefused naming what is wrong with it."""
    name = display_name(given_name)
    if len(data) > limits.max_bytes:
        raise too_large(len(data), limits)
    if not data.strip():
        raise UploadRefused(f"« {name} » est vide", expected="un document de plan avec des actions")
    suffix = PurePosixPath(name).suffix.lower()
    form = _form_of(data, name, limits)
    declared = BINARY_FORMS.get(suffix)
    if declared is not None and declared != form:
        real = next((s for s, f in {**BINARY_FORMS, **TEXT_FORMS}.items() if f == form), "")
        raise UploadRefused(
            f"« {name} » porte l'extension {suffix} mais son contenu est {FORM_NAMES[form]}", 415,
            expected=f"{FORM_NAMES[declared]}, ou le fichier enregistré avec l'extension de son contenu ({real})")
    if form == "txt" and suffix in (".csv", ".tsv"):
        form = TEXT_FORMS[suffix]
    return CheckedUpload(form, name)


def _form_of(data: bytes, name: str, limits: UploadLimits) -> str:
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return check_zip(data, name, limits)
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise UploadRefused(f"« {name} » est {what}, pas un document de plan lisible", 415,
                                expected="texte, HTML, CSV, XLSX, PDF, DOCX ou ODT")
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))
    if b"\x00" in data[:8192] and not utf16:
        raise UploadRefused(f"« {name} » est un fichier binaire d'un type non reconnu", 415,
                            expected="texte, HTML, CSV, XLSX, PDF, DOCX ou ODT")
    sample = data[:4096].decode("utf-16" if utf16 else "utf-8", errors="ignore")
    return "html" if looks_like_html(sample) else "txt"


def check_zip(data: bytes, name: str, limits: UploadLimits) -> str:
    """The Office/OpenDocument form of a ZIP, read from its central directory without decompressing
    anything but the few bytes of an OpenDocument `mimetype` entry."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as e:
        raise UploadRefused(f"« {name} » : archive ZIP illisible ou tronquée ({e})",
                            expected="un document .docx, .odt ou .xlsx complet") from None
    if len(entries) > limits.max_entries:
        raise UploadRefused(f"« {name} » contient {len(entries)} fichiers compressés (maximum {limits.max_entries})",
                            expected="un document Office ou OpenDocument ordinaire")
    total = sum(e.file_size for e in entries)
    if total > limits.max_uncompressed:
        raise UploadRefused(
            f"« {name} » se décompresserait en {_size(total)} à partir de {_size(len(data))} (maximum "
            f"{_size(limits.max_uncompressed)}) : bombe de décompression probable, fichier refusé",
            expected="un document Office ou OpenDocument ordinaire")
    for e in entries:
        if e.file_size > MB and e.file_size > limits.max_ratio * max(e.compress_size, 1):
            raise UploadRefused(
                f"« {name} » : l'élément {e.filename[:80]!r} est compressé {e.file_size / max(e.compress_size, 1):.0f} "
                f"fois (maximum {limits.max_ratio:.0f}) : bombe de décompression probable, fichier refusé",
                expected="un document Office ou OpenDocument ordinaire")
    names = {e.filename for e in entries}
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    mimetype = next((e for e in entries if e.filename == "mimetype"), None)
    if mimetype is not None and mimetype.file_size < 200:
        kind = archive.read(mimetype).decode("ascii", errors="replace").strip()
        if kind in ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template"):
            return "odt"
        raise UploadRefused(f"« {name} » est un fichier OpenDocument de type {kind[:80]!r}", 415,
                            expected="un texte OpenDocument (.odt), ou un tableau enregistré en .xlsx ou .csv")
    raise UploadRefused(f"« {name} » est une archive ZIP, pas un document Word, Excel ou OpenDocument", 415,
                        expected="un document .docx, .odt ou .xlsx")


def _size(n: int) -> str:
    if n >= 1024 * MB:
        return f"{n / (1024 * MB):.1f} Go".replace(".", ",")
    return f"{n / MB:.1f} Mo".replace(".", ",")
