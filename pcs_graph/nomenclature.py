"""The regional nomenclature `axis.theme.action` (`5.5.01`): parsing codes and reading catalogues.

The official list of themes and action types is not public, so the scheme is open: a well-formed
code printed in a document creates or confirms its theme and action type; an official catalogue
(CSV: code, label) loaded later merges into the same URIs.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError, InvalidCodeError

CODE_SHAPE = "axe.thème.action, par ex. 5.5.01 (axe 1 à 7, action sur deux chiffres)"
_ACTION_CODE = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_THEME_CODE = re.compile(r"^(\d+)\.(\d+)$")


@dataclass(frozen=True)
class Code:
    axis: int
    theme: int
    action: int

    @property
    def theme_code(self) -> str:
        return f"{self.axis}.{self.theme}"

    def __str__(self) -> str:
        return f"{self.axis}.{self.theme}.{self.action:02d}"


def parse_code(text: str) -> Code:
    """'5.5.01' → Code(5, 5, 1); anything else raises InvalidCodeError saying what is wrong."""
    text = text.strip()
    m = _ACTION_CODE.match(text)
    if not m:
        if _THEME_CODE.match(text):
            raise InvalidCodeError(text, f"c'est un code de thème, pas d'action ({CODE_SHAPE})")
        raise InvalidCodeError(text, f"forme attendue : {CODE_SHAPE}")
    axis, theme, action = (int(g) for g in m.groups())
    if not 1 <= axis <= 7:
        raise InvalidCodeError(text, f"l'axe {axis} n'existe pas (les axes vont de 1 à 7)")
    if theme < 1 or theme > 99:
        raise InvalidCodeError(text, "le thème doit être un nombre de 1 à 99")
    if len(m.group(3)) != 2 or action < 1:
        raise InvalidCodeError(text, "le numéro d'action s'écrit sur deux chiffres, de 01 à 99")
    return Code(axis, theme, action)


@dataclass(frozen=True)
class CatalogueEntry:
    code: str  # an action-type code x.y.zz or a theme code x.y
    label: str
    line: int

    @property
    def is_theme(self) -> bool:
        return bool(_THEME_CODE.match(self.code))


def read_catalogue(path: Path) -> list[CatalogueEntry]:
    """Read an official catalogue (CSV with columns code,label; themes `x.y` allowed too)."""
    from ingest.reader import read_text  # one decoder for every input file

    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text), delimiter=_sniff_delimiter(text))
    fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
    if "code" not in fields or "label" not in fields:
        raise InputError(str(path), "colonnes manquantes", line=1, expected="en-tête « code,label »")
    entries = []
    for row in reader:
        line = reader.line_num
        code = (row[fields["code"]] or "").strip()
        label = (row[fields["label"]] or "").strip()
        if not code and not label:
            continue
        if not label:
            raise InputError(str(path), f"libellé vide pour le code {code!r}", line=line)
        if not _THEME_CODE.match(code):
            try:
                code = str(parse_code(code))
            except InvalidCodeError as e:
                raise InputError(str(path), str(e), line=line, expected=CODE_SHAPE) from None
        elif not 1 <= int(code.split(".")[0]) <= 7:
            raise InputError(str(path), f"thème {code!r} hors des axes 1 à 7", line=line)
        entries.append(CatalogueEntry(code, label, line))
    if not entries:
        raise InputError(str(path), "le catalogue ne contient aucune ligne", line=1)
    return entries


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=first.count)
