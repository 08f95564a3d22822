"""Read a document's bytes into text: UTF-8 first, then the office encodings (cp1252, latin-1).

Empty files, binary files and files too large to be a plan are refused with a precise message.
"""

from __future__ import annotations

import re
from pathlib import Path

from pcs_graph.errors import InputError

MAX_TEXT_BYTES = 10 * 1024 * 1024  # a plan's text is a few hundred kB: the biggest real one is ~50 kB
MAX_BINARY_BYTES = 50 * 1024 * 1024  # PDF and XLSX carry images and styles


def read_bytes(path: Path, max_bytes: int = MAX_TEXT_BYTES) -> bytes:
    try:
        size = path.stat().st_size
    except OSError as e:
        raise InputError(str(path), f"fichier illisible : {e.strerror}") from None
    if size == 0:
        raise InputError(str(path), "le fichier est vide", expected="un document de plan avec des actions")
    if size > max_bytes:
        raise InputError(str(path), f"fichier trop grand ({size / 1e6:.1f} Mo, maximum {max_bytes / 1e6:.0f} Mo)",
                         expected="un document de plan (quelques centaines de Ko)")
    return path.read_bytes()


def decode(data: bytes, source: str) -> str:
    """Decode text bytes; refuse binary content, naming the first offending line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" export is UTF-16 with a BOM
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            raise InputError(source, "texte UTF-16 mal formé", expected="un fichier UTF-16 complet") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(source, "fichier binaire (octet nul), pas un texte", line=data.count(b"\n", 0, nul) + 1,
                         expected="texte, HTML, CSV, XLSX ou PDF")
    try:
        text = _repair_double_encoding(data.decode("utf-8"))
    except UnicodeDecodeError:
        text = "\n".join(_decode_line(line) for line in data.split(b"\n"))
    controls = sum(1 for c in text[:20000] if ord(c) < 32 and c not in "\r\n\t\f")
    if controls > max(10, len(text[:20000]) // 100):
        raise InputError(source, "fichier binaire (caractères de contrôle), pas un texte",
                         expected="texte, HTML, CSV, XLSX ou PDF")
    if not text.strip():
        raise InputError(source, "le fichier ne contient que des blancs")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decode_line(line: bytes) -> str:
    """One line of a file that is not all UTF-8: UTF-8 where it is (a UTF-8 file with one pasted
    Windows character keeps its other accents), else cp1252, which covers latin-1's printable range
    plus the office quotes and the euro sign."""
    for encoding in ("utf-8", "cp1252"):
        try:
            return line.decode(encoding)
        except UnicodeDecodeError:
            continue
    return line.decode("latin-1")


# UTF-8 read as cp1252 and saved again as UTF-8: "é" → "Ã©", "’" → "â€™"
_MOJIBAKE = re.compile(r"Ã[\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013-\u2122]|â€")


def _repair_double_encoding(text: str) -> str:
    """Undo a double UTF-8 encoding line by line, only where the line decodes back cleanly."""
    if not _MOJIBAKE.search(text):
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if _MOJIBAKE.search(line):
            try:
                lines[i] = line.encode("cp1252").decode("utf-8")
            except UnicodeError:
                pass
    return "\n".join(lines)


def read_text(path: Path) -> str:
    return decode(read_bytes(path), str(path))
